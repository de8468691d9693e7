// The query IR (spec §4.1, §8.1): what a type-checked .gq query lowers to
// and what the executor runs. It carries no source positions and no syntax
// sugar: parameters are told apart from bound variables, `now()` is the
// reserved parameter, every expand knows its edge, direction and endpoint
// types, and search-mode ordering is made explicit.
//
// A read plan is a pipeline of row operators (scan, expand, filter,
// text_search, anti_join) followed by an optional rank (nearest/bm25/rrf
// search mode), then project or aggregate, order and limit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/query/ast.h"
#include "compiler/query/typecheck.h"

namespace omnigraph::compiler::ir {

using query::AggFunc;
using query::CompOp;
using query::Direction;
using query::Literal;

struct Expr {
  enum class Kind {
    kPropAccess,  // variable.name
    kVariable,    // a bound node (or edge) variable: evaluates to its id
    kParam,       // a query parameter (now() is the reserved __nanograph_now)
    kLiteral,
    kNearest,    // nearest(variable.name, args[0])
    kSearch,     // search(args[0], args[1])
    kFuzzy,      // fuzzy(args[0], args[1] [, args[2]])
    kMatchText,  // match_text(args[0], args[1])
    kBm25,       // bm25(args[0], args[1])
    kRrf,        // rrf(args[0], args[1] [, args[2]])
    kAggregate,  // agg(args[0])
    kAliasRef,   // name
  };
  Kind kind = Kind::kLiteral;
  std::string variable;
  std::string name;
  AggFunc agg = AggFunc::kCount;
  Literal literal;
  std::vector<Expr> args;
};

struct Filter {
  Expr left;
  CompOp op = CompOp::kEq;
  Expr right;
};

// A full-text predicate from match (`search`/`fuzzy`/`match_text` on
// `$v.prop`), hoisted out of the generic filters (spec §4.5).
struct TextSearch {
  enum class Mode { kSearch, kFuzzy, kMatchText };
  Mode mode = Mode::kSearch;
  std::string variable;
  std::string property;
  Expr query;
  std::optional<Expr> max_edits;  // fuzzy only
  bool expected = true;           // `call = false` keeps false here (see §4.5 quirk)
};

struct Op {
  enum class Kind { kNodeScan, kExpand, kFilter, kTextSearch, kAntiJoin };
  Kind kind = Kind::kNodeScan;

  // kNodeScan: variable, type_name, filters (inline `prop: value` matches).
  // kExpand: src -> variable over edge_type; type_name = destination node
  //   type; filters = the deferred destination binding's matches.
  std::string variable;
  std::string type_name;
  std::vector<Filter> filters;

  std::string src;
  std::string edge_type;
  std::string edge_variable;  // "" unless the traversal binds the edge
  Direction direction = Direction::kOut;
  uint32_t min_hops = 1;
  uint32_t max_hops = 1;

  Filter filter;               // kFilter
  TextSearch text_search;      // kTextSearch
  std::string outer_variable;  // kAntiJoin: the outer variable the inner pipeline starts from
  std::vector<Op> inner;       // kAntiJoin
};

// Search-mode ordering from the first order item (spec §4.6).
struct Rank {
  enum class Mode { kNearest, kBm25, kRrf };
  Mode mode = Mode::kNearest;
  Expr expr;             // the nearest/bm25/rrf expression
  std::string variable;  // the searched variable (rrf: its primary's)
  bool descending = false;
};

struct Projection {
  Expr expr;
  std::optional<std::string> alias;
  std::string column;  // result column name (spec §6.2)
  bool aggregate = false;
};

struct OrderItem {
  Expr expr;
  bool descending = false;
};

struct ParamDecl {
  std::string name;
  Type type;
};

struct ReadPlan {
  std::string name;
  std::vector<ParamDecl> params;
  std::vector<Op> pipeline;
  std::optional<Rank> rank;  // when set, `order` holds nothing: later items are ignored
  std::vector<Projection> projections;
  bool aggregate = false;  // group by the non-aggregate projections
  std::vector<OrderItem> order;
  std::optional<uint64_t> limit;
};

struct Assignment {
  std::string property;
  Expr value;  // kLiteral or kParam
};

struct Predicate {
  std::string property;  // for edges may be `from` / `to`
  CompOp op = CompOp::kEq;
  Expr value;
};

struct MutationOp {
  enum class Kind { kInsert, kUpdate, kDelete };
  Kind kind = Kind::kInsert;
  bool edge = false;  // target is an edge type
  std::string type_name;
  std::vector<Assignment> assignments;
  std::optional<Predicate> predicate;
};

struct MutationPlan {
  std::string name;
  std::vector<ParamDecl> params;
  std::vector<MutationOp> ops;
};

struct Plan {
  bool mutation = false;
  ReadPlan read;
  MutationPlan write;
};

// Lowers a type-checked query (spec §4.1). Mutations that mix an insert or
// update with a delete are refused here, before any I/O (§4.9), with a
// CompileError (stage kPlan) at the first delete.
Plan lower_query(const Catalog& catalog, const query::QueryDecl& query,
                 const query::CheckedQuery& checked);

// Parses nothing: convenience that type-checks then lowers.
Plan compile_query(const Catalog& catalog, const query::QueryDecl& query);

// A stable, readable rendering used by tests and `--explain`.
std::string print_plan(const Plan& plan);
std::string print_expr(const Expr& expr);

}  // namespace omnigraph::compiler::ir
