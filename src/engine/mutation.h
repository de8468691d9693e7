// Runs a compiled mutation (languages.md §4.9) against a GraphWriter:
// statements in order, each seeing the earlier ones' writes; the caller
// commits once at the end, so the query is atomic.
#pragma once

#include <cstdint>

#include "compiler/ir/ir.h"
#include "engine/graph_writer.h"
#include "engine/param_map.h"

namespace omnigraph::engine {

struct MutationSummary {
  uint64_t affected_nodes = 0;
  uint64_t affected_edges = 0;
};

MutationSummary execute_mutation(GraphWriter& writer, const compiler::ir::MutationPlan& plan,
                                 const ParamMap& params);

}  // namespace omnigraph::engine
