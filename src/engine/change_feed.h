// The change feed: the entity-level difference of two graph states
// (engine.md §5), computed from their graph roots alone. Each table's rows
// tree is diffed with the streaming prolly differ, so shared subtrees are
// skipped unopened and the cost follows the size of the change; changes go
// to the sink one at a time and are never collected.
//
// Order: tables by table key ascending (`edge:…` before `node:…`), then
// rows by id ascending within a table. The reference leaves the order
// unspecified; ours is deterministic.
#pragma once

#include <cstdint>
#include <functional>

#include "engine/graph_root.h"
#include "omnigraph/graph.h"
#include "prolly/node_store.h"

namespace omnigraph::engine {

// Streams every change from `from` to `to` that passes `filter` through
// `sink`, stamping each with `manifest_version` (the `to` state's), and
// returns the stats of what was emitted. An update is a row whose stored
// value differs; rows are content-addressed, so rewriting a row with the
// same values is no change at all. Error(kBadRequest) for a filter kind or
// op that does not exist.
ChangeStats diff_graph_roots(prolly::NodeStore& nodes, const GraphRoot& from, const GraphRoot& to,
                             uint64_t manifest_version, const ChangeFilter& filter,
                             const std::function<void(const EntityChange&)>& sink);

}  // namespace omnigraph::engine
