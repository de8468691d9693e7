// k-nearest-neighbour search over one node property (languages.md §4.6;
// DESIGN.md §4 "Derived indexes", §5).
//
// Small tables are scanned exactly. Above `exact_threshold` rows an HNSW
// index (hnswlib, L2) answers instead. The index is derived data: built on
// demand from the table's rows tree, cached in memory by (store, table,
// property) together with the rows-tree root it reflects, and moved to a
// newer (or older) root by applying the prolly diff between the two roots
// (added, removed and changed rows) instead of rebuilding. Built indexes are
// persisted as content-addressed chunks named by refs (derived_store.h): one
// per rows root, plus a per-(table, property) "latest" ref, so a restarted
// process loads the index (and applies the diff from the latest persisted
// root) instead of rebuilding it.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "compiler/catalog/catalog.h"
#include "engine/graph_view.h"
#include "engine/search/vector/hnsw_index.h"

namespace omnigraph::engine::search::vector {

struct VectorSearchOptions {
  // Tables with fewer rows than this are scanned exactly.
  uint64_t exact_threshold = 20000;
  HnswParams hnsw;
  unsigned build_threads = 2;
  // A diff touching more than this share of the indexed rows rebuilds instead.
  double max_diff_fraction = 0.25;
  // Re-persist an updated index once this share of its rows changed since
  // it was last persisted.
  double repersist_fraction = 0.10;
  bool persist = true;
};

// Process-wide options. The defaults can be overridden from the environment
// (read once): OMNIGRAPH_VECTOR_EXACT_THRESHOLD, OMNIGRAPH_HNSW_M (0 = by
// table size), OMNIGRAPH_HNSW_EF_CONSTRUCTION, OMNIGRAPH_HNSW_EF_SEARCH,
// OMNIGRAPH_HNSW_QUANTIZE (0 = graph over floats), OMNIGRAPH_VECTOR_BUILD_THREADS.
VectorSearchOptions vector_search_options();
void set_vector_search_options(const VectorSearchOptions& options);

// Counters, for tests and benchmarks.
struct VectorIndexStats {
  uint64_t exact_searches = 0;
  uint64_t index_searches = 0;
  uint64_t cache_hits = 0;    // the cached index already reflected the root
  uint64_t builds = 0;        // full builds from the rows tree
  uint64_t loads = 0;         // indexes read back from the chunk store
  uint64_t diff_updates = 0;  // indexes moved to another root by a diff
  uint64_t rows_applied = 0;  // rows upserted or removed by those diffs
  uint64_t persists = 0;      // index images written to the chunk store
};
VectorIndexStats vector_index_stats();
// Drops every in-memory index (tests use it to stand for a restart).
void clear_vector_index_cache();

// A hit: the node id and its squared L2 distance to the query.
struct Neighbor {
  float distance = 0;
  std::string id;
};

// The (at most) k nodes of `type` nearest to `query` by `property` (a
// Vector(d) property; query has d values), by ascending distance, ties by
// id. Nodes whose property is null are never returned.
std::vector<Neighbor> nearest(const GraphView& view, const compiler::NodeType& type,
                              const compiler::Property& property, const std::vector<float>& query,
                              size_t k);

// Makes sure the HNSW index of (`view`'s root, type, property) is in memory
// and persisted. Returns false (and does nothing) for tables small enough
// to be scanned exactly.
bool prebuild_vector_index(const GraphView& view, const compiler::NodeType& type,
                           const compiler::Property& property);
// prebuild_vector_index for every Vector property of every node type;
// returns how many indexes are ready.
size_t prebuild_vector_indexes(const GraphView& view);

}  // namespace omnigraph::engine::search::vector
