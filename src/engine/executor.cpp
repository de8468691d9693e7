// The read-query driver: pipeline, then projection or aggregation, ordering
// and limit (spec §4.7, §4.8). The stages live in the exec_*.cpp files.
#include "engine/executor.h"

#include "common/error.h"
#include "engine/exec_ops.h"

namespace omnigraph::engine {

ResultSet execute_read(const GraphView& view, const compiler::ir::ReadPlan& plan,
                       const ParamMap& params) {
  using namespace exec;
  check_search_support(plan);
  ExecContext ctx(view, plan, params);

  RowSet rows;
  std::set<std::string> bound = run_pipeline(ctx, plan.pipeline, rows, {});
  std::vector<ExecRow> wide;
  if (rows) {
    wide = std::move(*rows);
  } else {
    bound.clear();  // nothing was scanned: no variable has a column
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
