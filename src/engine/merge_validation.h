// Post-merge validation (engine.md §2.7): the merge candidate must hold the
// constraints no single write could have broken on its own side but the
// combination can — edges whose endpoint the other side deleted, @unique
// values both sides introduced, @card counts both sides pushed, and node
// value constraints.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/error.h"
#include "engine/graph_view.h"
#include "prolly/diff.h"

namespace omnigraph::engine {

// Every violation in `candidate`, over all tables of its catalog: nodes in
// declaration order (value_constraint_violation, unique_violation), then
// edges (unique_violation, orphan_edge, then cardinality_violation by
// source id). Empty when the candidate is valid.
std::vector<MergeConflict> validate_merge_candidate(const GraphView& candidate);

// One writer's row changes since the base both writers started from, by
// table key (DiffEntry from = base row, to = its row after the write).
struct SideChanges {
  std::map<std::string, std::vector<prolly::DiffEntry>> tables;
};

// Validation of a rebased write (DESIGN.md §4 "Concurrent writers"): only
// what the two writers' changes can break together, each side being valid
// on its own, so the cost follows the changes, not the graph. `ours` and
// `theirs` touched no common row. Reports edges one side wrote whose
// endpoint the other deleted (orphan_edge), @unique values written by both
// (unique_violation) and @card bounds of a source both wrote edges of
// (cardinality_violation). Each conflict's table_key is a table `theirs`
// changed: the one the later writer saw a stale version of.
std::vector<MergeConflict> validate_rebase(const GraphView& result, const SideChanges& ours,
                                           const SideChanges& theirs);

}  // namespace omnigraph::engine
