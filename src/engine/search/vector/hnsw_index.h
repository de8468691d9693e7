// One HNSW graph (hnswlib, L2) over the vectors of one node property, with
// the mapping between hnswlib labels and node ids. Not thread-safe: the
// cache (vector_search.cpp) serialises access.
//
// By default the graph holds 8-bit scalar-quantised codes (one global
// range, so code distances are proportional to distances between the
// dequantised vectors): a 128-d vector is 128 bytes instead of 512, which
// is what a search over a graph larger than the CPU caches pays for. The
// float vectors are kept beside the graph; a search collects `ef`
// candidates by code distance and re-ranks them exactly.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace hnswlib {
template <typename T>
class HierarchicalNSW;
template <typename T>
class SpaceInterface;
}  // namespace hnswlib

namespace omnigraph::engine::search::vector {

struct HnswParams {
  size_t m = 0;                  // links per node (base layer: 2m); 0: hnsw_m_for(rows)
  size_t ef_construction = 200;  // candidate list while inserting
  size_t ef_search = 0;  // candidate list while searching (at least k); 0: default_ef_search

  // Vectors written after the build wait in a small exactly-searched side
  // list (O(1) per write); it is folded into the graph once it holds this
  // many.
  size_t delta_limit = 4096;
  // Graph over 8-bit codes + exact re-rank (true) or over the floats.
  bool quantize = true;
};

// The M used for a table of `rows` vectors when HnswParams::m is 0: 32 from
// 20,000 rows (the default exact-search threshold), 16 below. On
// high-dimensional data 16 links per node stop being navigable enough as
// the graph grows (recall 0.80 at ef 3200 at 1M); with 32, a given recall
// needs a much smaller ef_search, which pays for the longer link lists.
size_t hnsw_m_for(uint64_t rows);

// The ef_search used for an index of `rows` vectors when HnswParams::ef_search
// is 0 (the query language has no knob for it): rows / 200, within
// [400, 4096]. On uniform random 128-d vectors, the hardest case, that keeps
// recall@10 at about 0.95 or better up to 1M rows (docs/performance.md);
// real embeddings reach the same recall with a smaller list.
size_t default_ef_search(uint64_t rows);

// The version written by HnswIndex::serialize (images of other versions are
// rejected, and the caller rebuilds).
inline constexpr uint32_t kHnswImageVersion = 3;

class HnswIndex {
 public:
  HnswIndex(uint32_t dim, HnswParams params, size_t capacity);
  ~HnswIndex();
  HnswIndex(const HnswIndex&) = delete;
  HnswIndex& operator=(const HnswIndex&) = delete;

  uint32_t dim() const { return dim_; }
  size_t m() const;
  bool quantized() const { return params_.quantize; }
  // Live (not deleted) vectors, the side list included.
  size_t size() const { return live_ + delta_ids_.size(); }
  // Deleted vectors still linked into the graph.
  size_t deleted() const { return ids_.size() - live_; }

  // Bulk insert of a fresh index, on `threads` threads.
  void add_all(const std::vector<std::string>& ids, const std::vector<float>& vectors,
               unsigned threads);
  // Inserts or replaces the vectors of `ids`: the old vector (if any) is
  // marked deleted in the graph, the new one goes to the side list, which
  // is folded into the graph (on `threads` threads) when it is full.
  // (hnswlib's in-place update relinks the whole neighbourhood and costs
  // several insertions; a graph insertion costs a search.)
  void upsert_all(const std::vector<std::string>& ids, const std::vector<float>& vectors,
                  unsigned threads);
  // Moves the side list into the graph.
  void fold(unsigned threads);
  size_t pending() const { return delta_ids_.size(); }
  // Removes `id` (no-op when absent).
  void remove(std::string_view id);

  // The k nearest live vectors as (squared L2 distance, id), ascending by
  // distance then id; `ef` is the search's candidate list (at least k).
  std::vector<std::pair<float, std::string>> search(const float* query, size_t k, size_t ef) const;

  // A self-contained byte image (parameters, id table, hnswlib graph).
  std::string serialize() const;
  // Throws Error(kInternal) when `bytes` is not an image of this format and
  // version. `params` supplies the search-time settings (delta_limit);
  // M and quantisation come from the image.
  static std::unique_ptr<HnswIndex> deserialize(std::string_view bytes, HnswParams params);

 private:
  void reserve(size_t count);
  // Sets the code range from `vectors` (the first build).
  void fit_codes(const std::vector<float>& vectors);
  void encode(const float* v, uint8_t* out) const;

  uint32_t dim_;
  HnswParams params_;
  std::unique_ptr<hnswlib::SpaceInterface<float>> space_;
  std::unique_ptr<hnswlib::HierarchicalNSW<float>> hnsw_;
  std::vector<std::string> ids_;                    // by label
  std::unordered_map<std::string, size_t> labels_;  // id -> label (deleted ones too)
  std::vector<bool> deleted_;                       // by label
  // Quantised graphs: the code range (value = lo_ + code * step_) and the
  // float vectors by label, for the re-rank.
  float lo_ = 0, step_ = 1;
  std::vector<float> floats_;
  size_t live_ = 0;  // live labels
  // The side list: ids, their vectors (dim_ floats each), id -> position.
  std::vector<std::string> delta_ids_;
  std::vector<float> delta_vectors_;
  std::unordered_map<std::string, size_t> delta_pos_;
};

}  // namespace omnigraph::engine::search::vector
