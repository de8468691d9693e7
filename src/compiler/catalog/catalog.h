// The compiled schema: what the query type checker, the linter and the
// engine need to know about a graph's node types, edge types and interfaces.
//
// A Catalog is immutable once built (by compile_schema) and cheap to share
// (copyable value). Types and properties keep declaration order; the
// storage layer may order columns differently (by stable property id or by
// name) — the catalog does not prescribe it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/types.h"

namespace omnigraph::compiler {

// One argument of an annotation: `@x("a", k=1, flag)`.
struct AnnotationArg {
  enum class Kind { kString, kInteger, kFloat, kBool, kIdent };
  std::string key;  // "" for a positional argument
  Kind kind = Kind::kString;
  std::string value;  // strings escape-decoded; numbers/idents/bools as written
};

struct Annotation {
  std::string name;  // without the '@'
  std::vector<AnnotationArg> args;
  uint32_t line = 0;
  uint32_t column = 0;

  // The first positional argument's value (the reference's single value).
  std::optional<std::string> value() const;
  // The value of keyword argument `key`, if present.
  std::optional<std::string> keyword(std::string_view key) const;
};

// Finds the first annotation named `name`, or nullptr.
const Annotation* find_annotation(const std::vector<Annotation>& annotations,
                                  std::string_view name);

struct Property {
  std::string name;
  Type type;
  // Stable id: FNV-1a-32 of "{kind}:{owner}:{name}" (kind node|edge|interface);
  // a zero hash becomes 1. Rows are encoded by it, so it never changes while
  // the property exists.
  uint32_t id = 0;
  std::vector<Annotation> annotations;      // all of them, including @embed etc.
  std::optional<std::string> description;   // @description
  std::optional<std::string> embed_source;  // @embed(src): a String property of the same node
  std::optional<std::string> rename_from;   // @rename_from("old")
  std::string from_interface;  // interface it was inherited from; "" if declared on the type
  uint32_t line = 0;
  uint32_t column = 0;
};

// A numeric @range bound as written (integer or float, optional sign).
struct RangeBound {
  bool is_float = false;
  int64_t int_value = 0;
  double float_value = 0;
  std::string text;  // as written, e.g. "-5", "0.5"

  double as_double() const { return is_float ? float_value : static_cast<double>(int_value); }
};

struct RangeConstraint {
  std::string property;
  std::optional<RangeBound> min;  // inclusive
  std::optional<RangeBound> max;  // inclusive
};

struct CheckConstraint {
  std::string property;
  std::string pattern;  // regex, searched (unanchored)
};

struct Cardinality {
  uint32_t min = 0;
  std::optional<uint32_t> max;  // nullopt = unbounded
  bool is_default() const { return min == 0 && !max; }
};

struct InterfaceType {
  std::string name;
  uint32_t type_id = 0;
  std::vector<Property> properties;
  const Property* find_property(std::string_view name) const;
};

struct NodeType {
  std::string name;
  uint32_t type_id = 0;  // FNV-1a-32 of "node:{name}" (0 → 1)
  std::vector<std::string> implements;
  // Declaration order; properties inherited from interfaces that the node
  // did not redeclare follow, in `implements` order.
  std::vector<Property> properties;
  std::vector<std::string> key;  // @key columns as written; empty when the node has no key
  std::vector<std::vector<std::string>> unique_constraints;
  // @index declarations plus one implied by @key (first), in source order.
  std::vector<std::vector<std::string>> indices;
  std::vector<RangeConstraint> range_constraints;
  std::vector<CheckConstraint> check_constraints;
  std::vector<Annotation> annotations;  // type-level
  std::optional<std::string> description;
  std::optional<std::string> instruction;
  std::optional<std::string> rename_from;
  uint32_t line = 0;
  uint32_t column = 0;

  std::string table_key() const { return "node:" + name; }
  const Property* find_property(std::string_view name) const;
  // The node id comes from this property's value (the first key column;
  // see spec §1.3), or nullptr when the node has no @key.
  const Property* key_property() const;
  bool implements_interface(std::string_view interface_name) const;
};

struct EdgeType {
  std::string name;
  uint32_t type_id = 0;   // FNV-1a-32 of "edge:{name}" (0 → 1)
  std::string from_type;  // source node type
  std::string to_type;    // target node type
  Cardinality cardinality;
  std::vector<Property> properties;
  // Columns may include the implicit `src` and `dst`.
  std::vector<std::vector<std::string>> unique_constraints;
  std::vector<std::vector<std::string>> indices;
  std::vector<Annotation> annotations;
  std::optional<std::string> description;
  std::optional<std::string> instruction;
  std::optional<std::string> rename_from;
  uint32_t line = 0;
  uint32_t column = 0;

  std::string table_key() const { return "edge:" + name; }
  const Property* find_property(std::string_view name) const;
};

class Catalog {
 public:
  Catalog() = default;
  // Builds the lookup indexes. Callers normally use compile_schema; this
  // constructor trusts that names are unique (compile_schema checks that).
  Catalog(std::string source, std::vector<InterfaceType> interfaces,
          std::vector<NodeType> node_types, std::vector<EdgeType> edge_types);

  // The .pg text this catalog was compiled from.
  const std::string& source() const { return source_; }

  const std::vector<InterfaceType>& interfaces() const { return interfaces_; }
  const std::vector<NodeType>& node_types() const { return node_types_; }  // declaration order
  const std::vector<EdgeType>& edge_types() const { return edge_types_; }  // declaration order

  // Exact, case-sensitive lookups; nullptr when absent.
  const NodeType* find_node_type(std::string_view name) const;
  const EdgeType* find_edge_type(std::string_view name) const;
  const InterfaceType* find_interface(std::string_view name) const;

  // Edge lookup for traversals and JSONL: exact first, then by lower-case
  // folding (`knows`, `KNOWS` → `Knows`). Folded names are unique: the
  // compiler rejects two edges that collide after folding.
  const EdgeType* lookup_edge(std::string_view name) const;

  // Resolves a table key `node:T` / `edge:E` (exact names).
  const NodeType* node_for_table_key(std::string_view table_key) const;
  const EdgeType* edge_for_table_key(std::string_view table_key) const;
  // Every table key: nodes then edges, each in declaration order.
  std::vector<std::string> table_keys() const;

  // Edge types whose source (resp. target) is `node_type`.
  std::vector<const EdgeType*> edges_from(std::string_view node_type) const;
  std::vector<const EdgeType*> edges_to(std::string_view node_type) const;

  // A stable, readable dump of the whole catalog (used by the case suite and
  // for debugging): interfaces, nodes with properties (id, type,
  // annotations), keys, indexes, constraints; edges with endpoints and
  // cardinality.
  std::string summary() const;

 private:
  std::string source_;
  std::vector<InterfaceType> interfaces_;
  std::vector<NodeType> node_types_;
  std::vector<EdgeType> edge_types_;
  std::map<std::string, size_t, std::less<>> node_index_;
  std::map<std::string, size_t, std::less<>> edge_index_;
  std::map<std::string, size_t, std::less<>> edge_folded_index_;
  std::map<std::string, size_t, std::less<>> interface_index_;
};

// Compiles .pg source into a Catalog: parse (§1.1), interface expansion
// (§1.4), validation (§1.5, "parse error: ...") and catalog checks (§1.6,
// "catalog error: ..."). Throws CompileError carrying line and column.
Catalog compile_schema(std::string_view source);

// FNV-1a-32 of `text`, with 0 mapped to 1 (the reference's id hash).
uint32_t stable_id_hash(std::string_view text);

// ASCII lower-case folding used for edge names.
std::string fold_edge_name(std::string_view name);

}  // namespace omnigraph::compiler
