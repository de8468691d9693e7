// The syntax tree of a .gq query file (spec §2), as produced by
// parse_query_file. Every node keeps the 1-based line:column of its first
// token so the type checker can report where a problem is.
//
// The tree is deliberately plain data: one struct per construct, with a
// `kind` tag where a construct has variants, so the type checker, the
// lowering and the linter can walk it without visitors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace omnigraph::compiler::query {

// The reserved parameter `now()` lowers to (spec §8.1).
inline constexpr const char* kNowParamName = "__nanograph_now";

struct SourcePos {
  uint32_t line = 0;
  uint32_t column = 0;
};

struct Literal {
  enum class Kind { kString, kInteger, kFloat, kBool, kDate, kDateTime, kList };
  Kind kind = Kind::kString;
  std::string text;  // string/date/datetime value (decoded); numbers as written
  int64_t int_value = 0;
  double float_value = 0;
  bool bool_value = false;
  std::vector<Literal> items;  // kList
  SourcePos pos;
};

enum class CompOp { kEq, kNe, kGt, kLt, kGe, kLe, kContains };
std::string_view comp_op_text(CompOp op);

enum class AggFunc { kCount, kSum, kAvg, kMin, kMax };
std::string_view agg_func_name(AggFunc func);

struct Expr {
  enum class Kind {
    kNow,         // now()
    kPropAccess,  // $v.prop           variable, name
    kVariable,    // $v                variable (parameter or bound variable)
    kLiteral,     // literal
    kNearest,     // nearest($v.prop, q)   variable, name, args[0] = q
    kSearch,      // search(field, q)      args
    kFuzzy,       // fuzzy(field, q [, max_edits])
    kMatchText,   // match_text(field, q)
    kBm25,        // bm25(field, q)
    kRrf,         // rrf(a, b [, k])
    kAggregate,   // agg(arg)              agg, args[0]
    kAliasRef,    // bare ident            name
  };
  Kind kind = Kind::kLiteral;
  std::string variable;  // without '$'
  std::string name;      // property or alias
  AggFunc agg = AggFunc::kCount;
  Literal literal;
  std::vector<Expr> args;
  SourcePos pos;
  SourcePos name_pos;  // kPropAccess/kNearest: position of the property name
};

// The right-hand side of `prop: value` and mutation predicates.
struct MatchValue {
  enum class Kind { kLiteral, kVariable, kNow };
  Kind kind = Kind::kLiteral;
  Literal literal;
  std::string variable;
  SourcePos pos;
};

struct PropMatch {
  std::string property;
  MatchValue value;
  SourcePos pos;
};

struct Binding {
  std::string variable;
  std::string type_name;
  std::vector<PropMatch> prop_matches;
  SourcePos pos;
  SourcePos type_pos;
};

struct Traversal {
  std::string src;
  std::string edge_name;
  std::string dst;
  uint32_t min_hops = 1;
  std::optional<uint32_t> max_hops = 1;  // nullopt = `{min,}` (rejected by T15)
  bool has_bounds = false;
  // Extensions (docs/compatibility.md): `$a <knows> $b` ignores direction;
  // `$a $e:knows $b` binds the edge itself to `$e`.
  bool undirected = false;
  std::string edge_var;  // "" when no edge variable
  SourcePos pos;
  SourcePos edge_pos;
  SourcePos dst_pos;
  SourcePos bounds_pos;
  SourcePos edge_var_pos;
};

struct Filter {
  Expr left;
  CompOp op = CompOp::kEq;
  Expr right;
  bool text_search_sugar = false;  // standalone search()/fuzzy()/match_text() clause
  SourcePos pos;
  SourcePos op_pos;
};

struct Clause {
  enum class Kind { kBinding, kTraversal, kFilter, kNegation };
  Kind kind = Kind::kBinding;
  Binding binding;
  Traversal traversal;
  Filter filter;
  std::vector<Clause> negation;
  SourcePos pos;
};

struct Projection {
  Expr expr;
  std::optional<std::string> alias;
  SourcePos pos;
};

struct Ordering {
  Expr expr;
  bool descending = false;
  SourcePos pos;
};

struct Assignment {
  std::string property;
  MatchValue value;
  SourcePos pos;
};

struct MutationPredicate {
  std::string property;
  CompOp op = CompOp::kEq;
  MatchValue value;
  SourcePos pos;
};

struct Mutation {
  enum class Kind { kInsert, kUpdate, kDelete };
  Kind kind = Kind::kInsert;
  std::string type_name;
  std::vector<Assignment> assignments;  // insert, update
  MutationPredicate predicate;          // update, delete
  SourcePos pos;
  SourcePos type_pos;
};

struct Param {
  std::string name;       // without '$'
  std::string type_name;  // as written without `?`: "String", "[I32]", "Vector(3)"
  bool nullable = false;
  SourcePos pos;
  SourcePos type_pos;
};

struct QueryDecl {
  std::string name;
  std::optional<std::string> description;
  std::optional<std::string> instruction;
  std::vector<Param> params;
  std::vector<Clause> match;
  std::vector<Projection> returns;
  std::vector<Ordering> order;
  std::optional<uint64_t> limit;
  SourcePos limit_pos;
  std::vector<Mutation> mutations;
  SourcePos pos;
  SourcePos name_pos;

  bool is_mutation() const { return !mutations.empty(); }
};

struct QueryFile {
  std::vector<QueryDecl> queries;

  // First query with this exact name (spec §2.2), or nullptr.
  const QueryDecl* find(std::string_view name) const;
};

}  // namespace omnigraph::compiler::query
