// The read executor's operators (internal to the executor files): each
// pipeline op of spec §4.1–§4.3, §4.12 and the return stage of §4.7, §4.8.
#pragma once

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

// Runs `ops` over `rows`. `outer_bound` names the variables an anti-join's
// outer row already binds (empty for the top-level pipeline). Returns the
// variables the pipeline binds.
std::set<std::string> run_pipeline(ExecContext& ctx, const std::vector<Op>& ops, RowSet& rows,
                                   const std::set<std::string>& outer_bound);

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

// --- search (a later issue): every entry point throws for now ---

// Throws if the plan needs search or ranking (text search ops, nearest /
// bm25 / rrf ordering): `search functions are not supported yet: <fn>`.
void check_search_support(const compiler::ir::ReadPlan& plan);
// A text-search op of a pipeline (spec §4.5).
void text_search(ExecContext& ctx, const Op& op, std::vector<ExecRow>& rows);

}  // namespace omnigraph::engine::exec
