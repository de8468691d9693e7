// The .gq type checker (spec §3). It checks a parsed query against a
// Catalog clause by clause in textual order, exactly like the reference, and
// throws the first problem as a CompileError (stage kType, "type error: ",
// codes T1…T21) carrying the line and column of the offending construct.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/catalog/catalog.h"
#include "compiler/query/ast.h"
#include "compiler/types.h"

namespace omnigraph::compiler::query {

// Direction of an expand relative to the edge's declared `from -> to`.
// kBoth only comes from the undirected-traversal extension.
enum class Direction { kOut, kIn, kBoth };
std::string_view direction_name(Direction d);

struct BoundVariable {
  std::string type_name;  // node type, or edge type for an edge variable
  bool is_edge = false;
};

// What an expression evaluates to.
struct ResolvedType {
  enum class Kind { kScalar, kNode, kEdge, kAggregate };
  Kind kind = Kind::kScalar;
  Type type;              // kScalar
  std::string type_name;  // kNode / kEdge

  static ResolvedType scalar(Type t) { return {Kind::kScalar, std::move(t), {}}; }
  bool is_scalar() const { return kind == Kind::kScalar; }
  // "I32?", "node `Person`", "edge `Knows`", "aggregate".
  std::string display() const;
};

struct ResolvedTraversal {
  const EdgeType* edge = nullptr;
  Direction direction = Direction::kOut;
};

struct TypeContext {
  std::map<std::string, BoundVariable> bindings;
  std::map<std::string, ResolvedType> aliases;
};

struct CheckedQuery {
  bool mutation = false;
  std::map<std::string, Type> params;  // declared parameter types
  TypeContext context;                 // outer scope after the match clause (reads)
  // Every traversal of the query (negation bodies included), keyed by its
  // AST node, with the edge and direction the checker inferred.
  std::map<const Traversal*, ResolvedTraversal> traversals;
  std::vector<std::string> target_types;  // mutations: one per statement
};

// Parses a declared parameter type name ("String", "[I32]", "Vector(3)");
// nullopt when it is not a valid parameter type.
std::optional<Type> parse_param_type(std::string_view type_name, bool nullable);

// Type-checks one query (read or mutation). Throws CompileError.
CheckedQuery typecheck_query(const Catalog& catalog, const QueryDecl& query);

}  // namespace omnigraph::compiler::query
