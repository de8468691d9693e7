// `omnigraph optimize DIR` (DESIGN.md §4 "Maintenance"): pre-builds the
// derived search indexes of every branch head and persists them in the
// graph's store, so the first query after a restart loads instead of
// building. Branches sharing a root share its indexes (keyed by content).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/search/derived_indexes.h"

namespace omnigraph::engine::search {

struct OptimizedBranch {
  std::string branch;
  std::string commit_id;
  std::vector<DerivedIndexReport> indexes;
};

// Opens the graph directory `dir` (Error(kNotFound) when there is none;
// the store's error when another process holds it) and optimizes every
// branch head, in branch-name order.
std::vector<OptimizedBranch> optimize_graph(const std::filesystem::path& dir);

}  // namespace omnigraph::engine::search
