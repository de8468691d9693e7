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
};

class HnswIndex {
 public:
  HnswIndex(uint32_t dim, HnswParams params, size_t capacity);
  ~HnswIndex();
  HnswIndex(const HnswIndex&) = delete;
  HnswIndex& operator=(const HnswIndex&) = delete;

  uint32_t dim() const { return dim_; }
  // Live (not deleted) vectors.
  size_t size() const { return live_; }

  // Bulk insert of a fresh index, on `threads` threads.
  void add_all(const std::vector<std::string>& ids, const std::vector<float>& vectors,
               unsigned threads);
  // Inserts or replaces the vector of `id`.
  void upsert(std::string_view id, const float* vector);
  // Removes `id` (no-op when absent).
  void remove(std::string_view id);

  // The k nearest live vectors as (squared L2 distance, id), ascending by
  // distance then id.
  std::vector<std::pair<float, std::string>> search(const float* query, size_t k) const;

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
  size_t live_ = 0;
};

}  // namespace omnigraph::engine::search::vector
