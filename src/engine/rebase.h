// Replaying a write onto a branch head that moved after the writer read it
// (DESIGN.md §4 "Concurrent writers"): tables only the writer changed are
// taken as it wrote them, tables both changed are merged row by row, and a
// row both touched, or a combination the validation refuses, is a manifest
// conflict for the later writer.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "compiler/catalog/catalog.h"
#include "engine/graph_root.h"
#include "engine/merge_validation.h"
#include "prolly/node_store.h"

namespace omnigraph::engine {

// What two writers (or two branches) changed since a common base: the tables
// each changed, and the row changes of those whose related tables (itself,
// an edge's endpoint tables, a node's edge tables) the other side changed
// too — only those can combine into something neither side wrote, so a big
// load next to unrelated small writes is never diffed.
struct TwoSidedChanges {
  std::set<std::string> a_changed;
  std::set<std::string> b_changed;
  SideChanges a;
  SideChanges b;
};
TwoSidedChanges collect_changes(prolly::NodeStore& nodes, const compiler::Catalog& catalog,
                                const GraphRoot& base, const GraphRoot& a, const GraphRoot& b);

// The root to commit on `current` for a write that turned `base` into
// `ours`. Throws Error(kConflict) carrying a ManifestConflict (see
// throw_stale_view) when the write cannot be replayed; nothing reachable is
// written then. `catalog` is base's schema.
GraphRoot rebase_write(prolly::NodeStore& nodes,
                       const std::shared_ptr<const compiler::Catalog>& catalog,
                       const GraphRoot& base, const GraphRoot& ours, const GraphRoot& current,
                       const std::string& branch);

// Error(kConflict) "stale view of '<key>': expected manifest table version
// <expected> but current is <actual> — refresh and retry" with its
// ManifestConflict (the reference's text, http-contract.md §1.7).
[[noreturn]] void throw_stale_view(const std::string& table_key, uint64_t expected,
                                   uint64_t actual);

}  // namespace omnigraph::engine
