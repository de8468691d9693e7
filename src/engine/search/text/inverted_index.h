// An in-memory inverted index over one String property of one node table,
// scored with BM25 (languages.md §4.5, §4.6). It is a derived index
// (DESIGN.md §4): built from a table's rows, never stored, and kept current
// by applying row changes (add / remove), so a cached index for an older
// root can be brought forward by a tree diff instead of a rebuild.
//
// Documents are numbered in the order they are added; a removed document
// leaves a tombstone that searches skip and that later compaction of a
// term's postings drops.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace omnigraph::engine::search::text {

// BM25 parameters (the usual defaults, also the reference's).
inline constexpr double kBm25K1 = 1.2;
inline constexpr double kBm25B = 0.75;
// How many index terms one fuzzy query token expands to at most.
inline constexpr size_t kMaxFuzzyExpansions = 50;

struct SearchHit {
  std::string_view id;  // valid while the index is unchanged
  double score = 0;
};

class InvertedIndex {
 public:
  InvertedIndex() = default;
  // A copy owns its own id strings (the id map points into them).
  InvertedIndex(const InvertedIndex& other);
  InvertedIndex(InvertedIndex&&) = default;  // deque moves keep addresses
  InvertedIndex& operator=(const InvertedIndex&) = delete;
  InvertedIndex& operator=(InvertedIndex&&) = delete;

  // Indexes document `id` (a row id) with `text` (empty for a null value:
  // the row still counts as a document). The id must not be present.
  void add(std::string_view id, std::string_view text);
  // Adds documents in order, analysing their texts on up to `threads`
  // threads (bulk builds).
  struct Document {
    std::string id;
    std::string text;
  };
  void add_all(const std::vector<Document>& documents, unsigned threads);
  // Removes document `id`, which was added with `text`. No-op if absent.
  void remove(std::string_view id, std::string_view text);

  size_t doc_count() const { return live_docs_; }
  size_t term_count() const { return terms_.size(); }
  bool contains(std::string_view id) const { return docs_.count(id) > 0; }

  // A byte image of the whole index (persisted by IndexCache) and back.
  // deserialize throws Error(kInternal) on a malformed image.
  std::string serialize() const;
  static std::unique_ptr<InvertedIndex> deserialize(std::string_view image);

  // Documents containing at least one of the query's tokens (analysed like
  // indexed text), by BM25 score descending, ties by id ascending. With
  // `max_edits`, each query token also matches index terms within that
  // Levenshtein distance. `limit` keeps only the best hits.
  std::vector<SearchHit> search(std::string_view query, std::optional<uint32_t> max_edits = {},
                                std::optional<size_t> limit = {}) const;

 private:
  struct Posting {
    uint32_t doc;
    uint32_t tf;
  };
  struct Term {
    std::vector<Posting> postings;  // by doc number
    uint32_t dead = 0;              // postings of removed documents
  };

  // A document's analysed text: sorted (term, frequency) pairs.
  struct Terms {
    std::vector<std::pair<std::string, uint32_t>> freqs;
    uint32_t length = 0;
  };
  static Terms analyse(std::string_view text);
  void insert(std::string_view id, Terms terms);

  // The index terms a query token stands for.
  void expand(const std::string& token, std::optional<uint32_t> max_edits,
              std::vector<const Term*>& out) const;
  void compact(Term& term);

  std::deque<std::string> ids_;  // by doc number (deque: stable addresses)
  std::vector<uint32_t> lengths_;
  std::vector<bool> alive_;
  std::unordered_map<std::string_view, uint32_t> docs_;  // live id -> doc number
  std::unordered_map<std::string, Term> terms_;
  uint64_t total_length_ = 0;  // tokens over live documents
  size_t live_docs_ = 0;
};

}  // namespace omnigraph::engine::search::text
