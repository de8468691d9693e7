#include "engine/search/vector/hnsw_index.h"

// hnswlib's SSE path prefetches the neighbour one past the end of a link
// list (searchBaseLayer reads `*(datal + j + 1)`), a harmless over-read in
// practice that AddressSanitizer reports; sanitizer builds use its portable
// path instead.
#if defined(OG_SANITIZE)
#define NO_MANUAL_VECTORIZATION
#endif
#include <hnswlib/hnswlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/error.h"
#include "engine/search/vector/distance.h"

namespace omnigraph::engine::search::vector {

namespace {

// "OGHNSW" + two decimal digits of the version. Version 2 images (float
// graphs, M 16) are refused like any unknown version; the caller rebuilds.
constexpr std::string_view kMagicPrefix = "OGHNSW";
constexpr std::string_view kMagic = "OGHNSW03";
static_assert(kHnswImageVersion == 3, "kMagic spells the version");

// hnswlib spaces over our runtime-dispatched kernels (hnswlib's own L2Space
// picks its kernel at compile time, and our portable flags mean SSE only).
struct SpaceParam {
  size_t dim;
  FloatL2 floats;
  CodeL2 codes;
};

float float_distance(const void* a, const void* b, const void* param) {
  auto* p = static_cast<const SpaceParam*>(param);
  return p->floats(static_cast<const float*>(a), static_cast<const float*>(b), p->dim);
}

float code_distance(const void* a, const void* b, const void* param) {
  auto* p = static_cast<const SpaceParam*>(param);
  return static_cast<float>(
      p->codes(static_cast<const uint8_t*>(a), static_cast<const uint8_t*>(b), p->dim));
}

// Bytes a code vector takes in the graph: `dim` padded to 4, because
// hnswlib lays its elements out back to back and reads each element's
// 4-byte link count in place (an odd size would misalign every other one).
size_t code_stride(size_t dim) {
  return (dim + 3) & ~size_t{3};
}

class L2DispatchSpace : public hnswlib::SpaceInterface<float> {
 public:
  L2DispatchSpace(size_t dim, bool codes)
      : param_{dim, l2_kernels().floats, l2_kernels().codes}, codes_(codes) {}
  size_t get_data_size() override {
    return codes_ ? code_stride(param_.dim) : param_.dim * sizeof(float);
  }
  hnswlib::DISTFUNC<float> get_dist_func() override {
    return codes_ ? code_distance : float_distance;
  }
  void* get_dist_func_param() override { return &param_; }

 private:
  SpaceParam param_;
  bool codes_;
};

// Huge pages for the big arrays (hnswlib's base layer, the float vectors):
// a search hops between random nodes, and with 4 KiB pages nearly every hop
// of a million-vector graph misses the TLB. Transparent huge pages in the
// common "madvise" mode are only used where asked for.
constexpr size_t kHugePage = size_t{2} << 20;

void advise_huge(const void* p, size_t bytes) {
#ifdef MADV_HUGEPAGE
  const auto start = reinterpret_cast<uintptr_t>(p);
  const uintptr_t begin = (start + kHugePage - 1) & ~(kHugePage - 1);
  const uintptr_t end = (start + bytes) & ~(kHugePage - 1);
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

// hnswlib's loadIndex fills its base layer page by page before we can
// advise it; a copy into an advised block gets the huge pages at once.
void rehome_base_layer(hnswlib::HierarchicalNSW<float>& graph) {
#ifdef MADV_HUGEPAGE
  const size_t bytes = graph.max_elements_ * graph.size_data_per_element_;
  if (bytes < kHugePage) return;
  const size_t len = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* block = std::aligned_alloc(kHugePage, len);
  if (block == nullptr) return;
  advise_huge(block, len);
  std::memcpy(block, graph.data_level0_memory_, bytes);
  std::free(graph.data_level0_memory_);  // hnswlib frees and reallocs it with the C heap too
  graph.data_level0_memory_ = static_cast<char*>(block);
#else
  (void)graph;
#endif
}

// Room for `count` more floats in `v`, growing geometrically, with the
// block advised before it is written.
void reserve_advised(std::vector<float>& v, size_t count) {
  if (v.size() + count <= v.capacity()) return;
  v.reserve(std::max(v.size() + count, v.capacity() + v.capacity() / 2));
  advise_huge(v.data(), v.capacity() * sizeof(float));
}

uint32_t get_u32_bits(uint64_t word) {
  return static_cast<uint32_t>(word);
}

float float_of(uint64_t word) {
  uint32_t bits = get_u32_bits(word);
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

uint64_t word_of(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  return bits;
}

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

size_t hnsw_m_for(uint64_t rows) {
  return rows < 20000 ? 16 : 32;
}

size_t default_ef_search(uint64_t rows) {
  return static_cast<size_t>(std::clamp<uint64_t>(rows / 200, 400, 4096));
}

HnswIndex::HnswIndex(uint32_t dim, HnswParams params, size_t capacity)
    : dim_(dim), params_(params), space_(std::make_unique<L2DispatchSpace>(dim, params.quantize)) {
  if (params_.m == 0) params_.m = hnsw_m_for(capacity);
  hnsw_ = std::make_unique<hnswlib::HierarchicalNSW<float>>(
      space_.get(), std::max<size_t>(capacity, 16), params_.m, params_.ef_construction);
  // Not written yet: advising now gets huge pages as the build fills it.
  advise_huge(hnsw_->data_level0_memory_, hnsw_->max_elements_ * hnsw_->size_data_per_element_);
}

HnswIndex::~HnswIndex() = default;

size_t HnswIndex::m() const {
  return hnsw_->M_;
}

void HnswIndex::fit_codes(const std::vector<float>& vectors) {
  if (vectors.empty()) return;
  auto [lo, hi] = std::minmax_element(vectors.begin(), vectors.end());
  lo_ = *lo;
  // 255 steps over the range; a constant table still gets a usable step.
  step_ = *hi > *lo ? (*hi - *lo) / 255.0f : 1.0f;
}

void HnswIndex::encode(const float* v, uint8_t* out) const {
  const float inv = 1.0f / step_;
  for (uint32_t i = 0; i < dim_; ++i) {
    // Values outside the range fitted at build time (later writes) clamp;
    // the exact re-rank still orders the candidates correctly.
    // (A NaN coordinate gets code 0 rather than an undefined conversion.)
    float c = std::nearbyint((v[i] - lo_) * inv);
    out[i] = std::isnan(c) ? 0 : static_cast<uint8_t>(std::clamp(c, 0.0f, 255.0f));
  }
}

void HnswIndex::reserve(size_t count) {
  if (count <= hnsw_->max_elements_) return;
  hnsw_->resizeIndex(std::max(count, hnsw_->max_elements_ + hnsw_->max_elements_ / 2 + 16));
  advise_huge(hnsw_->data_level0_memory_, hnsw_->max_elements_ * hnsw_->size_data_per_element_);
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
  const void* points = vectors.data();
  size_t point_size = dim_ * sizeof(float);
  std::vector<uint8_t> codes;
  if (params_.quantize) {
    if (base == 0) fit_codes(vectors);
    const size_t stride = code_stride(dim_);
    codes.resize(n * stride);  // the padding bytes stay zero
    for (size_t i = 0; i < n; ++i) encode(vectors.data() + i * dim_, codes.data() + i * stride);
    reserve_advised(floats_, n * dim_);
    floats_.insert(floats_.end(), vectors.begin(), vectors.begin() + n * dim_);
    points = codes.data();
    point_size = stride;
  }
  auto point = [&](size_t i) { return static_cast<const char*>(points) + i * point_size; };
  // The first point alone: it becomes the entry point the others link to.
  size_t start = 0;
  if (hnsw_->cur_element_count == 0) {
    hnsw_->addPoint(point(0), base);
    start = 1;
  }
  std::atomic<size_t> next{start};
  auto work = [&] {
    for (size_t i = next++; i < n; i = next++) hnsw_->addPoint(point(i), base + i);
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
  const FloatL2 distance = l2_kernels().floats;
  // (distance, label) of the graph's hits, then the side list's.
  std::vector<std::pair<float, size_t>> hits;
  if (live_ > 0) {
    ef = std::max(ef, k);
    hnsw_->setEf(ef);
    if (params_.quantize) {
      // All `ef` candidates by code distance, re-ranked by the floats.
      std::vector<uint8_t> code(code_stride(dim_));
      encode(query, code.data());
      auto top = hnsw_->searchKnn(code.data(), std::min(ef, live_));
      hits.reserve(top.size());
      for (; !top.empty(); top.pop()) {
        const size_t label = top.top().second;
        hits.emplace_back(distance(query, floats_.data() + label * dim_, dim_), label);
      }
    } else {
      auto top = hnsw_->searchKnn(query, std::min(k, live_));
      for (; !top.empty(); top.pop()) hits.emplace_back(top.top().first, top.top().second);
    }
    if (hits.size() > k) {
      std::nth_element(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(k - 1), hits.end());
      // Every hit at the k-th distance stays, so ties are broken by id below.
      const float kth = hits[k - 1].first;
      hits.erase(
          std::remove_if(hits.begin(), hits.end(), [&](const auto& h) { return h.first > kth; }),
          hits.end());
    }
  }
  out.reserve(hits.size() + delta_ids_.size());
  for (const auto& [d, label] : hits) out.emplace_back(d, ids_[label]);
  for (size_t i = 0; i < delta_ids_.size(); ++i) {
    out.emplace_back(distance(query, delta_vectors_.data() + i * dim_, dim_), delta_ids_[i]);
  }
  std::sort(out.begin(), out.end());
  if (out.size() > k) out.resize(k);
  return out;
}

std::string HnswIndex::serialize() const {
  std::string out(kMagic);
  put_u64(out, dim_);
  put_u64(out, params_.quantize ? 1 : 0);
  put_u64(out, word_of(lo_));
  put_u64(out, word_of(step_));
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
  if (params_.quantize) {
    out.append(reinterpret_cast<const char*>(floats_.data()), floats_.size() * sizeof(float));
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
  if (bytes.substr(0, kMagicPrefix.size()) != kMagicPrefix) {
    throw_internal("not a vector index image");
  }
  if (bytes.substr(0, kMagic.size()) != kMagic) {
    throw_internal("vector index image has another format version (" +
                   std::string(bytes.substr(kMagicPrefix.size(), 2)) + ", expected " +
                   std::string(kMagic.substr(kMagicPrefix.size())) + ")");
  }
  bytes.remove_prefix(kMagic.size());
  uint32_t dim = static_cast<uint32_t>(get_u64(bytes));
  const uint64_t flags = get_u64(bytes);
  if (flags > 1) throw_internal("vector index image has unknown flags");
  params.quantize = flags == 1;
  const float lo = float_of(get_u64(bytes));
  const float step = float_of(get_u64(bytes));
  uint64_t count = get_u64(bytes);
  if (params.m == 0) params.m = 16;  // the image's M replaces it below
  auto index = std::make_unique<HnswIndex>(dim, params, 16);
  index->lo_ = lo;
  index->step_ = step;
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
  if (params.quantize) {
    const size_t floats = count * dim;
    if (bytes.size() < floats * sizeof(float)) throw_internal("vector index image is truncated");
    reserve_advised(index->floats_, floats);
    const auto* data = reinterpret_cast<const float*>(bytes.data());
    index->floats_.insert(index->floats_.end(), data, data + floats);
    bytes.remove_prefix(floats * sizeof(float));
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
  const auto& g = *index->hnsw_;
  if (g.cur_element_count != count || g.size_data_per_element_ != g.size_links_level0_ +
                                                                      g.data_size_ +
                                                                      sizeof(hnswlib::labeltype)) {
    throw_internal("vector index image is inconsistent");
  }
  index->params_.m = index->hnsw_->M_;
  rehome_base_layer(*index->hnsw_);
  return index;
}

}  // namespace omnigraph::engine::search::vector
