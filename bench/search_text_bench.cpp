// Full-text search benchmark (run by scripts/bench_fts.sh, part of `make
// bench`): the same generated corpus and the same queries in Omnigraph
// (bm25 ordering through the public Graph API, query text included) and in
// SQLite FTS5 (`MATCH 'a OR b' ORDER BY rank LIMIT 10`, in-memory database,
// prepared statement, merged index), one thread each, back to back.
//
// Corpus: N documents of 10..40 words drawn from a Zipf(1.0) distribution
// over 50,000 synthetic words (seeded, so every run sees the same text).
// Queries: two words drawn uniformly from Zipf ranks 50..5,000 (common but
// not stop-word-like), OR semantics in both systems, top 10 by BM25.
//
// Usage: og_search_text_bench [--docs N] [--queries Q] [--seed S]
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

#include "omnigraph/graph.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

constexpr size_t kVocabulary = 50000;
constexpr double kZipfS = 1.0;

uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Distinct pronounceable words (consonant-vowel syllables, 2..4 of them).
std::vector<std::string> make_vocabulary(uint64_t seed) {
  static const char* consonants = "bdfgklmnprstvz";
  static const char* vowels = "aeiou";
  std::vector<std::string> words;
  std::unordered_set<std::string> seen;
  uint64_t state = seed;
  while (words.size() < kVocabulary) {
    state = splitmix64(state);
    int syllables = 2 + static_cast<int>(state % 3);
    std::string w;
    uint64_t bits = splitmix64(state ^ 0x5555);
    for (int s = 0; s < syllables; ++s) {
      w += consonants[bits % 14];
      bits /= 14;
      w += vowels[bits % 5];
      bits /= 5;
    }
    if (seen.insert(w).second) words.push_back(std::move(w));
  }
  return words;
}

class Zipf {
 public:
  explicit Zipf(size_t n) : cdf_(n) {
    double sum = 0;
    for (size_t i = 0; i < n; ++i) {
      sum += 1.0 / std::pow(static_cast<double>(i + 1), kZipfS);
      cdf_[i] = sum;
    }
    for (double& c : cdf_) c /= sum;
  }
  size_t operator()(std::mt19937_64& rng) const {
    double u = std::uniform_real_distribution<double>(0, 1)(rng);
    return static_cast<size_t>(std::lower_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin());
  }

 private:
  std::vector<double> cdf_;
};

// Document i's text: deterministic from (seed, i).
std::string doc_text(const std::vector<std::string>& vocab, const Zipf& zipf, uint64_t seed,
                     uint64_t i, size_t& words) {
  std::mt19937_64 rng(splitmix64(seed * 1000003 + i));
  words = 10 + rng() % 31;
  std::string text;
  for (size_t w = 0; w < words; ++w) {
    if (w) text += ' ';
    text += vocab[zipf(rng)];
  }
  return text;
}

std::string slug_of(uint64_t i) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "d%08llu", static_cast<unsigned long long>(i));
  return buf;
}

void check_sqlite(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::cerr << what << ": " << sqlite3_errmsg(db) << "\n";
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t docs = 1000000, queries = 2000, seed = 42;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string arg = argv[i];
    uint64_t v = std::stoull(argv[i + 1]);
    if (arg == "--docs") docs = v;
    if (arg == "--queries") queries = v;
    if (arg == "--seed") seed = v;
  }

  std::vector<std::string> vocab = make_vocabulary(seed);
  Zipf zipf(kVocabulary);

  // Query set.
  std::mt19937_64 qrng(seed ^ 0xabcdef);
  std::vector<std::pair<std::string, std::string>> query_words;
  for (uint64_t q = 0; q < queries; ++q) {
    auto pick = [&] { return vocab[50 + qrng() % (5000 - 50)]; };
    query_words.emplace_back(pick(), pick());
  }

  // JSONL for Omnigraph, in a temp file (the corpus is regenerated for
  // SQLite rather than held twice in memory).
  auto dir = std::filesystem::temp_directory_path() /
             ("og-fts-bench-" + std::to_string(static_cast<long>(::getpid())));
  std::filesystem::create_directories(dir);
  auto jsonl = dir / "docs.jsonl";
  uint64_t total_words = 0;
  {
    std::ofstream out(jsonl);
    for (uint64_t i = 0; i < docs; ++i) {
      size_t words = 0;
      std::string text = doc_text(vocab, zipf, seed, i, words);
      total_words += words;
      out << R"({"type":"Doc","data":{"slug":")" << slug_of(i) << R"(","body":")" << text
          << "\"}}\n";
    }
  }
  std::cout << "setup: " << docs << " documents, " << kVocabulary
            << " distinct words (Zipf s=1.0), " << static_cast<double>(total_words) / docs
            << " words/document on average; " << queries
            << " two-word OR queries (Zipf ranks 50..5000), top 10 by BM25; one thread each\n";

  // --- Omnigraph ---
  auto graph = omnigraph::Graph::init_in_memory(
      "node Doc {\n  slug: String @key\n  body: String @index\n}\n");
  auto t0 = Clock::now();
  {
    std::ifstream in(jsonl);
    graph->load(in, {});
  }
  double og_load = seconds_since(t0);
  const std::string source =
      "query q($q: String) { match { $d: Doc } return { $d.slug } "
      "order { bm25($d.body, $q) } limit 10 }";
  auto og_query = [&](const std::string& text) {
    omnigraph::ReadRequest r;
    r.query_source = source;
    r.params_json = "{\"q\": \"" + text + "\"}";  // words are [a-z] only: no escaping
    return graph->read(r);
  };
  t0 = Clock::now();
  og_query(query_words[0].first + " " + query_words[0].second);
  double og_build = seconds_since(t0);
  std::vector<std::vector<std::string>> og_top(queries);
  t0 = Clock::now();
  for (uint64_t q = 0; q < queries; ++q) {
    auto result = og_query(query_words[q].first + " " + query_words[q].second);
    for (const auto& row : result.rows) og_top[q].push_back(row[0].as_string());
  }
  double og_time = seconds_since(t0);
  // Fuzzy (no SQLite counterpart): one misspelt word (last letter
  // replaced), max_edits 1, ten most relevant matches.
  const std::string fuzzy_source =
      "query f($q: String) { match { $d: Doc fuzzy($d.body, $q, 1) } return { $d.slug } limit 10 }";
  uint64_t fuzzy_queries = std::min<uint64_t>(queries, 200);
  uint64_t fuzzy_hits = 0;
  t0 = Clock::now();
  for (uint64_t q = 0; q < fuzzy_queries; ++q) {
    std::string word = query_words[q].first;
    word.back() = word.back() == 'x' ? 'y' : 'x';
    omnigraph::ReadRequest r;
    r.query_source = fuzzy_source;
    r.params_json = "{\"q\": \"" + word + "\"}";
    fuzzy_hits += graph->read(r).rows.size();
  }
  double fuzzy_time = seconds_since(t0);
  graph.reset();

  // --- SQLite FTS5 ---
  sqlite3* db = nullptr;
  check_sqlite(sqlite3_open(":memory:", &db), db, "open");
  check_sqlite(sqlite3_exec(db,
                            "CREATE VIRTUAL TABLE docs USING fts5(slug UNINDEXED, body, "
                            "tokenize = 'porter unicode61 remove_diacritics 2')",
                            nullptr, nullptr, nullptr),
               db, "create");
  t0 = Clock::now();
  check_sqlite(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
  sqlite3_stmt* insert = nullptr;
  check_sqlite(
      sqlite3_prepare_v2(db, "INSERT INTO docs(slug, body) VALUES(?, ?)", -1, &insert, nullptr), db,
      "prepare insert");
  for (uint64_t i = 0; i < docs; ++i) {
    size_t words = 0;
    std::string text = doc_text(vocab, zipf, seed, i, words);
    std::string slug = slug_of(i);
    sqlite3_bind_text(insert, 1, slug.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 2, text.c_str(), -1, SQLITE_TRANSIENT);
    check_sqlite(sqlite3_step(insert), db, "insert");
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  check_sqlite(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
  check_sqlite(
      sqlite3_exec(db, "INSERT INTO docs(docs) VALUES('optimize')", nullptr, nullptr, nullptr), db,
      "optimize");
  double sq_load = seconds_since(t0);
  sqlite3_stmt* select = nullptr;
  check_sqlite(
      sqlite3_prepare_v2(db, "SELECT slug FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10", -1,
                         &select, nullptr),
      db, "prepare select");
  std::vector<std::vector<std::string>> sq_top(queries);
  t0 = Clock::now();
  for (uint64_t q = 0; q < queries; ++q) {
    std::string match = query_words[q].first + " OR " + query_words[q].second;
    sqlite3_bind_text(select, 1, match.c_str(), -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(select)) == SQLITE_ROW) {
      sq_top[q].emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(select, 0)));
    }
    check_sqlite(rc, db, "select");
    sqlite3_reset(select);
  }
  double sq_time = seconds_since(t0);
  sqlite3_finalize(select);
  sqlite3_close(db);
  std::filesystem::remove_all(dir);

  // Agreement of the two top-10 lists (both BM25 with k1=1.2, b=0.75, but
  // different stemmers and idf formulas, so not identical).
  double overlap = 0;
  uint64_t full = 0;
  for (uint64_t q = 0; q < queries; ++q) {
    std::set<std::string> a(og_top[q].begin(), og_top[q].end());
    size_t common = 0;
    for (const auto& s : sq_top[q]) common += a.count(s);
    overlap += sq_top[q].empty() ? 1.0 : static_cast<double>(common) / sq_top[q].size();
    full += og_top[q].size() == 10;
  }

  double og_qps = queries / og_time;
  double sq_qps = queries / sq_time;
  std::printf(
      "omnigraph: load %.2f s, index build (first query) %.2f s, %.1f queries/s (%.3f ms/query)\n",
      og_load, og_build, og_qps, 1000.0 / og_qps);
  std::printf(
      "omnigraph fuzzy (max_edits 1, limit 10): %.1f queries/s (%.3f ms/query), %.1f hits/query\n",
      fuzzy_queries / fuzzy_time, 1000.0 * fuzzy_time / fuzzy_queries,
      static_cast<double>(fuzzy_hits) / fuzzy_queries);
  std::printf("sqlite fts5: load+optimize %.2f s, %.1f queries/s (%.3f ms/query)\n", sq_load,
              sq_qps, 1000.0 / sq_qps);
  std::printf("ratio omnigraph/sqlite queries/s: %.2fx\n", og_qps / sq_qps);
  std::printf(
      "top-10 agreement: %.0f%% of SQLite's hits also in ours; %llu/%llu queries with 10 hits\n",
      100.0 * overlap / static_cast<double>(queries), static_cast<unsigned long long>(full),
      static_cast<unsigned long long>(queries));
  return 0;
}
