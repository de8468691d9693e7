// ORDER BY (spec §4.7): lexicographic over the order items, ascending with
// nulls first, descending with nulls last, NaN above every number; a stable
// sort, so ties keep pipeline order.
#include <algorithm>
#include <numeric>

#include "common/error.h"
#include "engine/exec_ops.h"

namespace omnigraph::engine::exec {

namespace {

using EK = Expr::Kind;

size_t find_column(const ProjectedRows& result, const std::string& name, const char* what) {
  auto it = std::find(result.columns.begin(), result.columns.end(), name);
  if (it == result.columns.end()) {
    throw_bad_request(std::string(what) + " '" + name + "' not found for ordering");
  }
  return static_cast<size_t>(it - result.columns.begin());
}

}  // namespace

void order_rows(ExecContext& ctx, const compiler::ir::ReadPlan& plan, ProjectedRows& result,
                const std::vector<ExecRow>* source) {
  if (plan.order.empty()) return;
  size_t n = result.rows.size();
  // keys[item][row]
  std::vector<std::vector<Value>> keys;
  for (const auto& item : plan.order) {
    std::vector<Value> column;
    column.reserve(n);
    const Expr& e = item.expr;
    if (e.kind == EK::kPropAccess && source) {
      // Looked up in the full joined row: it need not be projected.
      Operand operand = Operand::property(ctx.slot(e.variable), e.variable, e.name);
      for (size_t i = 0; i < n; ++i) column.push_back(operand.eval((*source)[i], ctx));
    } else if (e.kind == EK::kPropAccess || e.kind == EK::kAliasRef) {
      // Aggregates: `$v.p` must be an unaliased result column; aliases are
      // result columns in both cases.
      size_t c = e.kind == EK::kPropAccess
                     ? find_column(result, e.variable + "." + e.name, "column")
                     : find_column(result, e.name, "alias");
      for (size_t i = 0; i < n; ++i) column.push_back(result.rows[i][c]);
    } else {
      throw_bad_request("unsupported ordering expression");
    }
    keys.push_back(std::move(column));
  }

  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    for (size_t k = 0; k < keys.size(); ++k) {
      const Value& x = keys[k][a];
      const Value& y = keys[k][b];
      bool desc = plan.order[k].descending;
      int c;
      if (x.is_null() || y.is_null()) {
        if (x.is_null() && y.is_null()) continue;
        // Ascending: nulls first; descending: nulls last.
        c = x.is_null() ? (desc ? 1 : -1) : (desc ? -1 : 1);
      } else {
        c = sort_compare(x, y);
        if (desc) c = -c;
      }
      if (c != 0) return c < 0;
    }
    return false;
  });

  std::vector<std::vector<Value>> sorted;
  sorted.reserve(n);
  for (size_t i : order) sorted.push_back(std::move(result.rows[i]));
  result.rows = std::move(sorted);
}

}  // namespace omnigraph::engine::exec
