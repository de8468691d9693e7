#include "engine/search/text/inverted_index.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <thread>
#include <unordered_set>

#include "common/error.h"
#include "engine/search/text/levenshtein.h"
#include "engine/search/text/tokenizer.h"

namespace omnigraph::engine::search::text {

namespace {

constexpr std::string_view kImageMagic = "OGTXI001";

template <typename T>
void put(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

void put_string(std::string& out, std::string_view s) {
  put<uint32_t>(out, static_cast<uint32_t>(s.size()));
  out.append(s);
}

// Reads an image front to back; any overrun is a corrupt image.
class ImageReader {
 public:
  explicit ImageReader(std::string_view bytes) : rest_(bytes) {}
  template <typename T>
  T get() {
    need(sizeof(T));
    T value;
    std::memcpy(&value, rest_.data(), sizeof(T));
    rest_.remove_prefix(sizeof(T));
    return value;
  }
  std::string_view bytes(size_t n) {
    need(n);
    std::string_view out = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return out;
  }
  std::string_view string() { return bytes(get<uint32_t>()); }
  bool done() const { return rest_.empty(); }

 private:
  void need(size_t n) const {
    if (rest_.size() < n) throw_internal("corrupt text index image");
  }
  std::string_view rest_;
};

}  // namespace

InvertedIndex::InvertedIndex(const InvertedIndex& other)
    : ids_(other.ids_),
      lengths_(other.lengths_),
      alive_(other.alive_),
      terms_(other.terms_),
      total_length_(other.total_length_),
      live_docs_(other.live_docs_) {
  docs_.reserve(other.docs_.size());
  for (uint32_t doc = 0; doc < ids_.size(); ++doc) {
    if (alive_[doc]) docs_.emplace(ids_[doc], doc);
  }
}

std::string InvertedIndex::serialize() const {
  std::string out(kImageMagic);
  put<uint64_t>(out, ids_.size());
  for (size_t doc = 0; doc < ids_.size(); ++doc) {
    put_string(out, ids_[doc]);
    put<uint32_t>(out, lengths_[doc]);
    put<uint8_t>(out, alive_[doc] ? 1 : 0);
  }
  put<uint64_t>(out, total_length_);
  put<uint64_t>(out, live_docs_);
  put<uint64_t>(out, terms_.size());
  for (const auto& [text, term] : terms_) {
    put_string(out, text);
    put<uint32_t>(out, term.dead);
    put<uint64_t>(out, term.postings.size());
    for (const Posting& p : term.postings) {
      put<uint32_t>(out, p.doc);
      put<uint32_t>(out, p.tf);
    }
  }
  return out;
}

std::unique_ptr<InvertedIndex> InvertedIndex::deserialize(std::string_view image) {
  ImageReader in(image);
  if (in.bytes(kImageMagic.size()) != kImageMagic) throw_internal("corrupt text index image");
  auto index = std::make_unique<InvertedIndex>();
  const uint64_t docs = in.get<uint64_t>();
  if (docs > image.size()) throw_internal("corrupt text index image");
  index->lengths_.reserve(docs);
  index->alive_.reserve(docs);
  index->docs_.reserve(docs);
  for (uint64_t doc = 0; doc < docs; ++doc) {
    index->ids_.emplace_back(in.string());
    index->lengths_.push_back(in.get<uint32_t>());
    const bool alive = in.get<uint8_t>() != 0;
    index->alive_.push_back(alive);
    if (alive) index->docs_.emplace(index->ids_.back(), static_cast<uint32_t>(doc));
  }
  index->total_length_ = in.get<uint64_t>();
  index->live_docs_ = in.get<uint64_t>();
  const uint64_t terms = in.get<uint64_t>();
  if (terms > image.size()) throw_internal("corrupt text index image");
  index->terms_.reserve(terms);
  for (uint64_t t = 0; t < terms; ++t) {
    std::string text(in.string());
    Term term;
    term.dead = in.get<uint32_t>();
    const uint64_t postings = in.get<uint64_t>();
    if (postings > image.size()) throw_internal("corrupt text index image");
    term.postings.reserve(postings);
    for (uint64_t i = 0; i < postings; ++i) {
      Posting p;
      p.doc = in.get<uint32_t>();
      p.tf = in.get<uint32_t>();
      if (p.doc >= docs) throw_internal("corrupt text index image");
      term.postings.push_back(p);
    }
    index->terms_.emplace(std::move(text), std::move(term));
  }
  if (!in.done() || index->live_docs_ != index->docs_.size()) {
    throw_internal("corrupt text index image");
  }
  return index;
}

InvertedIndex::Terms InvertedIndex::analyse(std::string_view text) {
  thread_local std::vector<std::string> tokens;
  tokens.clear();
  tokenize(text, tokens);
  Terms out;
  out.length = static_cast<uint32_t>(tokens.size());
  std::sort(tokens.begin(), tokens.end());
  for (std::string& t : tokens) {
    if (!out.freqs.empty() && out.freqs.back().first == t) {
      ++out.freqs.back().second;
    } else {
      out.freqs.emplace_back(std::move(t), 1);
    }
  }
  return out;
}

void InvertedIndex::insert(std::string_view id, Terms terms) {
  if (docs_.count(id)) return;
  uint32_t doc = static_cast<uint32_t>(ids_.size());
  ids_.emplace_back(id);
  lengths_.push_back(terms.length);
  alive_.push_back(true);
  docs_.emplace(ids_.back(), doc);
  for (auto& [term, tf] : terms.freqs) terms_[std::move(term)].postings.push_back({doc, tf});
  total_length_ += terms.length;
  ++live_docs_;
}

void InvertedIndex::add(std::string_view id, std::string_view text) {
  if (docs_.count(id)) return;
  insert(id, analyse(text));
}

void InvertedIndex::add_all(const std::vector<Document>& documents, unsigned threads) {
  // Analysis (tokenising, stemming) is most of the cost and independent per
  // document: split it over threads, then insert in order on this one.
  std::vector<Terms> analysed(documents.size());
  size_t workers = std::max<size_t>(1, std::min<size_t>(threads, documents.size() / 1024 + 1));
  auto work = [&](size_t w) {
    for (size_t i = w; i < documents.size(); i += workers) {
      analysed[i] = analyse(documents[i].text);
    }
  };
  std::vector<std::thread> pool;
  for (size_t w = 1; w < workers; ++w) pool.emplace_back(work, w);
  work(0);
  for (std::thread& t : pool) t.join();
  for (size_t i = 0; i < documents.size(); ++i) insert(documents[i].id, std::move(analysed[i]));
}

void InvertedIndex::remove(std::string_view id, std::string_view text) {
  auto it = docs_.find(id);
  if (it == docs_.end()) return;
  uint32_t doc = it->second;
  docs_.erase(it);
  alive_[doc] = false;
  total_length_ -= lengths_[doc];
  --live_docs_;
  for (auto& [token, tf] : analyse(text).freqs) {
    auto t = terms_.find(token);
    if (t == terms_.end()) continue;
    ++t->second.dead;
    // Drop tombstones once they are half of a term's postings, so a term's
    // cost stays proportional to its live documents.
    if (t->second.dead * 2 >= t->second.postings.size()) {
      compact(t->second);
      if (t->second.postings.empty()) terms_.erase(t);
    }
  }
}

void InvertedIndex::compact(Term& term) {
  std::erase_if(term.postings, [&](const Posting& p) { return !alive_[p.doc]; });
  term.dead = 0;
}

void InvertedIndex::expand(const std::string& token, std::optional<uint32_t> max_edits,
                           std::vector<const Term*>& out) const {
  if (!max_edits || *max_edits == 0) {
    auto it = terms_.find(token);
    if (it != terms_.end()) out.push_back(&it->second);
    return;
  }
  // Closest terms first (then alphabetical), at most kMaxFuzzyExpansions.
  std::vector<std::pair<uint32_t, const std::string*>> matches;
  for (const auto& [term, postings] : terms_) {
    uint32_t d = bounded_levenshtein(token, term, *max_edits);
    if (d <= *max_edits) matches.emplace_back(d, &term);
  }
  std::sort(matches.begin(), matches.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : *a.second < *b.second;
  });
  if (matches.size() > kMaxFuzzyExpansions) matches.resize(kMaxFuzzyExpansions);
  for (const auto& m : matches) out.push_back(&terms_.at(*m.second));
}

std::vector<SearchHit> InvertedIndex::search(std::string_view query,
                                             std::optional<uint32_t> max_edits,
                                             std::optional<size_t> limit) const {
  std::vector<std::string> tokens = tokenize(query);
  std::vector<const Term*> terms;
  for (const std::string& token : tokens) expand(token, max_edits, terms);
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  if (terms.empty() || live_docs_ == 0) return {};

  // Dense accumulators, one per document number, reused across searches on
  // this thread; `touched` lists the documents to reset.
  thread_local std::vector<double> scores;
  thread_local std::vector<uint32_t> touched;
  if (scores.size() < ids_.size()) scores.resize(ids_.size(), 0.0);
  touched.clear();

  double n = static_cast<double>(live_docs_);
  double avgdl = static_cast<double>(total_length_) / n;
  if (avgdl <= 0) avgdl = 1;
  for (const Term* term : terms) {
    double df = static_cast<double>(term->postings.size() - term->dead);
    if (df <= 0) continue;
    double idf = std::log((n - df + 0.5) / (df + 0.5) + 1.0);
    for (const Posting& p : term->postings) {
      if (!alive_[p.doc]) continue;
      double tf = p.tf;
      double norm = kBm25K1 * (1.0 - kBm25B + kBm25B * lengths_[p.doc] / avgdl);
      double s = idf * tf * (kBm25K1 + 1.0) / (tf + norm);
      if (scores[p.doc] == 0.0) touched.push_back(p.doc);
      scores[p.doc] += s;
    }
  }

  auto better = [&](uint32_t a, uint32_t b) {
    if (scores[a] != scores[b]) return scores[a] > scores[b];
    return ids_[a] < ids_[b];
  };
  size_t keep = touched.size();
  if (limit && *limit < keep) {
    keep = *limit;
    std::partial_sort(touched.begin(), touched.begin() + static_cast<std::ptrdiff_t>(keep),
                      touched.end(), better);
  } else {
    std::sort(touched.begin(), touched.end(), better);
  }
  std::vector<SearchHit> hits;
  hits.reserve(keep);
  for (size_t i = 0; i < keep; ++i) hits.push_back({ids_[touched[i]], scores[touched[i]]});
  for (uint32_t d : touched) scores[d] = 0.0;
  return hits;
}

}  // namespace omnigraph::engine::search::text
