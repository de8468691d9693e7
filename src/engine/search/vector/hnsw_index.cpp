#include "engine/search/vector/hnsw_index.h"

// hnswlib's SSE path prefetches the neighbour one past the end of a link
// list (searchBaseLayer reads `*(datal + j + 1)`), a harmless over-read in
// practice that AddressSanitizer reports; sanitizer builds use its portable
// path instead.
#if defined(OG_SANITIZE)
#define NO_MANUAL_VECTORIZATION
#endif
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

constexpr std::string_view kMagic = "OGHNSW02";

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
    labels_[ids[i]] = base + i;  // a replaced id's old label stays deleted
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

void HnswIndex::upsert_all(const std::vector<std::string>& ids, const std::vector<float>& vectors,
                           unsigned threads) {
  for (size_t i = 0; i < ids.size(); ++i) {
    remove(ids[i]);
    delta_pos_[ids[i]] = delta_ids_.size();
    delta_ids_.push_back(ids[i]);
    delta_vectors_.insert(delta_vectors_.end(), vectors.begin() + i * dim_,
                          vectors.begin() + (i + 1) * dim_);
  }
  if (delta_ids_.size() >= params_.delta_limit) fold(threads);
}

void HnswIndex::fold(unsigned threads) {
  std::vector<std::string> ids = std::move(delta_ids_);
  std::vector<float> vectors = std::move(delta_vectors_);
  delta_ids_.clear();
  delta_vectors_.clear();
  delta_pos_.clear();
  add_all(ids, vectors, threads);
}

void HnswIndex::remove(std::string_view id) {
  std::string key(id);
  if (auto d = delta_pos_.find(key); d != delta_pos_.end()) {
    // Swap-remove from the side list.
    const size_t pos = d->second, last = delta_ids_.size() - 1;
    delta_pos_.erase(d);
    if (pos != last) {
      delta_ids_[pos] = std::move(delta_ids_[last]);
      std::copy(delta_vectors_.begin() + last * dim_, delta_vectors_.begin() + (last + 1) * dim_,
                delta_vectors_.begin() + pos * dim_);
      delta_pos_[delta_ids_[pos]] = pos;
    }
    delta_ids_.pop_back();
    delta_vectors_.resize(delta_ids_.size() * dim_);
    return;
  }
  auto it = labels_.find(key);
  if (it == labels_.end() || deleted_[it->second]) return;
  hnsw_->markDelete(it->second);
  deleted_[it->second] = true;
  --live_;
}

std::vector<std::pair<float, std::string>> HnswIndex::search(const float* query, size_t k,
                                                             size_t ef) const {
  std::vector<std::pair<float, std::string>> out;
  if (k == 0 || size() == 0) return out;
  if (live_ > 0) {
    hnsw_->setEf(std::max(ef, k));
    auto top = hnsw_->searchKnn(query, std::min(k, live_));
    out.reserve(top.size() + delta_ids_.size());
    while (!top.empty()) {
      out.emplace_back(top.top().first, ids_[top.top().second]);
      top.pop();
    }
  }
  auto distance = hnsw_->fstdistfunc_;
  void* distance_param = hnsw_->dist_func_param_;
  for (size_t i = 0; i < delta_ids_.size(); ++i) {
    out.emplace_back(distance(query, delta_vectors_.data() + i * dim_, distance_param),
                     delta_ids_[i]);
  }
  std::sort(out.begin(), out.end());
  if (out.size() > k) out.resize(k);
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
  put_u64(out, delta_ids_.size());
  for (size_t i = 0; i < delta_ids_.size(); ++i) {
    put_u64(out, delta_ids_[i].size());
    out.append(delta_ids_[i]);
    out.append(reinterpret_cast<const char*>(delta_vectors_.data() + i * dim_),
               dim_ * sizeof(float));
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
    index->labels_[index->ids_.back()] = i;  // later labels are newer
    index->deleted_.push_back(deleted);
    if (!deleted) ++index->live_;
  }
  uint64_t pending = get_u64(bytes);
  for (uint64_t i = 0; i < pending; ++i) {
    uint64_t len = get_u64(bytes);
    if (bytes.size() < len + dim * sizeof(float)) throw_internal("vector index image is truncated");
    index->delta_pos_[std::string(bytes.substr(0, len))] = index->delta_ids_.size();
    index->delta_ids_.emplace_back(bytes.substr(0, len));
    bytes.remove_prefix(len);
    const size_t at = index->delta_vectors_.size();
    index->delta_vectors_.resize(at + dim);
    std::memcpy(index->delta_vectors_.data() + at, bytes.data(), dim * sizeof(float));
    bytes.remove_prefix(dim * sizeof(float));
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
