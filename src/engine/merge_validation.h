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

// Validation of a combination of two sides' changes since a common base (a
// merge candidate, a rebased write): only what the changes can break
// together, each side being valid on its own, so the cost follows the
// changes, not the graph. `result` holds both sides' changes; `ours` and
// `theirs` are their row changes (see rebase.h collect_changes). Reports,
// in the order and with the texts of validate_merge_candidate, @unique
// values written by both (unique_violation), edges one side wrote whose
// endpoint the other deleted (orphan_edge), and @card bounds of a source
// both wrote edges of (cardinality_violation).
std::vector<MergeConflict> validate_rebase(const GraphView& result, const SideChanges& ours,
                                           const SideChanges& theirs);

}  // namespace omnigraph::engine
