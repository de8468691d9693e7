// The read-query driver: pipeline, then projection or aggregation, ordering
// and limit (spec §4.7, §4.8). The stages live in the exec_*.cpp files.
#include "engine/executor.h"

#include "common/error.h"
#include "engine/exec_ops.h"

namespace omnigraph::engine {

namespace {

// How many scan rows the query can return at most, when the pipeline is a
// single scan (plus the text searches it absorbs) whose rows are returned
// in scan order: then a searched scan may stop early.
std::optional<size_t> first_rows(const compiler::ir::ReadPlan& plan, const exec::SearchMode& mode) {
  using Op = compiler::ir::Op;
  if (!plan.limit || plan.aggregate) return std::nullopt;
  // Only a search mode or no ordering keeps scan order.
  if (mode.kind == exec::SearchMode::Kind::kNone && !plan.order.empty()) return std::nullopt;
  size_t scans = 0;
  for (const Op& op : plan.pipeline) {
    if (op.kind == Op::Kind::kNodeScan) {
      ++scans;  // its inline matches are applied while fetching
    } else if (op.kind != Op::Kind::kTextSearch) {
      return std::nullopt;
    }
  }
  if (scans != 1) return std::nullopt;
  return static_cast<size_t>(*plan.limit);
}

}  // namespace

ResultSet execute_read(const GraphView& view, const compiler::ir::ReadPlan& plan,
                       const ParamMap& params) {
  using namespace exec;
  using Rank = compiler::ir::Rank;
  ExecContext ctx(view, plan, params);

  std::vector<ExecRow> wide;
  std::set<std::string> bound;
  if (plan.rank && plan.rank->mode == Rank::Mode::kRrf) {
    // Already fused, ordered and limited (spec §4.6).
    wide = rrf_rows(ctx, plan, bound);
  } else {
    SearchMode mode;
    if (plan.rank) mode = search_mode(ctx, plan, plan.rank->expr);
    mode.first_rows = first_rows(plan, mode);
    RowSet rows;
    bound = run_pipeline(ctx, plan.pipeline, rows, {}, &mode);
    if (rows) {
      wide = std::move(*rows);
    } else {
      bound.clear();  // nothing was scanned: no variable has a column
    }
  }

  ProjectedRows result;
  if (plan.aggregate) {
    result = aggregate(ctx, plan, wide, bound);
    order_rows(ctx, plan, result, nullptr);
  } else {
    std::vector<Operand> operands;
    for (const auto& p : plan.projections) {
      operands.push_back(bound_projection_operand(ctx, p.expr, bound));
      result.columns.push_back(p.column);
    }
    // Without ordering only the first `limit` rows are ever returned.
    if (plan.order.empty() && plan.limit && wide.size() > *plan.limit) wide.resize(*plan.limit);
    result.rows.reserve(wide.size());
    for (const ExecRow& row : wide) {
      std::vector<Value> out;
      out.reserve(operands.size());
      for (const Operand& o : operands) out.push_back(o.eval(row, ctx));
      result.rows.push_back(std::move(out));
    }
    order_rows(ctx, plan, result, &wide);
  }
  if (plan.limit && result.rows.size() > *plan.limit) result.rows.resize(*plan.limit);
  return ResultSet{std::move(result.columns), std::move(result.rows)};
}

}  // namespace omnigraph::engine
