// Pre-building the derived search indexes of a graph root (DESIGN.md §4
// "Derived indexes", §4 "Maintenance": `omnigraph optimize`). Each kind of
// derived index (vector HNSW here; the text side may add its own) plugs a
// builder in; optimize calls build_derived_indexes for every branch head.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "engine/graph_view.h"

namespace omnigraph::engine::search {

// Builds (or loads, or brings up to date) and persists the indexes of one
// kind for `view`'s root; returns how many indexes are ready.
using DerivedIndexBuilder = std::function<size_t(const GraphView& view)>;

// Adds a builder under `name` (a later registration with the same name
// replaces it). Call it from code that runs before optimize, e.g. a
// function-local static of the module that owns the index kind.
void register_derived_index_builder(const std::string& name, DerivedIndexBuilder builder);

struct DerivedIndexReport {
  std::string name;  // "vector", ...
  size_t indexes = 0;
};

// Runs every builder (the vector one always) for `view`.
std::vector<DerivedIndexReport> build_derived_indexes(const GraphView& view);

}  // namespace omnigraph::engine::search
