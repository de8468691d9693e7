#include "compiler/query/typecheck.h"

#include <charconv>
#include <map>
#include <optional>
#include <set>

#include "compiler/source_error.h"

namespace omnigraph::compiler::query {

std::string_view direction_name(Direction d) {
  switch (d) {
    case Direction::kOut: return "out";
    case Direction::kIn: return "in";
    case Direction::kBoth: return "both";
  }
  return "?";
}

std::string ResolvedType::display() const {
  switch (kind) {
    case Kind::kScalar: return type.display();
    case Kind::kNode: return "node `" + type_name + "`";
    case Kind::kEdge: return "edge `" + type_name + "`";
    case Kind::kAggregate: return "aggregate";
  }
  return "?";
}

std::optional<Type> parse_param_type(std::string_view name, bool nullable) {
  if (name.size() > 2 && name.front() == '[' && name.back() == ']') {
    auto base = parse_base_type(name.substr(1, name.size() - 2));
    if (!base) return std::nullopt;
    return Type::list_of(*base, nullable);
  }
  constexpr std::string_view kVec = "Vector(";
  if (name.substr(0, kVec.size()) == kVec && name.back() == ')') {
    std::string_view digits = name.substr(kVec.size(), name.size() - kVec.size() - 1);
    uint64_t dim = 0;
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), dim);
    if (ec != std::errc() || p != digits.data() + digits.size() || dim == 0 ||
        dim > kMaxVectorDim) {
      return std::nullopt;
    }
    return Type::vector_of(static_cast<uint32_t>(dim), nullable);
  }
  auto base = parse_base_type(name);
  if (!base) return std::nullopt;
  return Type::scalar_of(*base, nullable);
}

namespace {

using EK = Expr::Kind;

[[noreturn]] void fail(std::string code, std::string message, SourcePos pos) {
  throw CompileError(ErrorStage::kType, std::move(code), std::move(message), pos.line, pos.column);
}

std::string tick(std::string_view s) {
  return "`" + std::string(s) + "`";
}

// The static type of a literal (spec §3.2).
Type literal_type(const Literal& lit) {
  switch (lit.kind) {
    case Literal::Kind::kString: return Type::scalar_of(ScalarKind::kString);
    case Literal::Kind::kInteger: return Type::scalar_of(ScalarKind::kI64);
    case Literal::Kind::kFloat: return Type::scalar_of(ScalarKind::kF64);
    case Literal::Kind::kBool: return Type::scalar_of(ScalarKind::kBool);
    case Literal::Kind::kDate: return Type::scalar_of(ScalarKind::kDate);
    case Literal::Kind::kDateTime: return Type::scalar_of(ScalarKind::kDateTime);
    case Literal::Kind::kList: {
      if (lit.items.empty()) return Type::list_of(ScalarKind::kString);
      Type first = literal_type(lit.items[0]);
      if (first.list) fail("", "nested list literals are not supported", lit.items[0].pos);
      for (size_t i = 1; i < lit.items.size(); ++i) {
        Type t = literal_type(lit.items[i]);
        if (t.list || !types_compatible(first, t)) {
          fail("", "list literal elements must share a compatible scalar type", lit.items[i].pos);
        }
      }
      return Type::list_of(first.scalar);
    }
  }
  return Type::scalar_of(ScalarKind::kString);
}

// Length of a non-empty, all-numeric list literal (a vector literal).
std::optional<uint32_t> vector_literal_dim(const Literal& lit) {
  if (lit.kind != Literal::Kind::kList || lit.items.empty()) return std::nullopt;
  for (const auto& item : lit.items) {
    if (item.kind != Literal::Kind::kInteger && item.kind != Literal::Kind::kFloat) {
      return std::nullopt;
    }
  }
  return static_cast<uint32_t>(lit.items.size());
}

// Scalar element of a list property for membership matches, keeping the
// list's nullability like the reference does (only the scalar matters).
Type member_type(const Type& list_type) {
  Type t = list_type;
  t.list = false;
  return t;
}

bool is_integer_scalar(const Type& t) {
  return !t.list && is_integer(t.scalar);
}

class Checker {
 public:
  Checker(const Catalog& catalog, const QueryDecl& query, CheckedQuery& out)
      : catalog_(catalog), query_(query), out_(out) {}

  void run() {
    declare_params();
    if (query_.is_mutation()) {
      out_.mutation = true;
      for (const auto& m : query_.mutations) out_.target_types.push_back(mutation(m));
    } else {
      read_query();
    }
  }

 private:
  // ---- parameters -------------------------------------------------------------

  void declare_params() {
    for (const auto& p : query_.params) {
      if (p.name == kNowParamName) {
        fail("", "parameter name `$" + p.name + "` is reserved for runtime timestamp injection",
             p.pos);
      }
      auto t = parse_param_type(p.type_name, p.nullable);
      if (!t) {
        fail("", "unknown parameter type " + tick(p.type_name) + " for " + tick("$" + p.name),
             p.type_pos);
      }
      out_.params[p.name] = *t;
    }
  }

  const Type* param(const std::string& name) const {
    auto it = out_.params.find(name);
    return it == out_.params.end() ? nullptr : &it->second;
  }

  // ---- read queries -------------------------------------------------------------

  void read_query() {
    TypeContext& ctx = out_.context;
    clauses(query_.match, ctx);

    std::map<std::string, const Expr*> alias_exprs;
    for (const auto& p : query_.returns) {
      ResolvedType t = resolve(p.expr, ctx);
      if (p.alias) {
        ctx.aliases[*p.alias] = t;
        alias_exprs[*p.alias] = &p.expr;
      }
    }
    for (const auto& o : query_.order) resolve(o.expr, ctx);

    const Ordering* nearest_item = nullptr;
    const Ordering* rrf_item = nullptr;
    for (const auto& o : query_.order) {
      std::set<std::string> seen;
      if (!nearest_item && contains_standalone_nearest(o.expr, alias_exprs, seen)) {
        nearest_item = &o;
      }
      seen.clear();
      if (!rrf_item && contains_rrf(o.expr, alias_exprs, seen)) rrf_item = &o;
    }
    if (rrf_item && !query_.limit) {
      fail("T21", "rrf ordering requires a limit clause", rrf_item->pos);
    }
    if (nearest_item && !query_.limit) {
      fail("T17", "nearest ordering requires a limit clause", nearest_item->pos);
    }
    if (nearest_item) {
      for (const auto& o : query_.order) {
        if (o.expr.kind == EK::kAliasRef) {
          fail("T18", "alias-based ordering is not supported together with nearest in phase 1",
               o.pos);
        }
      }
    }

    bool has_agg = false;
    for (const auto& p : query_.returns) has_agg |= p.expr.kind == EK::kAggregate;
    if (has_agg) {
      for (const auto& p : query_.returns) {
        if (p.expr.kind != EK::kAggregate && p.expr.kind != EK::kPropAccess &&
            p.expr.kind != EK::kVariable) {
          fail("T9",
               "non-aggregate expressions in an aggregate query must be property accesses or "
               "variables",
               p.pos);
        }
      }
    }
  }

  // Whether `wanted` occurs in `e`, looking through aliases and the
  // arguments of aggregates and search calls. A call of kind `opaque` hides
  // what is under it (nearest under rrf is governed by T21, not T20).
  bool contains_call(const Expr& e, EK wanted, std::optional<EK> opaque,
                     const std::map<std::string, const Expr*>& aliases,
                     std::set<std::string>& seen) const {
    if (e.kind == wanted) return true;
    if (opaque && e.kind == *opaque) return false;
    switch (e.kind) {
      case EK::kAggregate:
      case EK::kSearch:
      case EK::kFuzzy:
      case EK::kMatchText:
      case EK::kBm25:
        for (const auto& a : e.args) {
          if (contains_call(a, wanted, opaque, aliases, seen)) return true;
        }
        return false;
      case EK::kAliasRef: {
        auto it = aliases.find(e.name);
        if (it == aliases.end() || !seen.insert(e.name).second) return false;
        bool found = contains_call(*it->second, wanted, opaque, aliases, seen);
        seen.erase(e.name);
        return found;
      }
      default: return false;
    }
  }

  bool contains_standalone_nearest(const Expr& e, const std::map<std::string, const Expr*>& aliases,
                                   std::set<std::string>& seen) const {
    return contains_call(e, EK::kNearest, EK::kRrf, aliases, seen);
  }

  bool contains_rrf(const Expr& e, const std::map<std::string, const Expr*>& aliases,
                    std::set<std::string>& seen) const {
    return contains_call(e, EK::kRrf, std::nullopt, aliases, seen);
  }

  void clauses(const std::vector<Clause>& list, TypeContext& ctx) {
    for (const auto& c : list) {
      switch (c.kind) {
        case Clause::Kind::kBinding: binding(c.binding, ctx); break;
        case Clause::Kind::kTraversal: traversal(c.traversal, ctx); break;
        case Clause::Kind::kFilter: filter(c.filter, ctx); break;
        case Clause::Kind::kNegation: negation(c, ctx); break;
      }
    }
  }

  void negation(const Clause& c, TypeContext& ctx) {
    TypeContext inner = ctx;  // inner bindings do not leak out
    clauses(c.negation, inner);
    bool has_outer = false;
    auto outer = [&](const std::string& v) { return ctx.bindings.count(v) > 0; };
    for (const auto& ic : c.negation) {
      switch (ic.kind) {
        case Clause::Kind::kTraversal:
          has_outer |= outer(ic.traversal.src) || outer(ic.traversal.dst);
          break;
        case Clause::Kind::kFilter:
          has_outer |=
              references_any(ic.filter.left, outer) || references_any(ic.filter.right, outer);
          break;
        case Clause::Kind::kBinding: has_outer |= outer(ic.binding.variable); break;
        case Clause::Kind::kNegation: break;
      }
    }
    if (!has_outer) {
      fail("T9", "negation block must reference at least one outer-bound variable", c.pos);
    }
  }

  template <typename Pred>
  static bool references_any(const Expr& e, const Pred& outer) {
    switch (e.kind) {
      case EK::kPropAccess:
      case EK::kVariable: return outer(e.variable);
      case EK::kNearest:
        if (outer(e.variable)) return true;
        break;
      default: break;
    }
    for (const auto& a : e.args) {
      if (references_any(a, outer)) return true;
    }
    return false;
  }

  void binding(const Binding& b, TypeContext& ctx) {
    const NodeType* node = catalog_.find_node_type(b.type_name);
    if (!node) fail("T1", "unknown node type " + tick(b.type_name), b.type_pos);
    for (const auto& pm : b.prop_matches) {
      const Property* prop = node->find_property(pm.property);
      if (!prop) {
        fail("T2", "type " + tick(b.type_name) + " has no property " + tick(pm.property), pm.pos);
      }
      if (prop->type.is_blob()) {
        fail("T3",
             "blob property " + tick(b.type_name + "." + pm.property) +
                 " cannot be used in match patterns",
             pm.pos);
      }
      switch (pm.value.kind) {
        case MatchValue::Kind::kLiteral:
          binding_literal(pm.value.literal, prop->type, pm.property);
          break;
        case MatchValue::Kind::kVariable:
          // An undeclared variable here is accepted, as in the reference; the
          // executor reports it when the value is needed.
          if (const Type* actual = param(pm.value.variable)) {
            binding_param(*actual, prop->type, pm.property, pm.value.pos);
          }
          break;
        case MatchValue::Kind::kNow: now_value(prop->type, pm.property, pm.value.pos); break;
      }
    }
    auto it = ctx.bindings.find(b.variable);
    if (it != ctx.bindings.end() && (it->second.type_name != b.type_name || it->second.is_edge)) {
      fail("",
           "variable " + tick("$" + b.variable) + " already bound to type " +
               tick(it->second.type_name) + ", cannot rebind to " + tick(b.type_name),
           b.pos);
    }
    ctx.bindings[b.variable] = BoundVariable{b.type_name, false};
  }

  void binding_literal(const Literal& lit, const Type& expected, const std::string& property) {
    if (expected.list) {
      Type t = literal_type(lit);
      if (t.list) {
        fail("T3",
             "list equality is not supported for property " + tick(property) +
                 "; use a scalar value to match list membership",
             lit.pos);
      }
      if (!types_compatible(t, member_type(expected))) {
        fail("T3",
             "property " + tick(property) + " has type " + expected.display() +
                 " but membership match got " + t.display(),
             lit.pos);
      }
      return;
    }
    check_literal(lit, expected, property);
  }

  void binding_param(const Type& actual, const Type& expected, const std::string& property,
                     SourcePos pos) {
    if (expected.list) {
      if (actual.list) {
        fail("T7",
             "list equality is not supported for property " + tick(property) +
                 "; use a scalar parameter for membership matching",
             pos);
      }
      if (!types_compatible(actual, member_type(expected))) {
        fail("T7",
             "cannot compare " + actual.display() + " membership against " + expected.display() +
                 " for property " + tick(property),
             pos);
      }
      return;
    }
    if (!types_compatible(actual, expected)) {
      fail("T7",
           "cannot assign/compare " + actual.display() + " with " + expected.display() +
               " for property " + tick(property),
           pos);
    }
  }

  static void now_value(const Type& expected, const std::string& property, SourcePos pos) {
    if (expected.list || expected.scalar != ScalarKind::kDateTime) {
      fail("T7",
           "cannot assign/compare DateTime with " + expected.display() + " for property " +
               tick(property),
           pos);
    }
  }

  // A literal assigned to / compared with a scalar-or-list property (§3.3).
  static void check_literal(const Literal& lit, const Type& expected, const std::string& property) {
    if (!expected.list && expected.is_vector()) {
      if (auto dim = vector_literal_dim(lit)) {
        if (*dim == expected.vector_dim) return;
        fail("T3",
             "property " + tick(property) + " has type Vector(" +
                 std::to_string(expected.vector_dim) + ") but got vector literal with " +
                 std::to_string(*dim) + " elements",
             lit.pos);
      }
    }
    Type t = literal_type(lit);
    if (!types_compatible(t, expected)) {
      fail("T3",
           "property " + tick(property) + " has type " + expected.display() + " but got " +
               t.display(),
           lit.pos);
    }
    if (expected.is_enum()) {
      auto check_value = [&](const Literal& v) {
        if (v.kind != Literal::Kind::kString) return;
        for (const auto& allowed : expected.enum_values) {
          if (allowed == v.text) return;
        }
        std::string list;
        for (size_t i = 0; i < expected.enum_values.size(); ++i) {
          if (i) list += ", ";
          list += expected.enum_values[i];
        }
        fail("T3",
             "property " + tick(property) + " expects one of [" + list + "], got '" + v.text + "'",
             v.pos);
      };
      if (lit.kind == Literal::Kind::kList && expected.list) {
        for (const auto& item : lit.items) check_value(item);
      } else {
        check_value(lit);
      }
    }
  }

  void traversal(const Traversal& t, TypeContext& ctx) {
    const EdgeType* edge = catalog_.lookup_edge(t.edge_name);
    if (!edge) fail("T4", "unknown edge type " + tick(t.edge_name), t.edge_pos);
    if (t.min_hops == 0) fail("T15", "traversal min hop bound must be >= 1", t.bounds_pos);
    if (!t.max_hops) {
      fail("T15", "unbounded traversal is disabled; use bounded traversal {min,max}", t.bounds_pos);
    }
    if (*t.max_hops < t.min_hops) {
      fail("T15",
           "invalid traversal bounds {" + std::to_string(t.min_hops) + "," +
               std::to_string(*t.max_hops) + "}; max must be >= min",
           t.bounds_pos);
    }
    if (!t.edge_var.empty() && (t.min_hops != 1 || *t.max_hops != 1)) {
      fail("T15",
           "edge variable " + tick("$" + t.edge_var) +
               " needs a single-hop traversal; hop bounds must be {1,1}",
           t.bounds_pos);
    }
    if (t.undirected && edge->from_type != edge->to_type) {
      fail("T5",
           "undirected traversal needs an edge between nodes of one type, but " +
               tick(edge->name + ": " + edge->from_type + " -> " + edge->to_type) +
               " connects two types",
           t.edge_pos);
    }

    auto node_binding = [&](const std::string& v) -> const BoundVariable* {
      auto it = ctx.bindings.find(v);
      return it == ctx.bindings.end() ? nullptr : &it->second;
    };
    auto not_endpoint = [&](const std::string& v, const BoundVariable& bv, SourcePos pos) {
      fail("T5",
           "variable " + tick("$" + v) + " has type " + tick(bv.type_name) +
               ", which is not an endpoint of edge " +
               tick(edge->name + ": " + edge->from_type + " -> " + edge->to_type),
           pos);
    };

    Direction dir = Direction::kOut;
    const BoundVariable* src = node_binding(t.src);
    const BoundVariable* dst = src ? nullptr : node_binding(t.dst);
    if (src) {
      if (src->is_edge) not_endpoint(t.src, *src, t.pos);
      if (src->type_name == edge->from_type) {
        dir = Direction::kOut;
        bind_endpoint(ctx, t.dst, edge->to_type, *edge, t.dst_pos);
      } else if (src->type_name == edge->to_type) {
        dir = Direction::kIn;
        bind_endpoint(ctx, t.dst, edge->from_type, *edge, t.dst_pos);
      } else {
        not_endpoint(t.src, *src, t.pos);
      }
    } else if (dst) {
      if (dst->is_edge) not_endpoint(t.dst, *dst, t.dst_pos);
      if (dst->type_name == edge->to_type) {
        dir = Direction::kOut;
        bind_endpoint(ctx, t.src, edge->from_type, *edge, t.pos);
      } else if (dst->type_name == edge->from_type) {
        dir = Direction::kIn;
        bind_endpoint(ctx, t.src, edge->to_type, *edge, t.pos);
      } else {
        not_endpoint(t.dst, *dst, t.dst_pos);
      }
    } else {
      bind_endpoint(ctx, t.src, edge->from_type, *edge, t.pos);
      bind_endpoint(ctx, t.dst, edge->to_type, *edge, t.dst_pos);
    }
    if (t.undirected) dir = Direction::kBoth;

    if (!t.edge_var.empty()) {
      if (t.edge_var == t.src || t.edge_var == t.dst || ctx.bindings.count(t.edge_var) ||
          out_.params.count(t.edge_var)) {
        fail("", "edge variable " + tick("$" + t.edge_var) + " is already bound", t.edge_var_pos);
      }
      ctx.bindings[t.edge_var] = BoundVariable{edge->name, true};
    }
    out_.traversals[&t] = ResolvedTraversal{edge, dir};
  }

  void bind_endpoint(TypeContext& ctx, const std::string& var, const std::string& expected,
                     const EdgeType& edge, SourcePos pos) {
    if (var == "_") return;  // anonymous
    auto it = ctx.bindings.find(var);
    if (it != ctx.bindings.end()) {
      if (it->second.type_name != expected || it->second.is_edge) {
        fail("T5",
             "variable " + tick("$" + var) + " has type " + tick(it->second.type_name) +
                 " but edge " + tick(edge.name) + " expects " + tick(expected),
             pos);
      }
      return;
    }
    ctx.bindings[var] = BoundVariable{expected, false};
  }

  void filter(const Filter& f, const TypeContext& ctx) {
    ResolvedType l = resolve(f.left, ctx);
    ResolvedType r = resolve(f.right, ctx);
    if (!l.is_scalar() || !r.is_scalar()) {
      fail("T7",
           "filter comparisons require scalar operands, got " + l.display() + " and " + r.display(),
           f.op_pos);
    }
    const Type& lt = l.type;
    const Type& rt = r.type;
    if (f.op == CompOp::kContains) {
      if (!lt.list) {
        fail("T7", "contains requires a list property on the left, got " + lt.display(),
             f.left.pos);
      }
      if (rt.list) fail("T7", "contains requires a scalar right operand", f.right.pos);
      if (lt.is_vector() || rt.is_vector()) {
        fail("T7", "vector membership filters are not supported", f.op_pos);
      }
      if (!types_compatible(member_type(lt), rt)) {
        fail("T7", "cannot test membership of " + rt.display() + " in " + lt.display(), f.op_pos);
      }
      return;
    }
    if (lt.list || rt.list) {
      fail("T7",
           "list comparisons in filters are not supported; use `contains` for list membership",
           f.op_pos);
    }
    if (lt.is_vector() || rt.is_vector()) {
      fail("T7", "vector comparisons in filters are not supported", f.op_pos);
    }
    if (lt.is_blob() || rt.is_blob()) {
      fail("T7", "blob comparisons in filters are not supported", f.op_pos);
    }
    if (!types_compatible(lt, rt)) {
      fail("T7", "cannot compare " + lt.display() + " with " + rt.display(), f.op_pos);
    }
  }

  // Requires a scalar String (non-list); `code`/`what` name the function.
  void require_string(const Expr& e, const TypeContext& ctx, const char* code,
                      const std::string& what) {
    ResolvedType t = resolve(e, ctx);
    if (!t.is_scalar()) fail(code, what + " must be a scalar String expression", e.pos);
    if (t.type.scalar != ScalarKind::kString || t.type.list) {
      fail(code, what + " must be String, got " + t.type.display(), e.pos);
    }
  }

  ResolvedType resolve(const Expr& e, const TypeContext& ctx) {
    switch (e.kind) {
      case EK::kNow: return ResolvedType::scalar(Type::scalar_of(ScalarKind::kDateTime));
      case EK::kLiteral: return ResolvedType::scalar(literal_type(e.literal));
      case EK::kPropAccess: {
        auto it = ctx.bindings.find(e.variable);
        if (it == ctx.bindings.end()) {
          fail("T6", "variable " + tick("$" + e.variable) + " is not bound", e.pos);
        }
        const Property* prop = nullptr;
        if (it->second.is_edge) {
          const EdgeType* edge = catalog_.find_edge_type(it->second.type_name);
          prop = edge ? edge->find_property(e.name) : nullptr;
        } else {
          const NodeType* node = catalog_.find_node_type(it->second.type_name);
          prop = node ? node->find_property(e.name) : nullptr;
        }
        if (!prop) {
          fail("T6", "type " + tick(it->second.type_name) + " has no property " + tick(e.name),
               e.name_pos);
        }
        return ResolvedType::scalar(prop->type);
      }
      case EK::kVariable: {
        if (const Type* p = param(e.variable)) return ResolvedType::scalar(*p);
        auto it = ctx.bindings.find(e.variable);
        if (it == ctx.bindings.end()) {
          fail("", "variable " + tick("$" + e.variable) + " is not bound", e.pos);
        }
        ResolvedType t;
        t.kind = it->second.is_edge ? ResolvedType::Kind::kEdge : ResolvedType::Kind::kNode;
        t.type_name = it->second.type_name;
        return t;
      }
      case EK::kNearest: return nearest(e, ctx);
      case EK::kSearch:
      case EK::kFuzzy:
      case EK::kMatchText:
      case EK::kBm25: {
        const char* code = (e.kind == EK::kSearch || e.kind == EK::kFuzzy) ? "T19" : "T20";
        std::string fn = e.kind == EK::kSearch  ? "search"
                         : e.kind == EK::kFuzzy ? "fuzzy"
                         : e.kind == EK::kBm25  ? "bm25"
                                                : "match_text";
        require_string(e.args[0], ctx, code, fn + " field");
        require_string(e.args[1], ctx, code, fn + " query");
        if (e.kind == EK::kFuzzy && e.args.size() > 2) {
          ResolvedType m = resolve(e.args[2], ctx);
          if (!m.is_scalar()) {
            fail("T19", "fuzzy max_edits must be an integer scalar expression", e.args[2].pos);
          }
          if (!is_integer_scalar(m.type)) {
            fail("T19", "fuzzy max_edits must be an integer scalar, got " + m.type.display(),
                 e.args[2].pos);
          }
        }
        return ResolvedType::scalar(
            Type::scalar_of(e.kind == EK::kBm25 ? ScalarKind::kF64 : ScalarKind::kBool));
      }
      case EK::kRrf: {
        // The parser only admits nearest/bm25 here; the check keeps the
        // reference's error for trees built by other means.
        for (size_t i = 0; i < 2; ++i) {
          if (e.args[i].kind != EK::kNearest && e.args[i].kind != EK::kBm25) {
            fail("T21",
                 std::string("rrf ") + (i == 0 ? "primary" : "secondary") +
                     " expression must be nearest(...) or bm25(...)",
                 e.args[i].pos);
          }
        }
        resolve(e.args[0], ctx);
        resolve(e.args[1], ctx);
        if (e.args.size() > 2) {
          const Expr& k = e.args[2];
          ResolvedType kt = resolve(k, ctx);
          if (!kt.is_scalar()) fail("T21", "rrf k must be an integer scalar expression", k.pos);
          if (!is_integer_scalar(kt.type)) {
            fail("T21", "rrf k must be an integer scalar, got " + kt.type.display(), k.pos);
          }
          if (k.kind == EK::kLiteral && k.literal.kind == Literal::Kind::kInteger &&
              k.literal.int_value <= 0) {
            fail("T21", "rrf k must be greater than 0", k.pos);
          }
        }
        return ResolvedType::scalar(Type::scalar_of(ScalarKind::kF64));
      }
      case EK::kAggregate: {
        ResolvedType arg = resolve(e.args[0], ctx);
        std::string fn(agg_func_name(e.agg));
        if (arg.is_scalar()) {
          const Type& t = arg.type;
          if ((e.agg == AggFunc::kSum || e.agg == AggFunc::kAvg) && (t.list || !t.is_numeric())) {
            fail("T8", fn + " requires numeric type, got " + t.display(), e.pos);
          }
          if ((e.agg == AggFunc::kMin || e.agg == AggFunc::kMax) &&
              (t.list || (!t.is_numeric() && t.scalar != ScalarKind::kString))) {
            fail("T8", fn + " requires numeric or string type, got " + t.display(), e.pos);
          }
        }
        ResolvedType out;
        out.kind = ResolvedType::Kind::kAggregate;
        return out;
      }
      case EK::kAliasRef: {
        auto it = ctx.aliases.find(e.name);
        if (it != ctx.aliases.end()) return it->second;
        ResolvedType out;  // not (yet) a known alias: accepted, like the reference
        out.kind = ResolvedType::Kind::kAggregate;
        return out;
      }
    }
    return {};
  }

  ResolvedType nearest(const Expr& e, const TypeContext& ctx) {
    auto it = ctx.bindings.find(e.variable);
    if (it == ctx.bindings.end()) {
      fail("T15", "variable " + tick("$" + e.variable) + " is not bound", e.pos);
    }
    if (it->second.is_edge) {
      fail("T15", "nearest needs a node variable, but " + tick("$" + e.variable) + " is an edge",
           e.pos);
    }
    const NodeType* node = catalog_.find_node_type(it->second.type_name);
    const Property* prop = node ? node->find_property(e.name) : nullptr;
    if (!prop) {
      fail("T15", "type " + tick(it->second.type_name) + " has no property " + tick(e.name),
           e.name_pos);
    }
    if (!prop->type.is_vector()) {
      fail("T15",
           "nearest requires a Vector property, got " + it->second.type_name + "." + e.name + ": " +
               prop->type.display(),
           e.name_pos);
    }
    if (prop->type.list) fail("T15", "nearest does not support list-wrapped vectors", e.name_pos);
    uint32_t dim = prop->type.vector_dim;
    const Expr& q = e.args[0];
    if (q.kind == EK::kLiteral) {
      if (auto n = vector_literal_dim(q.literal)) {
        if (*n != dim) {
          fail("T15",
               "nearest vector dimension mismatch: property is Vector(" + std::to_string(dim) +
                   "), query literal has " + std::to_string(*n) + " elements",
               q.pos);
        }
        return ResolvedType::scalar(Type::scalar_of(ScalarKind::kF64));
      }
    }
    ResolvedType qt = resolve(q, ctx);
    if (!qt.is_scalar()) fail("T15", "nearest query must be a scalar expression", q.pos);
    if (qt.type.is_vector() && !qt.type.list) {
      if (qt.type.vector_dim != dim) {
        fail("T15",
             "nearest vector dimension mismatch: property is Vector(" + std::to_string(dim) +
                 "), query is Vector(" + std::to_string(qt.type.vector_dim) + ")",
             q.pos);
      }
    } else if (!(qt.type.scalar == ScalarKind::kString && !qt.type.list)) {
      fail("T15",
           "nearest query must be Vector(" + std::to_string(dim) + ") or String, got " +
               qt.type.display(),
           q.pos);
    }
    return ResolvedType::scalar(Type::scalar_of(ScalarKind::kF64));
  }

  // ---- mutations ------------------------------------------------------------------

  void no_duplicates(const Mutation& m) {
    std::set<std::string> seen;
    for (const auto& a : m.assignments) {
      if (!seen.insert(a.property).second) {
        fail("T13", "duplicate assignment for property " + tick(a.property), a.pos);
      }
    }
  }

  void mutation_value(const MatchValue& v, const Type& expected, const std::string& property) {
    switch (v.kind) {
      case MatchValue::Kind::kLiteral: check_literal(v.literal, expected, property); return;
      case MatchValue::Kind::kNow: now_value(expected, property, v.pos); return;
      case MatchValue::Kind::kVariable: {
        const Type* actual = param(v.variable);
        if (!actual) {
          fail(
              "T14",
              "mutation variable " + tick("$" + v.variable) + " must be a declared query parameter",
              v.pos);
        }
        // A String parameter may carry a blob URI / base64 payload.
        bool ok = types_compatible(*actual, expected) ||
                  (expected.is_blob() && actual->scalar == ScalarKind::kString && !actual->list);
        if (!ok) {
          fail("T7",
               "cannot assign/compare " + actual->display() + " with " + expected.display() +
                   " for property " + tick(property),
               v.pos);
        }
        return;
      }
    }
  }

  std::string mutation(const Mutation& m) {
    const NodeType* node = catalog_.find_node_type(m.type_name);
    const EdgeType* edge = node ? nullptr : catalog_.find_edge_type(m.type_name);
    const Type string_type = Type::scalar_of(ScalarKind::kString);
    switch (m.kind) {
      case Mutation::Kind::kInsert: {
        no_duplicates(m);
        if (node) {
          std::set<std::string> assigned;
          for (const auto& a : m.assignments) {
            const Property* prop = node->find_property(a.property);
            if (!prop) {
              fail("T11", "type " + tick(m.type_name) + " has no property " + tick(a.property),
                   a.pos);
            }
            mutation_value(a.value, prop->type, a.property);
            assigned.insert(a.property);
          }
          for (const auto& prop : node->properties) {
            if (prop.type.nullable || assigned.count(prop.name)) continue;
            if (prop.embed_source) {
              if (assigned.count(*prop.embed_source)) continue;
              fail("T12",
                   "insert for " + tick(m.type_name) + " must provide non-nullable property " +
                       tick(prop.name) + " or @embed source " + tick(*prop.embed_source),
                   m.pos);
            }
            fail("T12",
                 "insert for " + tick(m.type_name) + " must provide non-nullable property " +
                     tick(prop.name),
                 m.pos);
          }
          return m.type_name;
        }
        if (edge) {
          bool has_from = false, has_to = false;
          std::set<std::string> assigned;
          for (const auto& a : m.assignments) {
            if (a.property == "from" || a.property == "to") {
              (a.property == "from" ? has_from : has_to) = true;
              mutation_value(a.value, string_type, a.property);
              continue;
            }
            const Property* prop = edge->find_property(a.property);
            if (!prop) {
              fail("T11", "type " + tick(m.type_name) + " has no property " + tick(a.property),
                   a.pos);
            }
            mutation_value(a.value, prop->type, a.property);
            assigned.insert(a.property);
          }
          if (!has_from) {
            fail("T12",
                 "insert for " + tick(m.type_name) + " must provide required endpoint `from`",
                 m.pos);
          }
          if (!has_to) {
            fail("T12", "insert for " + tick(m.type_name) + " must provide required endpoint `to`",
                 m.pos);
          }
          for (const auto& prop : edge->properties) {
            if (prop.type.nullable || assigned.count(prop.name)) continue;
            fail("T12",
                 "insert for " + tick(m.type_name) + " must provide non-nullable property " +
                     tick(prop.name),
                 m.pos);
          }
          return m.type_name;
        }
        fail("T10", "unknown node/edge type " + tick(m.type_name), m.type_pos);
      }
      case Mutation::Kind::kUpdate: {
        if (!node) {
          if (edge) {
            fail("T16", "update mutation for edge type " + tick(m.type_name) + " is not supported",
                 m.type_pos);
          }
          fail("T10", "unknown node/edge type " + tick(m.type_name), m.type_pos);
        }
        no_duplicates(m);
        for (const auto& a : m.assignments) {
          const Property* prop = node->find_property(a.property);
          if (!prop) {
            fail("T11", "type " + tick(m.type_name) + " has no property " + tick(a.property),
                 a.pos);
          }
          mutation_value(a.value, prop->type, a.property);
        }
        node_predicate(m, *node);
        return m.type_name;
      }
      case Mutation::Kind::kDelete: {
        if (node) {
          node_predicate(m, *node);
          return m.type_name;
        }
        if (edge) {
          const MutationPredicate& p = m.predicate;
          if (p.property == "from" || p.property == "to") {
            mutation_value(p.value, string_type, p.property);
            return m.type_name;
          }
          const Property* prop = edge->find_property(p.property);
          if (!prop) {
            fail("T11", "type " + tick(m.type_name) + " has no property " + tick(p.property),
                 p.pos);
          }
          mutation_value(p.value, prop->type, p.property);
          return m.type_name;
        }
        fail("T10", "unknown node/edge type " + tick(m.type_name), m.type_pos);
      }
    }
    return m.type_name;
  }

  void node_predicate(const Mutation& m, const NodeType& node) {
    const MutationPredicate& p = m.predicate;
    const Property* prop = node.find_property(p.property);
    if (!prop) {
      fail("T11", "type " + tick(m.type_name) + " has no property " + tick(p.property), p.pos);
    }
    if (prop->type.is_blob()) {
      fail("T11", "blob property " + tick(p.property) + " cannot be used in WHERE predicates",
           p.pos);
    }
    mutation_value(p.value, prop->type, p.property);
  }

  const Catalog& catalog_;
  const QueryDecl& query_;
  CheckedQuery& out_;
};

}  // namespace

CheckedQuery typecheck_query(const Catalog& catalog, const QueryDecl& query) {
  CheckedQuery out;
  Checker(catalog, query, out).run();
  return out;
}

}  // namespace omnigraph::compiler::query
