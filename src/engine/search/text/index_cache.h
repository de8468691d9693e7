// The process-wide cache of full-text indexes (DESIGN.md §4 "Derived
// indexes"). An index is keyed by the root hash of a node table's rows tree
// and the property it covers; chunks never change, so an entry is valid for
// as long as it is kept. When a root has no entry, the most recently used
// index of the same table and property in the same store is brought forward
// by applying the rows-tree diff between the two roots, so a small write to
// a big table costs in proportion to the write, not to the table.
// Given the graph's ref store, a full build is also persisted
// (derived_store.h, kind "text"), and a miss first tries the image persisted
// for that root, then the last persisted image of the table moved by the
// diff, so a restarted process does not rebuild.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>

#include "common/hash.h"
#include "engine/search/text/inverted_index.h"
#include "prolly/node_store.h"
#include "store/ref_store.h"

namespace omnigraph::engine::search::text {

class IndexCache {
 public:
  struct Limits {
    size_t max_entries = 16;
    size_t max_docs = 4'000'000;  // documents over all entries
    // A diff with more changed rows than this fraction of the target's rows
    // is not worth applying: rebuild instead.
    double max_diff_fraction = 0.5;
  };
  struct Stats {
    uint64_t hits = 0;
    uint64_t full_builds = 0;
    uint64_t diff_updates = 0;
    uint64_t loads = 0;     // images read back from the store
    uint64_t persists = 0;  // images written to the store
  };

  IndexCache() = default;
  explicit IndexCache(Limits limits) : limits_(limits) {}

  // The process-wide instance the executor uses.
  static IndexCache& global();

  // The index of String property `property_id` over the rows tree at
  // `rows_root` of table `table_key` (with `row_count` rows) in `nodes`.
  std::shared_ptr<const InvertedIndex> get(prolly::NodeStore& nodes, const std::string& table_key,
                                           const Hash& rows_root, uint64_t row_count,
                                           uint32_t property_id, store::RefStore* refs = nullptr);

  Stats stats() const;
  void clear();

 private:
  struct Entry {
    Hash root;
    uint32_t property_id = 0;
    const prolly::NodeStore* store = nullptr;  // lineage: diffs need the same store
    std::string table_key;
    std::shared_ptr<InvertedIndex> index;
  };
  using Entries = std::list<Entry>;  // most recently used first

  void insert_locked(Entry entry);

  Limits limits_;
  mutable std::mutex mutex_;
  Entries entries_;
  Stats stats_;
};

// Builds the index of `property_id` over every row of a rows tree.
std::shared_ptr<InvertedIndex> build_index(prolly::NodeStore& nodes, const Hash& rows_root,
                                           uint32_t property_id);

}  // namespace omnigraph::engine::search::text
