// Aggregation (spec §4.8): group by the non-aggregate projections, groups
// in order of first appearance, key values from each group's first row.
#include <string>
#include <unordered_map>

#include "common/error.h"
#include "engine/exec_ops.h"
#include "engine/row_codec.h"

namespace omnigraph::engine::exec {

namespace {

using compiler::query::AggFunc;
using EK = Expr::Kind;

struct Column {
  bool aggregate = false;
  AggFunc func = AggFunc::kCount;
  Operand operand;
};

bool is_number(const Value& v) {
  return v.kind() == Value::Kind::kInt || v.kind() == Value::Kind::kUInt ||
         v.kind() == Value::Kind::kFloat;
}

double as_double(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kInt: return static_cast<double>(v.as_int());
    case Value::Kind::kUInt: return static_cast<double>(v.as_uint());
    default: return v.as_float();
  }
}

// min/max keep the first value unless a later one is strictly smaller
// (larger); floats compare as IEEE numbers, so a NaN never replaces.
bool better(const Value& v, const Value& current, bool is_min) {
  if (v.kind() == Value::Kind::kFloat && current.kind() == Value::Kind::kFloat) {
    return is_min ? v.as_float() < current.as_float() : v.as_float() > current.as_float();
  }
  int c = sort_compare(v, current);
  return is_min ? c < 0 : c > 0;
}

Value compute(AggFunc func, const Operand& operand, const std::vector<ExecRow>& rows,
              const std::vector<size_t>& group, const ExecContext& ctx) {
  switch (func) {
    case AggFunc::kCount: {
      int64_t n = 0;
      for (size_t i : group) n += operand.eval(rows[i], ctx).is_null() ? 0 : 1;
      return Value::integer(n);
    }
    case AggFunc::kSum:
    case AggFunc::kAvg: {
      double sum = 0;
      int64_t n = 0;
      for (size_t i : group) {
        const Value& v = operand.eval(rows[i], ctx);
        if (v.is_null()) continue;
        if (!is_number(v)) {
          throw_bad_request(std::string(compiler::query::agg_func_name(func)) +
                            ": unsupported type");
        }
        sum += as_double(v);
        ++n;
      }
      if (n == 0) return Value();
      return Value::floating(func == AggFunc::kSum ? sum : sum / static_cast<double>(n));
    }
    case AggFunc::kMin:
    case AggFunc::kMax: {
      Value result;
      for (size_t i : group) {
        const Value& v = operand.eval(rows[i], ctx);
        if (v.is_null()) continue;
        if (result.is_null() || better(v, result, func == AggFunc::kMin)) result = v;
      }
      return result;
    }
  }
  return Value();
}

}  // namespace

Operand bound_projection_operand(ExecContext& ctx, const Expr& expr,
                                 const std::set<std::string>& bound) {
  if ((expr.kind == EK::kPropAccess || expr.kind == EK::kVariable) && !bound.count(expr.variable)) {
    throw_bad_request("column '" + expr.variable + "." +
                      (expr.kind == EK::kPropAccess ? expr.name : std::string("id")) +
                      "' not found in wide batch");
  }
  return projection_operand(ctx, expr);
}

ProjectedRows aggregate(ExecContext& ctx, const compiler::ir::ReadPlan& plan,
                        const std::vector<ExecRow>& rows, const std::set<std::string>& bound) {
  std::vector<Column> columns;
  std::vector<size_t> keys;
  for (const auto& p : plan.projections) {
    Column c;
    if (p.expr.kind == EK::kAggregate) {
      c.aggregate = true;
      c.func = p.expr.agg;
      if (p.expr.args.empty()) throw_bad_request("unsupported projection expression");
      c.operand = bound_projection_operand(ctx, p.expr.args[0], bound);
    } else {
      keys.push_back(columns.size());
      c.operand = bound_projection_operand(ctx, p.expr, bound);
    }
    columns.push_back(std::move(c));
  }

  ProjectedRows out;
  if (rows.empty() && keys.empty()) {
    // One row: count 0, every other aggregate null; unaliased names are "?".
    std::vector<Value> row;
    for (size_t i = 0; i < columns.size(); ++i) {
      const auto& p = plan.projections[i];
      out.columns.push_back(p.alias ? *p.alias : "?");
      bool count = columns[i].aggregate && columns[i].func == AggFunc::kCount;
      row.push_back(count ? Value::integer(0) : Value());
    }
    out.rows.push_back(std::move(row));
    return out;
  }
  for (const auto& p : plan.projections) out.columns.push_back(p.column);

  // Group ids keyed by the encoded key values (null is its own value).
  std::vector<std::vector<size_t>> groups;
  if (keys.empty()) {
    groups.emplace_back();
    for (size_t i = 0; i < rows.size(); ++i) groups[0].push_back(i);
  } else {
    std::unordered_map<std::string, size_t> index;
    std::string key;
    for (size_t i = 0; i < rows.size(); ++i) {
      key.clear();
      for (size_t k : keys) {
        const Value& v = columns[k].operand.eval(rows[i], ctx);
        if (v.is_null()) {
          key.push_back('N');
        } else {
          key.push_back('L');
          encode_value(key, v);
        }
      }
      auto [it, added] = index.emplace(key, groups.size());
      if (added) groups.emplace_back();
      groups[it->second].push_back(i);
    }
  }

  for (const auto& group : groups) {
    std::vector<Value> row;
    for (const Column& c : columns) {
      row.push_back(c.aggregate ? compute(c.func, c.operand, rows, group, ctx)
                                : c.operand.eval(rows[group.front()], ctx));
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace omnigraph::engine::exec
