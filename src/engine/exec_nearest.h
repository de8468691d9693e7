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
// The same for a known node type of `$v` (the NodeScan's type_name). The
// overload above finds the type as the only node type with a Vector
// property of that name, and is an error when that is ambiguous.
std::vector<std::string> nearest_ids(ExecContext& ctx, const compiler::NodeType& type,
                                     const Expr& nearest_call, size_t k);

// The query vector of a nearest call: a numeric list literal, a Vector (or
// numeric list) parameter, or a String literal/parameter embedded with the
// configured embedder (embed/embedder.h) at `dim` dimensions.
std::vector<float> nearest_query_vector(ExecContext& ctx, const Expr& query, uint32_t dim);

}  // namespace omnigraph::engine::exec
