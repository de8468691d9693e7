#include "engine/search/text/tokenizer.h"

#include <libstemmer.h>
#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace omnigraph::engine::search::text {

namespace {

// Snowball's English stop-word list (the list the reference's tokenizer
// uses). Contractions are left out: the tokenizer splits on apostrophes, so
// they never reach the filter whole.
const std::unordered_set<std::string_view>& stop_words() {
  static const std::unordered_set<std::string_view> words = {
      "i",       "me",      "my",    "myself",   "we",         "our",   "ours",    "ourselves",
      "you",     "your",    "yours", "yourself", "yourselves", "he",    "him",     "his",
      "himself", "she",     "her",   "hers",     "herself",    "it",    "its",     "itself",
      "they",    "them",    "their", "theirs",   "themselves", "what",  "which",   "who",
      "whom",    "this",    "that",  "these",    "those",      "am",    "is",      "are",
      "was",     "were",    "be",    "been",     "being",      "have",  "has",     "had",
      "having",  "do",      "does",  "did",      "doing",      "would", "should",  "could",
      "ought",   "cannot",  "a",     "an",       "the",        "and",   "but",     "if",
      "or",      "because", "as",    "until",    "while",      "of",    "at",      "by",
      "for",     "with",    "about", "against",  "between",    "into",  "through", "during",
      "before",  "after",   "above", "below",    "to",         "from",  "up",      "down",
      "in",      "out",     "on",    "off",      "over",       "under", "again",   "further",
      "then",    "once",    "here",  "there",    "when",       "where", "why",     "how",
      "all",     "any",     "both",  "each",     "few",        "more",  "most",    "other",
      "some",    "such",    "no",    "nor",      "not",        "only",  "own",     "same",
      "so",      "than",    "too",   "very"};
  return words;
}

bool is_alnum(utf8proc_int32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  }
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO: return true;
    default: return false;
  }
}

void append_utf8(std::string& out, utf8proc_int32_t cp) {
  utf8proc_uint8_t buf[4];
  utf8proc_ssize_t n = utf8proc_encode_char(cp, buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

// Letters without a canonical decomposition that still have an ASCII form.
const char* special_fold(utf8proc_int32_t cp) {
  switch (cp) {
    case 0x00DF: return "ss";  // ß
    case 0x00E6: return "ae";  // æ
    case 0x0153: return "oe";  // œ
    case 0x00F8: return "o";   // ø
    case 0x0111: return "d";   // đ
    case 0x00F0: return "d";   // ð
    case 0x00FE: return "th";  // þ
    case 0x0142: return "l";   // ł
    case 0x0131: return "i";   // ı
    case 0x0127: return "h";   // ħ
    case 0x0138: return "q";   // ĸ
    case 0x0149: return "n";   // ŉ
    case 0x014B: return "n";   // ŋ
    case 0x0167: return "t";   // ŧ
    case 0x017F: return "s";   // ſ
    default: return nullptr;
  }
}

// Appends the lower-cased, ASCII-folded form of one code point.
void append_folded(std::string& out, utf8proc_int32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp));
    return;
  }
  cp = utf8proc_tolower(cp);
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
    return;
  }
  if (const char* s = special_fold(cp)) {
    out += s;
    return;
  }
  // Compatibility decomposition without the combining marks: keep it when
  // what remains is ASCII (é -> e, ﬁ -> fi), else keep the letter.
  std::array<utf8proc_int32_t, 16> parts{};
  int last_boundclass = 0;
  utf8proc_ssize_t n = utf8proc_decompose_char(
      cp, parts.data(), static_cast<utf8proc_ssize_t>(parts.size()),
      static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_STRIPMARK),
      &last_boundclass);
  if (n > 0 && n <= static_cast<utf8proc_ssize_t>(parts.size())) {
    bool ascii = true;
    for (utf8proc_ssize_t i = 0; i < n; ++i) ascii = ascii && parts[i] < 0x80;
    if (ascii) {
      for (utf8proc_ssize_t i = 0; i < n; ++i) {
        out.push_back(static_cast<char>(utf8proc_tolower(parts[i])));
      }
      return;
    }
  }
  append_utf8(out, cp);
}

// One stemmer per thread: libstemmer instances are not thread-safe.
struct StemmerDeleter {
  void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};
sb_stemmer* thread_stemmer() {
  thread_local std::unique_ptr<sb_stemmer, StemmerDeleter> stemmer(
      sb_stemmer_new("english", "UTF_8"));
  return stemmer.get();
}

std::string snowball_stem(std::string_view word) {
  sb_stemmer* s = thread_stemmer();
  if (!s) return std::string(word);
  const sb_symbol* r = sb_stemmer_stem(s, reinterpret_cast<const sb_symbol*>(word.data()),
                                       static_cast<int>(word.size()));
  if (!r) return std::string(word);
  return std::string(reinterpret_cast<const char*>(r), static_cast<size_t>(sb_stemmer_length(s)));
}

void finish_token(std::string& raw, size_t chars, std::vector<std::string>& out) {
  if (chars == 0 || chars > kMaxTokenChars) return;
  if (is_stop_word(raw)) return;
  out.push_back(stem(raw));
}

}  // namespace

bool is_stop_word(std::string_view word) {
  // Buckets by (first letter, length): a lookup compares a handful of
  // words at most, cheaper than hashing every token.
  constexpr size_t kMaxLen = 10;
  using Buckets = std::array<std::array<std::vector<std::string_view>, kMaxLen + 1>, 26>;
  static const Buckets buckets = [] {
    Buckets b;
    for (std::string_view w : stop_words()) b[w[0] - 'a'][w.size()].push_back(w);
    return b;
  }();
  if (word.empty() || word.size() > kMaxLen || word[0] < 'a' || word[0] > 'z') return false;
  for (std::string_view w : buckets[word[0] - 'a'][word.size()]) {
    if (w == word) return true;
  }
  return false;
}

std::string stem(std::string_view word) {
  // Word frequencies are Zipfian: a per-thread memo of recent stems saves
  // most stemmer runs (the stemmer is most of the analyser's cost).
  constexpr size_t kMemoEntries = 1 << 16;
  thread_local std::unordered_map<std::string, std::string> memo;
  thread_local std::string key;
  key.assign(word);
  if (auto it = memo.find(key); it != memo.end()) return it->second;
  std::string stemmed = snowball_stem(word);
  if (memo.size() >= kMemoEntries) memo.clear();
  memo.emplace(key, stemmed);
  return stemmed;
}

void tokenize(std::string_view text, std::vector<std::string>& out) {
  std::string token;
  size_t chars = 0;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t n;
    if (*p < 0x80) {  // ASCII fast path
      cp = *p;
      n = 1;
    } else {
      n = utf8proc_iterate(p, left, &cp);
      if (n <= 0) {  // invalid byte: a separator
        cp = -1;
        n = 1;
      }
    }
    p += n;
    left -= n;
    if (cp >= 0 && is_alnum(cp)) {
      append_folded(token, cp);
      ++chars;
    } else if (chars > 0 || !token.empty()) {
      finish_token(token, chars, out);
      token.clear();
      chars = 0;
    }
  }
  finish_token(token, chars, out);
}

std::vector<std::string> tokenize(std::string_view text) {
  std::vector<std::string> out;
  tokenize(text, out);
  return out;
}

}  // namespace omnigraph::engine::search::text
