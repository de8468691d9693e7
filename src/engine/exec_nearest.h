// k-nearest-neighbour search behind `nearest($v.p, q)` (languages.md §4.6).
// The vector side of search: the text/ranking side of the executor (bm25,
// rrf, search-mode ordering) calls this to turn the NodeScan of `$v` into a
// k-NN search.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/exec_ops.h"

namespace omnigraph::engine::exec {

// The ids of the `$v` rows nearest to the query of `nearest_call` (an
// Expr of the nearest function), by ascending L2 distance, at most `k`.
// The query is a numeric list literal, a Vector parameter, or a String
// (literal or parameter) that is embedded first.
std::vector<std::string> nearest_ids(ExecContext& ctx, const Expr& nearest_call, size_t k);

}  // namespace omnigraph::engine::exec
