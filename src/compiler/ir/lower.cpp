// Lowering of a type-checked query to the IR (spec §4.1).
#include <deque>
#include <map>
#include <set>

#include "compiler/ir/ir.h"
#include "compiler/source_error.h"

namespace omnigraph::compiler::ir {

namespace {

using query::Clause;
using QExpr = query::Expr;
using QK = query::Expr::Kind;

class Lowerer {
 public:
  Lowerer(const Catalog& catalog, const query::QueryDecl& q, const query::CheckedQuery& checked)
      : catalog_(catalog), query_(q), checked_(checked) {
    for (const auto& p : q.params) param_names_.insert(p.name);
  }

  Plan run() {
    Plan plan;
    std::vector<ParamDecl> params;
    for (const auto& p : query_.params) params.push_back({p.name, checked_.params.at(p.name)});
    if (query_.is_mutation()) {
      plan.mutation = true;
      plan.write.name = query_.name;
      plan.write.params = std::move(params);
      lower_mutations(plan.write);
      return plan;
    }
    ReadPlan& r = plan.read;
    r.name = query_.name;
    r.params = std::move(params);
    std::set<std::string> bound;
    lower_clauses(query_.match, r.pipeline, bound);

    std::map<std::string, const QExpr*> alias_exprs;
    for (const auto& p : query_.returns) {
      Projection out;
      out.expr = expr(p.expr);
      out.alias = p.alias;
      out.aggregate = p.expr.kind == QK::kAggregate;
      out.column = p.alias ? *p.alias : column_name(p.expr);
      r.aggregate |= out.aggregate;
      r.projections.push_back(std::move(out));
      if (p.alias) alias_exprs.emplace(*p.alias, &p.expr);
    }

    if (!query_.order.empty()) {
      const query::Ordering& first = query_.order.front();
      const QExpr* e = &first.expr;
      // Follow aliases to the expression they name (bounded: aliases can
      // only refer to earlier projections, but guard against loops anyway).
      for (int hops = 0; e->kind == QK::kAliasRef && hops < 16; ++hops) {
        auto it = alias_exprs.find(e->name);
        if (it == alias_exprs.end()) break;
        e = it->second;
      }
      if (e->kind == QK::kNearest || e->kind == QK::kBm25 || e->kind == QK::kRrf) {
        Rank rank;
        rank.mode = e->kind == QK::kNearest ? Rank::Mode::kNearest
                    : e->kind == QK::kBm25  ? Rank::Mode::kBm25
                                            : Rank::Mode::kRrf;
        rank.expr = expr(*e);
        rank.descending = first.descending;
        rank.variable = searched_variable(*e);
        r.rank = std::move(rank);
      }
    }
    if (!r.rank) {
      for (const auto& o : query_.order) r.order.push_back({expr(o.expr), o.descending});
    }
    r.limit = query_.limit;
    return plan;
  }

 private:
  static std::string searched_variable(const QExpr& e) {
    switch (e.kind) {
      case QK::kNearest: return e.variable;
      case QK::kBm25: return e.args[0].kind == QK::kPropAccess ? e.args[0].variable : "";
      case QK::kRrf: return searched_variable(e.args[0]);
      default: return "";
    }
  }

  std::string column_name(const QExpr& e) const {
    switch (e.kind) {
      case QK::kPropAccess: return e.variable + "." + e.name;
      case QK::kVariable: return e.variable;
      case QK::kLiteral: return "literal";
      case QK::kNow: return "now";
      case QK::kAggregate: return column_name(e.args[0]);
      case QK::kAliasRef: return e.name;
      case QK::kNearest: return "nearest";
      case QK::kSearch: return "search";
      case QK::kFuzzy: return "fuzzy";
      case QK::kMatchText: return "match_text";
      case QK::kBm25: return "bm25";
      case QK::kRrf: return "rrf";
    }
    return "?";
  }

  Expr expr(const QExpr& e) const {
    Expr out;
    switch (e.kind) {
      case QK::kNow:
        out.kind = Expr::Kind::kParam;
        out.name = query::kNowParamName;
        return out;
      case QK::kPropAccess:
        out.kind = Expr::Kind::kPropAccess;
        out.variable = e.variable;
        out.name = e.name;
        return out;
      case QK::kVariable:
        if (param_names_.count(e.variable)) {
          out.kind = Expr::Kind::kParam;
          out.name = e.variable;
        } else {
          out.kind = Expr::Kind::kVariable;
          out.variable = e.variable;
        }
        return out;
      case QK::kLiteral:
        out.kind = Expr::Kind::kLiteral;
        out.literal = e.literal;
        return out;
      case QK::kNearest: out.kind = Expr::Kind::kNearest; break;
      case QK::kSearch: out.kind = Expr::Kind::kSearch; break;
      case QK::kFuzzy: out.kind = Expr::Kind::kFuzzy; break;
      case QK::kMatchText: out.kind = Expr::Kind::kMatchText; break;
      case QK::kBm25: out.kind = Expr::Kind::kBm25; break;
      case QK::kRrf: out.kind = Expr::Kind::kRrf; break;
      case QK::kAggregate:
        out.kind = Expr::Kind::kAggregate;
        out.agg = e.agg;
        break;
      case QK::kAliasRef:
        out.kind = Expr::Kind::kAliasRef;
        out.name = e.name;
        return out;
    }
    out.variable = e.variable;
    out.name = e.name;
    for (const auto& a : e.args) out.args.push_back(expr(a));
    return out;
  }

  Expr match_value(const query::MatchValue& v) const {
    Expr out;
    switch (v.kind) {
      case query::MatchValue::Kind::kLiteral:
        out.kind = Expr::Kind::kLiteral;
        out.literal = v.literal;
        break;
      case query::MatchValue::Kind::kNow:
        out.kind = Expr::Kind::kParam;
        out.name = query::kNowParamName;
        break;
      case query::MatchValue::Kind::kVariable:
        if (param_names_.count(v.variable)) {
          out.kind = Expr::Kind::kParam;
          out.name = v.variable;
        } else {
          out.kind = Expr::Kind::kVariable;
          out.variable = v.variable;
        }
        break;
    }
    return out;
  }

  std::vector<Filter> binding_filters(const query::Binding& b) const {
    std::vector<Filter> out;
    const NodeType* node = catalog_.find_node_type(b.type_name);
    for (const auto& pm : b.prop_matches) {
      const Property* prop = node ? node->find_property(pm.property) : nullptr;
      Filter f;
      f.left.kind = Expr::Kind::kPropAccess;
      f.left.variable = b.variable;
      f.left.name = pm.property;
      f.op = prop && prop->type.list ? CompOp::kContains : CompOp::kEq;
      f.right = match_value(pm.value);
      out.push_back(std::move(f));
    }
    return out;
  }

  // A filter that is a text-search predicate on `$v.prop` (`call = bool`,
  // either side) becomes a TextSearch op; everything else stays a Filter.
  Op filter_op(const query::Filter& f) const {
    auto is_text = [](const QExpr& e) {
      return (e.kind == QK::kSearch || e.kind == QK::kFuzzy || e.kind == QK::kMatchText) &&
             e.args[0].kind == QK::kPropAccess;
    };
    auto is_bool = [](const QExpr& e) {
      return e.kind == QK::kLiteral && e.literal.kind == Literal::Kind::kBool;
    };
    const QExpr* call = nullptr;
    const QExpr* flag = nullptr;
    if (f.op == CompOp::kEq && is_text(f.left) && is_bool(f.right)) {
      call = &f.left;
      flag = &f.right;
    } else if (f.op == CompOp::kEq && is_text(f.right) && is_bool(f.left)) {
      call = &f.right;
      flag = &f.left;
    }
    Op op;
    if (!call) {
      op.kind = Op::Kind::kFilter;
      op.filter = Filter{expr(f.left), f.op, expr(f.right)};
      return op;
    }
    op.kind = Op::Kind::kTextSearch;
    TextSearch& ts = op.text_search;
    ts.mode = call->kind == QK::kSearch  ? TextSearch::Mode::kSearch
              : call->kind == QK::kFuzzy ? TextSearch::Mode::kFuzzy
                                         : TextSearch::Mode::kMatchText;
    ts.variable = call->args[0].variable;
    ts.property = call->args[0].name;
    ts.query = expr(call->args[1]);
    if (call->args.size() > 2) ts.max_edits = expr(call->args[2]);
    ts.expected = flag->literal.bool_value;
    return op;
  }

  void lower_clauses(const std::vector<Clause>& clauses, std::vector<Op>& pipeline,
                     std::set<std::string>& bound) const {
    std::vector<const query::Binding*> bindings;
    std::vector<const query::Traversal*> traversals;
    std::vector<const query::Filter*> filters;
    std::vector<const Clause*> negations;
    for (const auto& c : clauses) {
      switch (c.kind) {
        case Clause::Kind::kBinding: bindings.push_back(&c.binding); break;
        case Clause::Kind::kTraversal: traversals.push_back(&c.traversal); break;
        case Clause::Kind::kFilter: filters.push_back(&c.filter); break;
        case Clause::Kind::kNegation: negations.push_back(&c); break;
      }
    }

    // Roots and deferred bindings: the first binding of each
    // traversal-connected component scans; the others ride on expands.
    std::map<std::string, std::vector<std::string>> adj;
    for (const auto* t : traversals) {
      if (t->src == "_" || t->dst == "_") continue;
      adj[t->src].push_back(t->dst);
      adj[t->dst].push_back(t->src);
    }
    std::set<std::string> binding_vars;
    for (const auto* b : bindings) binding_vars.insert(b->variable);
    std::set<std::string> visited, deferred;
    for (const auto* b : bindings) {
      if (visited.count(b->variable)) continue;
      std::deque<std::string> queue{b->variable};
      std::vector<std::string> component;
      while (!queue.empty()) {
        std::string v = queue.front();
        queue.pop_front();
        if (!visited.insert(v).second) continue;
        if (binding_vars.count(v)) component.push_back(v);
        for (const auto& n : adj[v]) {
          if (!visited.count(n)) queue.push_back(n);
        }
      }
      for (size_t i = 1; i < component.size(); ++i) deferred.insert(component[i]);
    }

    std::map<std::string, std::vector<Filter>> deferred_filters;
    for (const auto* b : bindings) {
      std::vector<Filter> fs = binding_filters(*b);
      if (deferred.count(b->variable)) {
        auto& slot = deferred_filters[b->variable];
        for (auto& f : fs) slot.push_back(std::move(f));
        continue;
      }
      Op op;
      op.kind = Op::Kind::kNodeScan;
      op.variable = b->variable;
      op.type_name = b->type_name;
      op.filters = std::move(fs);
      pipeline.push_back(std::move(op));
      bound.insert(b->variable);
    }

    std::vector<const query::Traversal*> remaining = traversals;
    while (!remaining.empty()) {
      std::vector<const query::Traversal*> next;
      for (const auto* t : remaining) {
        bool src_bound = bound.count(t->src) > 0;
        bool dst_bound = bound.count(t->dst) > 0;
        if (!src_bound && !dst_bound) {
          next.push_back(t);
          continue;
        }
        const query::ResolvedTraversal& rt = checked_.traversals.at(t);
        const EdgeType& edge = *rt.edge;
        Op op;
        op.kind = Op::Kind::kExpand;
        op.edge_type = edge.name;
        op.edge_variable = t->edge_var;
        op.min_hops = t->min_hops;
        op.max_hops = t->max_hops.value_or(t->min_hops);
        auto type_at_end = [&](Direction d) {
          return d == Direction::kIn ? edge.from_type : edge.to_type;
        };
        if (src_bound && dst_bound) {
          // Cycle closing: expand into a temporary, keep rows where it is dst.
          op.src = t->src;
          op.variable = "__temp_" + t->dst;
          op.direction = rt.direction;
          op.type_name = type_at_end(rt.direction);
          pipeline.push_back(std::move(op));
          Op f;
          f.kind = Op::Kind::kFilter;
          f.filter.left.kind = Expr::Kind::kPropAccess;
          f.filter.left.variable = "__temp_" + t->dst;
          f.filter.left.name = "id";
          f.filter.right.kind = Expr::Kind::kPropAccess;
          f.filter.right.variable = t->dst;
          f.filter.right.name = "id";
          pipeline.push_back(std::move(f));
        } else if (dst_bound) {
          Direction reverse = rt.direction == Direction::kOut  ? Direction::kIn
                              : rt.direction == Direction::kIn ? Direction::kOut
                                                               : Direction::kBoth;
          op.src = t->dst;
          op.variable = t->src;
          op.direction = reverse;
          op.type_name = type_at_end(reverse);
          if (auto it = deferred_filters.find(t->src); it != deferred_filters.end()) {
            op.filters = std::move(it->second);
            deferred_filters.erase(it);
          }
          pipeline.push_back(std::move(op));
          if (t->src != "_") bound.insert(t->src);
        } else {
          op.src = t->src;
          op.variable = t->dst;
          op.direction = rt.direction;
          op.type_name = type_at_end(rt.direction);
          if (auto it = deferred_filters.find(t->dst); it != deferred_filters.end()) {
            op.filters = std::move(it->second);
            deferred_filters.erase(it);
          }
          pipeline.push_back(std::move(op));
          if (t->dst != "_") bound.insert(t->dst);
        }
        if (!t->edge_var.empty()) bound.insert(t->edge_var);
      }
      // Traversals with no bound endpoint are dropped, as in the reference
      // (every component needs a binding).
      if (next.size() == remaining.size()) break;
      remaining = std::move(next);
    }

    for (const auto* f : filters) pipeline.push_back(filter_op(*f));

    for (const auto* n : negations) {
      Op op;
      op.kind = Op::Kind::kAntiJoin;
      op.outer_variable = outer_variable(n->negation, bound);
      std::set<std::string> inner_bound = bound;
      lower_clauses(n->negation, op.inner, inner_bound);
      pipeline.push_back(std::move(op));
    }
  }

  static std::string expr_variable(const QExpr& e) {
    switch (e.kind) {
      case QK::kPropAccess:
      case QK::kVariable:
      case QK::kNearest: return e.variable;
      default: break;
    }
    for (const auto& a : e.args) {
      std::string v = expr_variable(a);
      if (!v.empty()) return v;
    }
    return "";
  }

  static std::string outer_variable(const std::vector<Clause>& clauses,
                                    const std::set<std::string>& bound) {
    for (const auto& c : clauses) {
      switch (c.kind) {
        case Clause::Kind::kTraversal:
          if (bound.count(c.traversal.src)) return c.traversal.src;
          if (bound.count(c.traversal.dst)) return c.traversal.dst;
          break;
        case Clause::Kind::kFilter:
          for (const QExpr* e : {&c.filter.left, &c.filter.right}) {
            std::string v = expr_variable(*e);
            if (!v.empty() && bound.count(v)) return v;
          }
          break;
        case Clause::Kind::kBinding:
          if (bound.count(c.binding.variable)) return c.binding.variable;
          break;
        case Clause::Kind::kNegation: break;
      }
    }
    return "";
  }

  void lower_mutations(MutationPlan& plan) const {
    const query::Mutation* first_write = nullptr;
    const query::Mutation* first_delete = nullptr;
    for (const auto& m : query_.mutations) {
      if (m.kind == query::Mutation::Kind::kDelete) {
        if (!first_delete) first_delete = &m;
      } else if (!first_write) {
        first_write = &m;
      }
    }
    if (first_write && first_delete) {
      throw CompileError(ErrorStage::kPlan, "",
                         "mutation '" + query_.name +
                             "' on the same query mixes inserts/updates and deletes; split into "
                             "separate mutations: (1) inserts and updates, then (2) deletes.",
                         first_delete->pos.line, first_delete->pos.column);
    }
    for (const auto& m : query_.mutations) {
      MutationOp op;
      op.kind = m.kind == query::Mutation::Kind::kInsert   ? MutationOp::Kind::kInsert
                : m.kind == query::Mutation::Kind::kUpdate ? MutationOp::Kind::kUpdate
                                                           : MutationOp::Kind::kDelete;
      op.type_name = m.type_name;
      op.edge = catalog_.find_node_type(m.type_name) == nullptr;
      for (const auto& a : m.assignments)
        op.assignments.push_back({a.property, match_value(a.value)});
      if (m.kind != query::Mutation::Kind::kInsert) {
        op.predicate =
            Predicate{m.predicate.property, m.predicate.op, match_value(m.predicate.value)};
      }
      plan.ops.push_back(std::move(op));
    }
  }

  const Catalog& catalog_;
  const query::QueryDecl& query_;
  const query::CheckedQuery& checked_;
  std::set<std::string> param_names_;
};

}  // namespace

Plan lower_query(const Catalog& catalog, const query::QueryDecl& q,
                 const query::CheckedQuery& checked) {
  return Lowerer(catalog, q, checked).run();
}

Plan compile_query(const Catalog& catalog, const query::QueryDecl& q) {
  query::CheckedQuery checked = query::typecheck_query(catalog, q);
  return lower_query(catalog, q, checked);
}

}  // namespace omnigraph::compiler::ir
