#include "engine/search/vector/vector_search.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>

#include "common/error.h"
#include "engine/row_codec.h"
#include "engine/search/derived_store.h"
#include "prolly/diff.h"

namespace omnigraph::engine::search::vector {

namespace {

constexpr size_t kMaxCachedIndexes = 8;

// ---- options and counters ---------------------------------------------------

uint64_t env_u64(const char* name, uint64_t fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return fallback;
  char* end = nullptr;
  unsigned long long value = std::strtoull(text, &end, 10);
  return (end == text || *end != '\0') ? fallback : value;
}

VectorSearchOptions options_from_env() {
  VectorSearchOptions o;
  o.exact_threshold = env_u64("OMNIGRAPH_VECTOR_EXACT_THRESHOLD", o.exact_threshold);
  o.hnsw.m = env_u64("OMNIGRAPH_HNSW_M", o.hnsw.m);
  o.hnsw.ef_construction = env_u64("OMNIGRAPH_HNSW_EF_CONSTRUCTION", o.hnsw.ef_construction);
  o.hnsw.ef_search = env_u64("OMNIGRAPH_HNSW_EF_SEARCH", o.hnsw.ef_search);
  o.hnsw.quantize = env_u64("OMNIGRAPH_HNSW_QUANTIZE", o.hnsw.quantize ? 1 : 0) != 0;
  o.build_threads =
      static_cast<unsigned>(env_u64("OMNIGRAPH_VECTOR_BUILD_THREADS", o.build_threads));
  return o;
}

std::mutex options_mutex;
VectorSearchOptions& options_storage() {
  static VectorSearchOptions options = options_from_env();
  return options;
}

struct Counters {
  std::atomic<uint64_t> exact_searches{0}, index_searches{0}, cache_hits{0}, builds{0}, loads{0},
      diff_updates{0}, rows_applied{0}, persists{0};
};
Counters counters;

// ---- the cache --------------------------------------------------------------

struct Entry {
  std::mutex mutex;  // held while the index is moved, searched or built
  Hash rows_root;
  std::unique_ptr<HnswIndex> index;
  uint64_t changed_since_persist = 0;
  uint64_t last_used = 0;
};

using CacheKey = std::tuple<const void*, std::string, uint32_t>;
std::mutex cache_mutex;
std::map<CacheKey, std::shared_ptr<Entry>> cache;
uint64_t use_clock = 0;

std::shared_ptr<Entry> cache_entry(const GraphView& view, const compiler::NodeType& type,
                                   const compiler::Property& property) {
  std::lock_guard lock(cache_mutex);
  CacheKey key{&view.nodes().chunks(), type.table_key(), property.id};
  auto& slot = cache[key];
  if (!slot) slot = std::make_shared<Entry>();
  slot->last_used = ++use_clock;
  if (cache.size() > kMaxCachedIndexes) {
    auto victim = cache.end();
    for (auto it = cache.begin(); it != cache.end(); ++it) {
      if (it->second != slot &&
          (victim == cache.end() || it->second->last_used < victim->second->last_used)) {
        victim = it;
      }
    }
    if (victim != cache.end()) cache.erase(victim);  // in-flight users keep it alive
  }
  return slot;
}

// ---- persistence ------------------------------------------------------------
//
// Index images go through derived_store: content-addressed chunks plus refs
// `derived/vector/...` naming them by rows root, and the last persisted
// rows root per (table, property). Without a ref store (views of writes in
// progress) indexes stay in memory.

DerivedSlot slot_of(const compiler::NodeType& type, const compiler::Property& property) {
  return DerivedSlot{"vector", type.table_key(), property.id};
}

void persist(const GraphView& view, const compiler::NodeType& type,
             const compiler::Property& property, const Hash& rows_root, const HnswIndex& index) {
  if (view.refs() == nullptr) return;
  store_derived_image(view.nodes().chunks(), *view.refs(), slot_of(type, property), rows_root,
                      index.serialize());
  counters.persists++;
}

std::unique_ptr<HnswIndex> load_persisted(const GraphView& view, const compiler::NodeType& type,
                                          const Hash& rows_root, const compiler::Property& property,
                                          const HnswParams& params) {
  if (view.refs() == nullptr) return nullptr;
  auto image =
      load_derived_image(view.nodes().chunks(), *view.refs(), slot_of(type, property), rows_root);
  if (!image) return nullptr;
  try {
    auto index = HnswIndex::deserialize(*image, params);
    if (index->dim() != property.type.vector_dim) return nullptr;
    counters.loads++;
    return index;
  } catch (const Error&) {
    return nullptr;  // an unreadable image is rebuilt, never trusted
  }
}

// ---- building and moving ----------------------------------------------------

const float* vector_of(const Row& row, const compiler::Property& property) {
  const Value& v = row.get(property.id);
  if (v.kind() != Value::Kind::kVector) return nullptr;
  if (v.as_vector().values.size() != property.type.vector_dim) return nullptr;
  return v.as_vector().values.data();
}

Hash rows_root_of(const GraphView& view, const compiler::NodeType& type) {
  auto it = view.root().tables.find(type.table_key());
  return it == view.root().tables.end() ? Hash{} : it->second.rows;
}

std::unique_ptr<HnswIndex> build(const GraphView& view, const compiler::NodeType& type,
                                 const compiler::Property& property,
                                 const VectorSearchOptions& options) {
  const uint32_t dim = property.type.vector_dim;
  std::vector<std::string> ids;
  std::vector<float> vectors;
  const uint64_t rows = view.row_count(type.table_key());
  ids.reserve(rows);
  vectors.reserve(rows * dim);
  view.scan_nodes(type, [&](std::string_view id, const Row& row) {
    if (const float* v = vector_of(row, property)) {
      ids.emplace_back(id);
      vectors.insert(vectors.end(), v, v + dim);
    }
    return true;
  });
  HnswParams params = options.hnsw;
  if (params.m == 0) params.m = hnsw_m_for(ids.size());
  auto index = std::make_unique<HnswIndex>(dim, params, ids.size() + ids.size() / 8 + 64);
  index->add_all(ids, vectors, options.build_threads);
  counters.builds++;
  return index;
}

// Moves `index` from the rows tree `from` to `to`. Returns the rows
// applied, or nullopt when the diff was larger than `budget` (the index is
// then half-moved and must be dropped).
std::optional<uint64_t> apply_diff(prolly::NodeStore& nodes, const Hash& from, const Hash& to,
                                   const compiler::Property& property, HnswIndex& index,
                                   uint64_t budget, unsigned threads) {
  prolly::Differ differ(nodes, from, to);
  const uint32_t dim = property.type.vector_dim;
  std::vector<std::string> removed, upserted;
  std::vector<float> vectors;
  uint64_t applied = 0;
  while (auto entry = differ.next()) {
    const float* before = nullptr;
    const float* after = nullptr;
    Row old_row, new_row;
    if (entry->from) {
      old_row = decode_row(*entry->from);
      before = vector_of(old_row, property);
    }
    if (entry->to) {
      new_row = decode_row(*entry->to);
      after = vector_of(new_row, property);
    }
    if (before && after && std::equal(before, before + dim, after)) continue;  // other columns
    if (!before && !after) continue;
    if (++applied > budget) return std::nullopt;
    if (after) {
      upserted.push_back(entry->key);
      vectors.insert(vectors.end(), after, after + dim);
    } else {
      removed.push_back(entry->key);
    }
  }
  for (const auto& id : removed) index.remove(id);
  index.upsert_all(upserted, vectors, threads);
  return applied;
}

bool present(store::ChunkStore& chunks, const Hash& root) {
  return !root.is_zero() && chunks.has(root);
}

// Brings `entry` to `rows_root`. Precondition: entry.mutex is held.
void refresh(Entry& entry, const GraphView& view, const compiler::NodeType& type,
             const compiler::Property& property, const Hash& rows_root,
             const VectorSearchOptions& options) {
  if (entry.index && entry.rows_root == rows_root) {
    counters.cache_hits++;
    return;
  }
  store::ChunkStore& chunks = view.nodes().chunks();
  auto budget = [&](const HnswIndex& index) {
    return std::max<uint64_t>(
        1000, static_cast<uint64_t>(options.max_diff_fraction *
                                    static_cast<double>(std::max(index.size(), size_t{1}))));
  };
  auto move = [&](std::unique_ptr<HnswIndex> index, const Hash& from, bool persisted) -> bool {
    auto applied = apply_diff(view.nodes(), from, rows_root, property, *index, budget(*index),
                              options.build_threads);
    if (!applied) return false;
    // Deleted points stay linked in the graph; once they outnumber the
    // live ones, a rebuild is cheaper to search.
    if (index->deleted() > index->size()) return false;
    counters.diff_updates++;
    counters.rows_applied += *applied;
    entry.changed_since_persist = (persisted ? 0 : entry.changed_since_persist) + *applied;
    entry.index = std::move(index);
    entry.rows_root = rows_root;
    if (options.persist && entry.changed_since_persist >
                               options.repersist_fraction *
                                   static_cast<double>(std::max(entry.index->size(), size_t{1}))) {
      persist(view, type, property, rows_root, *entry.index);
      entry.changed_since_persist = 0;
    }
    return true;
  };

  // 1. The cached index of another root of this table, moved by the diff.
  if (entry.index && present(chunks, entry.rows_root)) {
    Hash from = entry.rows_root;
    if (move(std::move(entry.index), from, false)) return;
  }
  // 2. An image persisted for exactly this root.
  if (auto loaded = load_persisted(view, type, rows_root, property, options.hnsw)) {
    entry.index = std::move(loaded);
    entry.rows_root = rows_root;
    entry.changed_since_persist = 0;
    return;
  }
  entry.index.reset();
  // 3. The last persisted index of this table, moved by the diff.
  if (auto from =
          view.refs() ? latest_derived_root(*view.refs(), slot_of(type, property)) : std::nullopt;
      from && *from != rows_root) {
    if (present(chunks, *from)) {
      if (auto loaded = load_persisted(view, type, *from, property, options.hnsw)) {
        if (move(std::move(loaded), *from, true)) return;
      }
    }
  }
  // 4. A full build.
  entry.index = build(view, type, property, options);
  entry.rows_root = rows_root;
  entry.changed_since_persist = 0;
  if (options.persist) persist(view, type, property, rows_root, *entry.index);
}

float l2_squared(const float* a, const float* b, uint32_t dim) {
  float sum = 0;
  for (uint32_t i = 0; i < dim; ++i) {
    float d = a[i] - b[i];
    sum += d * d;
  }
  return sum;
}

bool closer(const Neighbor& a, const Neighbor& b) {
  return a.distance != b.distance ? a.distance < b.distance : a.id < b.id;
}

std::vector<Neighbor> exact(const GraphView& view, const compiler::NodeType& type,
                            const compiler::Property& property, const std::vector<float>& query,
                            size_t k) {
  counters.exact_searches++;
  std::vector<Neighbor> all;
  const uint32_t dim = property.type.vector_dim;
  view.scan_nodes(type, [&](std::string_view id, const Row& row) {
    if (const float* v = vector_of(row, property)) {
      all.push_back({l2_squared(v, query.data(), dim), std::string(id)});
    }
    return true;
  });
  if (all.size() > k) {
    std::nth_element(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k), all.end(), closer);
    all.resize(k);
  }
  std::sort(all.begin(), all.end(), closer);
  return all;
}

void check_property(const compiler::Property& property) {
  if (!property.type.is_vector() || property.type.list || property.type.vector_dim == 0) {
    throw_bad_request("nearest requires a Vector property, got " + property.name);
  }
}

}  // namespace

VectorSearchOptions vector_search_options() {
  std::lock_guard lock(options_mutex);
  return options_storage();
}

void set_vector_search_options(const VectorSearchOptions& options) {
  std::lock_guard lock(options_mutex);
  options_storage() = options;
}

VectorIndexStats vector_index_stats() {
  VectorIndexStats s;
  s.exact_searches = counters.exact_searches;
  s.index_searches = counters.index_searches;
  s.cache_hits = counters.cache_hits;
  s.builds = counters.builds;
  s.loads = counters.loads;
  s.diff_updates = counters.diff_updates;
  s.rows_applied = counters.rows_applied;
  s.persists = counters.persists;
  return s;
}

void clear_vector_index_cache() {
  std::lock_guard lock(cache_mutex);
  cache.clear();
}

std::vector<Neighbor> nearest(const GraphView& view, const compiler::NodeType& type,
                              const compiler::Property& property, const std::vector<float>& query,
                              size_t k) {
  check_property(property);
  if (query.size() != property.type.vector_dim) {
    throw_bad_request("nearest vector dimension mismatch: property is Vector(" +
                      std::to_string(property.type.vector_dim) + "), query has " +
                      std::to_string(query.size()) + " elements");
  }
  if (k == 0) return {};
  const VectorSearchOptions options = vector_search_options();
  if (view.row_count(type.table_key()) < options.exact_threshold) {
    return exact(view, type, property, query, k);
  }
  const Hash rows_root = rows_root_of(view, type);
  auto entry = cache_entry(view, type, property);
  std::lock_guard lock(entry->mutex);
  refresh(*entry, view, type, property, rows_root, options);
  counters.index_searches++;
  std::vector<Neighbor> out;
  const size_t ef =
      options.hnsw.ef_search ? options.hnsw.ef_search : default_ef_search(entry->index->size());
  for (auto& [distance, id] : entry->index->search(query.data(), k, ef)) {
    out.push_back({distance, std::move(id)});
  }
  return out;
}

bool prebuild_vector_index(const GraphView& view, const compiler::NodeType& type,
                           const compiler::Property& property) {
  check_property(property);
  const VectorSearchOptions options = vector_search_options();
  if (view.row_count(type.table_key()) < options.exact_threshold) return false;
  const Hash rows_root = rows_root_of(view, type);
  auto entry = cache_entry(view, type, property);
  std::lock_guard lock(entry->mutex);
  refresh(*entry, view, type, property, rows_root, options);
  // An index that was moved by a diff is persisted here too, so a restart
  // loads exactly this root.
  if (options.persist && entry->changed_since_persist > 0) {
    persist(view, type, property, rows_root, *entry->index);
    entry->changed_since_persist = 0;
  }
  return true;
}

size_t prebuild_vector_indexes(const GraphView& view) {
  size_t ready = 0;
  for (const auto& type : view.catalog().node_types()) {
    for (const auto& property : type.properties) {
      if (property.type.is_vector() && !property.type.list &&
          prebuild_vector_index(view, type, property)) {
        ++ready;
      }
    }
  }
  return ready;
}

}  // namespace omnigraph::engine::search::vector
