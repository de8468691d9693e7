// The read executor's operators (internal to the executor files): each
// pipeline op of spec §4.1–§4.3, §4.12 and the return stage of §4.7, §4.8.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/exec_row.h"
#include "engine/executor.h"
#include "engine/value_compare.h"

namespace omnigraph::engine::exec {

using compiler::ir::Expr;
using compiler::ir::Filter;
using compiler::ir::Op;

// The search mode of a top-level pipeline (spec §4.6): what the NodeScan of
// `variable` becomes when the first order item is nearest or bm25.
struct SearchMode {
  enum class Kind { kNone, kNearest, kBm25 };
  Kind kind = Kind::kNone;
  std::string variable;
  std::string property;           // kBm25: the searched String property
  std::string query;              // kBm25: the query text
  const Expr* nearest = nullptr;  // kNearest: the nearest(...) call
  size_t k = 0;                   // kNearest: rows wanted (the limit)
  // Set when the pipeline is one scan (plus its text searches) whose first
  // rows are all the query returns: the scan may stop after that many.
  std::optional<size_t> first_rows;
};

// Runs `ops` over `rows`. `outer_bound` names the variables an anti-join's
// outer row already binds (empty for the top-level pipeline); `mode` is the
// top-level pipeline's search mode (nullptr inside negations). Returns the
// variables the pipeline binds.
std::set<std::string> run_pipeline(ExecContext& ctx, const std::vector<Op>& ops, RowSet& rows,
                                   const std::set<std::string>& outer_bound,
                                   const SearchMode* mode = nullptr);

// --- operands (exec_operand.cpp) ---

// A side of an explicit filter (§4.4): property, literal or parameter;
// anything else is `unsupported expression in filter`.
Operand filter_operand(ExecContext& ctx, const Expr& expr);
// A projected expression (§4.7): property, variable (its id), literal or
// parameter; anything else is `unsupported projection expression`.
Operand projection_operand(ExecContext& ctx, const Expr& expr);

// An inline `{ prop: value }` match of a scan or deferred binding, with its
// value resolved (§4.2).
struct InlineMatch {
  std::string property;
  compiler::query::CompOp op = compiler::query::CompOp::kEq;
  Value value;
};
// Resolves a scan's or expand's inline matches. An undeclared variable as
// the value is skipped for a scan (`deferred` false) and is `unsupported
// expression in filter` for a deferred binding; a missing parameter is
// `parameter 'x' not provided`.
std::vector<InlineMatch> resolve_inline_matches(ExecContext& ctx,
                                                const std::vector<Filter>& filters, bool deferred);
// Whether a node passes every inline match (SQL pushdown semantics).
bool passes_inline_matches(const compiler::NodeType& type, const Row& row,
                           const std::vector<InlineMatch>& matches);

// --- operators ---

// NodeScan (§4.2): the matching nodes of op.type_name in id order, using
// the key or an index when a match (or a later explicit filter on the scan
// variable in `pipeline`) allows it.
std::vector<EntityRef> scan_nodes(ExecContext& ctx, const Op& op,
                                  const std::vector<InlineMatch>& matches,
                                  const std::vector<Op>& pipeline);

// Expand (§4.3): BFS per input row.
void expand(ExecContext& ctx, const Op& op, std::vector<ExecRow>& rows);

// --- return stage ---

struct ProjectedRows {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
};

// Aggregation (§4.8) of the pipeline rows.
ProjectedRows aggregate(ExecContext& ctx, const compiler::ir::ReadPlan& plan,
                        const std::vector<ExecRow>& rows, const std::set<std::string>& bound);

// The operand of a projected expression, checking that its variable is
// bound by the pipeline (`column 'v.p' not found in wide batch`).
Operand bound_projection_operand(ExecContext& ctx, const Expr& expr,
                                 const std::set<std::string>& bound);

// ORDER BY (§4.7). `source` holds the pipeline rows each projected row came
// from (non-aggregate queries; empty for aggregates, whose property
// orderings look up unaliased result columns). Stable.
void order_rows(ExecContext& ctx, const compiler::ir::ReadPlan& plan, ProjectedRows& result,
                const std::vector<ExecRow>* source);

// --- search (exec_search.cpp; spec §4.5, §4.6) ---

// The search mode of `rank` (a nearest or bm25 rank expression): `bm25
// query must resolve to a string`, `bm25 field must be a property access`.
SearchMode search_mode(ExecContext& ctx, const compiler::ir::ReadPlan& plan, const Expr& rank);

// The nodes of a NodeScan that a search applies to, in search order: the
// last text-search op of `pipeline` on the scan variable (§4.5) and/or the
// search mode (§4.6; bm25 replaces a text search on the same variable).
// nullopt when no search applies (the scan runs as usual).
std::optional<std::vector<EntityRef>> search_scan(ExecContext& ctx, const Op& scan,
                                                  const std::vector<InlineMatch>& matches,
                                                  const std::vector<Op>& pipeline,
                                                  const SearchMode* mode);

// rrf ordering (§4.6): runs the pipeline once per sub-search and returns
// the fused rows, best first, at most `limit`; `bound` receives the
// variables the pipeline binds.
std::vector<ExecRow> rrf_rows(ExecContext& ctx, const compiler::ir::ReadPlan& plan,
                              std::set<std::string>& bound);

}  // namespace omnigraph::engine::exec
