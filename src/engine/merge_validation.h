// Post-merge validation (engine.md §2.7): the merge candidate must hold the
// constraints no single write could have broken on its own side but the
// combination can — edges whose endpoint the other side deleted, @unique
// values both sides introduced, @card counts both sides pushed, and node
// value constraints.
#pragma once

#include <vector>

#include "common/error.h"
#include "engine/graph_view.h"

namespace omnigraph::engine {

// Every violation in `candidate`, over all tables of its catalog: nodes in
// declaration order (value_constraint_violation, unique_violation), then
// edges (unique_violation, orphan_edge, then cardinality_violation by
// source id). Empty when the candidate is valid.
std::vector<MergeConflict> validate_merge_candidate(const GraphView& candidate);

}  // namespace omnigraph::engine
