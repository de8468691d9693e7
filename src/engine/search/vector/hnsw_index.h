// One HNSW graph (hnswlib, L2) over the vectors of one node property, with
// the mapping between hnswlib labels and node ids. Not thread-safe: the
// cache (vector_index_cache.h) serialises access.
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
class L2Space;
}  // namespace hnswlib

namespace omnigraph::engine::search::vector {

struct HnswParams {
  size_t m = 16;                 // links per node (base layer: 2m)
  size_t ef_construction = 200;  // candidate list while inserting
  size_t ef_search = 200;        // candidate list while searching (at least k)
  // Vectors written after the build wait in a small exactly-searched side
  // list (O(1) per write); it is folded into the graph once it holds this
  // many.
  size_t delta_limit = 4096;
};

class HnswIndex {
 public:
  HnswIndex(uint32_t dim, HnswParams params, size_t capacity);
  ~HnswIndex();
  HnswIndex(const HnswIndex&) = delete;
  HnswIndex& operator=(const HnswIndex&) = delete;

  uint32_t dim() const { return dim_; }
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
  // Throws Error(kInternal) when `bytes` is not an image of this format.
  static std::unique_ptr<HnswIndex> deserialize(std::string_view bytes, HnswParams params);

 private:
  void reserve(size_t count);

  uint32_t dim_;
  HnswParams params_;
  std::unique_ptr<hnswlib::L2Space> space_;
  std::unique_ptr<hnswlib::HierarchicalNSW<float>> hnsw_;
  std::vector<std::string> ids_;                    // by label
  std::unordered_map<std::string, size_t> labels_;  // id -> label (deleted ones too)
  std::vector<bool> deleted_;                       // by label
  size_t live_ = 0;                                 // live labels
  // The side list: ids, their vectors (dim_ floats each), id -> position.
  std::vector<std::string> delta_ids_;
  std::vector<float> delta_vectors_;
  std::unordered_map<std::string, size_t> delta_pos_;
};

}  // namespace omnigraph::engine::search::vector
