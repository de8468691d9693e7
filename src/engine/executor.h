// Runs a compiled read query (spec languages.md §4.1–§4.4, §4.7, §4.8,
// §4.11, §4.12) against one graph view and returns its rows.
//
// Semantics follow the reference, quirks included (bag semantics, per-source
// BFS with first-discovery hops, null never matches, right side cast to the
// left's type, ...). Where we differ on purpose:
//   - a parameter missing at execution is an error `parameter 'x' not
//     provided` everywhere (the reference silently skipped it in bindings);
//   - `now()` reads the `__nanograph_now` parameter (Value::datetime) that
//     the caller injects for reads too;
//   - without `order`, rows come in storage order = id order.
// Search and ranking (search/fuzzy/match_text in match, nearest/bm25/rrf
// ordering, §4.5, §4.6) are in exec_search.cpp; see docs/search.md.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "engine/graph_view.h"
#include "engine/param_map.h"
#include "engine/value.h"

namespace omnigraph::engine {

struct ResultSet {
  std::vector<std::string> columns;  // spec §6.2 names, projection order
  std::vector<std::vector<Value>> rows;
};

// Throws Error(kBadRequest) with the reference's texts: `parameter 'x' not
// provided`, `unsupported projection expression`, `unsupported ordering
// expression`, `unsupported expression in filter`, `invalid Date literal
// '…'`.
ResultSet execute_read(const GraphView& view, const compiler::ir::ReadPlan& plan,
                       const ParamMap& params);

}  // namespace omnigraph::engine
