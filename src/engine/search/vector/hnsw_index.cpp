#include "engine/search/vector/hnsw_index.h"

#include <hnswlib/hnswlib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/error.h"

namespace omnigraph::engine::search::vector {

namespace {

constexpr std::string_view kMagic = "OGHNSW01";

void put_u64(std::string& out, uint64_t v) {
  out.append(reinterpret_cast<const char*>(&v), 8);
}

uint64_t get_u64(std::string_view& in) {
  if (in.size() < 8) throw_internal("vector index image is truncated");
  uint64_t v;
  std::memcpy(&v, in.data(), 8);
  in.remove_prefix(8);
  return v;
}

// hnswlib 0.6 saves and loads through file paths only; a private temporary
// file bridges it to byte images.
std::filesystem::path temp_path() {
  static std::atomic<uint64_t> counter{0};
  return std::filesystem::temp_directory_path() /
         ("omnigraph-hnsw-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
}

}  // namespace

HnswIndex::HnswIndex(uint32_t dim, HnswParams params, size_t capacity)
    : dim_(dim), params_(params), space_(std::make_unique<hnswlib::L2Space>(dim)) {
  hnsw_ = std::make_unique<hnswlib::HierarchicalNSW<float>>(
      space_.get(), std::max<size_t>(capacity, 16), params_.m, params_.ef_construction);
}

HnswIndex::~HnswIndex() = default;

void HnswIndex::reserve(size_t count) {
  if (count <= hnsw_->max_elements_) return;
  hnsw_->resizeIndex(std::max(count, hnsw_->max_elements_ + hnsw_->max_elements_ / 2 + 16));
}

void HnswIndex::add_all(const std::vector<std::string>& ids, const std::vector<float>& vectors,
                        unsigned threads) {
  const size_t n = ids.size();
  const size_t base = ids_.size();
  reserve(base + n);
  for (size_t i = 0; i < n; ++i) {
    labels_.emplace(ids[i], base + i);
    ids_.push_back(ids[i]);
    deleted_.push_back(false);
  }
  if (n == 0) return;
  // The first point alone: it becomes the entry point the others link to.
  size_t start = 0;
  if (hnsw_->cur_element_count == 0) {
    hnsw_->addPoint(vectors.data(), base);
    start = 1;
  }
  std::atomic<size_t> next{start};
  auto work = [&] {
    for (size_t i = next++; i < n; i = next++) hnsw_->addPoint(vectors.data() + i * dim_, base + i);
  };
  threads = std::max(1u, threads);
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  live_ += n;
}

void HnswIndex::upsert(std::string_view id, const float* vector) {
  auto it = labels_.find(std::string(id));
  if (it == labels_.end()) {
    size_t label = ids_.size();
    reserve(label + 1);
    labels_.emplace(std::string(id), label);
    ids_.emplace_back(id);
    deleted_.push_back(false);
    hnsw_->addPoint(vector, label);
    ++live_;
    return;
  }
  // An existing label (live or deleted) is updated in place: hnswlib
  // unmarks the deletion and relinks the point.
  hnsw_->addPoint(vector, it->second);
  if (deleted_[it->second]) {
    deleted_[it->second] = false;
    ++live_;
  }
}

void HnswIndex::remove(std::string_view id) {
  auto it = labels_.find(std::string(id));
  if (it == labels_.end() || deleted_[it->second]) return;
  hnsw_->markDelete(it->second);
  deleted_[it->second] = true;
  --live_;
}

std::vector<std::pair<float, std::string>> HnswIndex::search(const float* query, size_t k) const {
  std::vector<std::pair<float, std::string>> out;
  if (k == 0 || live_ == 0) return out;
  hnsw_->setEf(std::max(params_.ef_search, k));
  auto top = hnsw_->searchKnn(query, std::min(k, live_));
  out.reserve(top.size());
  while (!top.empty()) {
    out.emplace_back(top.top().first, ids_[top.top().second]);
    top.pop();
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string HnswIndex::serialize() const {
  std::string out(kMagic);
  put_u64(out, dim_);
  put_u64(out, ids_.size());
  for (size_t i = 0; i < ids_.size(); ++i) {
    put_u64(out, ids_[i].size() | (deleted_[i] ? (uint64_t{1} << 63) : 0));
    out.append(ids_[i]);
  }
  auto path = temp_path();
  hnsw_->saveIndex(path.string());
  std::ifstream in(path, std::ios::binary);
  std::ostringstream graph;
  graph << in.rdbuf();
  in.close();
  std::filesystem::remove(path);
  std::string bytes = std::move(graph).str();
  put_u64(out, bytes.size());
  out.append(bytes);
  return out;
}

std::unique_ptr<HnswIndex> HnswIndex::deserialize(std::string_view bytes, HnswParams params) {
  if (bytes.substr(0, kMagic.size()) != kMagic) throw_internal("not a vector index image");
  bytes.remove_prefix(kMagic.size());
  uint32_t dim = static_cast<uint32_t>(get_u64(bytes));
  uint64_t count = get_u64(bytes);
  auto index = std::make_unique<HnswIndex>(dim, params, 16);
  index->ids_.reserve(count);
  index->deleted_.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t word = get_u64(bytes);
    bool deleted = (word >> 63) != 0;
    uint64_t len = word & ~(uint64_t{1} << 63);
    if (bytes.size() < len) throw_internal("vector index image is truncated");
    index->ids_.emplace_back(bytes.substr(0, len));
    bytes.remove_prefix(len);
    index->labels_.emplace(index->ids_.back(), i);
    index->deleted_.push_back(deleted);
    if (!deleted) ++index->live_;
  }
  uint64_t graph_size = get_u64(bytes);
  if (bytes.size() != graph_size) throw_internal("vector index image is truncated");
  auto path = temp_path();
  {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  try {
    index->hnsw_ =
        std::make_unique<hnswlib::HierarchicalNSW<float>>(index->space_.get(), path.string());
  } catch (const std::exception& e) {
    std::filesystem::remove(path);
    throw_internal(std::string("vector index image is corrupt: ") + e.what());
  }
  std::filesystem::remove(path);
  if (index->hnsw_->cur_element_count != count)
    throw_internal("vector index image is inconsistent");
  return index;
}

}  // namespace omnigraph::engine::search::vector
