// The text form of a plan. One operator per line, nested pipelines indented
// by two spaces; the format is pinned by the `ir` cases in test/cases/query,
// so change it only together with them.
#include <cstdio>

#include "compiler/ir/ir.h"
#include "compiler/quote.h"

namespace omnigraph::compiler::ir {

namespace {

std::string literal(const Literal& l) {
  switch (l.kind) {
    case Literal::Kind::kString: return quote(l.text);
    case Literal::Kind::kInteger: return std::to_string(l.int_value);
    case Literal::Kind::kFloat: return l.text;
    case Literal::Kind::kBool: return l.bool_value ? "true" : "false";
    case Literal::Kind::kDate: return "date(" + quote(l.text) + ")";
    case Literal::Kind::kDateTime: return "datetime(" + quote(l.text) + ")";
    case Literal::Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < l.items.size(); ++i) {
        if (i) out += ", ";
        out += literal(l.items[i]);
      }
      return out + "]";
    }
  }
  return "?";
}

std::string call(const char* name, const std::vector<Expr>& args) {
  std::string out = std::string(name) + "(";
  for (size_t i = 0; i < args.size(); ++i) {
    if (i) out += ", ";
    out += print_expr(args[i]);
  }
  return out + ")";
}

std::string filter(const Filter& f) {
  return print_expr(f.left) + " " + std::string(query::comp_op_text(f.op)) + " " +
         print_expr(f.right);
}

std::string filters(const std::vector<Filter>& fs) {
  std::string out;
  for (size_t i = 0; i < fs.size(); ++i) out += (i ? ", " : " where ") + filter(fs[i]);
  return out;
}

std::string params(const std::vector<ParamDecl>& ps) {
  std::string out = "(";
  for (size_t i = 0; i < ps.size(); ++i) {
    if (i) out += ", ";
    out += "$" + ps[i].name + ": " + ps[i].type.display();
  }
  return out + ")";
}

void print_ops(const std::vector<Op>& ops, const std::string& indent, std::string& out) {
  for (const auto& op : ops) {
    out += indent;
    switch (op.kind) {
      case Op::Kind::kNodeScan:
        out += "scan $" + op.variable + ": " + op.type_name + filters(op.filters);
        break;
      case Op::Kind::kExpand: {
        std::string edge =
            op.edge_variable.empty() ? op.edge_type : "$" + op.edge_variable + ":" + op.edge_type;
        std::string arrow = op.direction == Direction::kOut  ? "-[" + edge + "]->"
                            : op.direction == Direction::kIn ? "<-[" + edge + "]-"
                                                             : "-[" + edge + "]-";
        out += "expand $" + op.src + " " + arrow + " $" + op.variable + ": " + op.type_name +
               " hops " + std::to_string(op.min_hops) + ".." + std::to_string(op.max_hops) +
               filters(op.filters);
        break;
      }
      case Op::Kind::kFilter: out += "filter " + filter(op.filter); break;
      case Op::Kind::kTextSearch: {
        const TextSearch& ts = op.text_search;
        const char* mode = ts.mode == TextSearch::Mode::kSearch  ? "search"
                           : ts.mode == TextSearch::Mode::kFuzzy ? "fuzzy"
                                                                 : "match_text";
        out += "text_search " + std::string(mode) + " $" + ts.variable + "." + ts.property + " ~ " +
               print_expr(ts.query);
        if (ts.max_edits) out += " max_edits " + print_expr(*ts.max_edits);
        if (!ts.expected) out += " = false";
        break;
      }
      case Op::Kind::kAntiJoin:
        out += "anti_join $" + op.outer_variable + "\n";
        print_ops(op.inner, indent + "  ", out);
        continue;
    }
    out += "\n";
  }
}

}  // namespace

std::string print_expr(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::kPropAccess: return "$" + e.variable + "." + e.name;
    case Expr::Kind::kVariable: return "$" + e.variable;
    case Expr::Kind::kParam: return "$" + e.name;
    case Expr::Kind::kLiteral: return literal(e.literal);
    case Expr::Kind::kNearest:
      return "nearest($" + e.variable + "." + e.name + ", " + print_expr(e.args[0]) + ")";
    case Expr::Kind::kSearch: return call("search", e.args);
    case Expr::Kind::kFuzzy: return call("fuzzy", e.args);
    case Expr::Kind::kMatchText: return call("match_text", e.args);
    case Expr::Kind::kBm25: return call("bm25", e.args);
    case Expr::Kind::kRrf: return call("rrf", e.args);
    case Expr::Kind::kAggregate: return call(std::string(agg_func_name(e.agg)).c_str(), e.args);
    case Expr::Kind::kAliasRef: return e.name;
  }
  return "?";
}

std::string print_plan(const Plan& plan) {
  std::string out;
  if (plan.mutation) {
    const MutationPlan& m = plan.write;
    out += "mutation " + m.name + params(m.params) + "\n";
    for (const auto& op : m.ops) {
      const char* verb = op.kind == MutationOp::Kind::kInsert   ? "insert"
                         : op.kind == MutationOp::Kind::kUpdate ? "update"
                                                                : "delete";
      out += std::string("  ") + verb + (op.edge ? " edge " : " node ") + op.type_name;
      if (!op.assignments.empty()) {
        out += op.kind == MutationOp::Kind::kUpdate ? " set {" : " {";
        for (size_t i = 0; i < op.assignments.size(); ++i) {
          if (i) out += ", ";
          out += op.assignments[i].property + ": " + print_expr(op.assignments[i].value);
        }
        out += "}";
      }
      if (op.predicate) {
        out += " where " + op.predicate->property + " " +
               std::string(query::comp_op_text(op.predicate->op)) + " " +
               print_expr(op.predicate->value);
      }
      out += "\n";
    }
    return out;
  }
  const ReadPlan& r = plan.read;
  out += "read " + r.name + params(r.params) + "\n";
  print_ops(r.pipeline, "  ", out);
  if (r.rank) {
    out += "  rank " + print_expr(r.rank->expr) + " on $" + r.rank->variable;
    if (r.rank->mode == Rank::Mode::kNearest) out += " k=limit";
    out += "\n";
  }
  out += r.aggregate ? "  aggregate " : "  project ";
  for (size_t i = 0; i < r.projections.size(); ++i) {
    if (i) out += ", ";
    out += print_expr(r.projections[i].expr) + " as " + r.projections[i].column;
  }
  out += "\n";
  if (!r.order.empty()) {
    out += "  order ";
    for (size_t i = 0; i < r.order.size(); ++i) {
      if (i) out += ", ";
      out += print_expr(r.order[i].expr) + (r.order[i].descending ? " desc" : " asc");
    }
    out += "\n";
  }
  if (r.limit) out += "  limit " + std::to_string(*r.limit) + "\n";
  return out;
}

}  // namespace omnigraph::compiler::ir
