// Syntax tree of a .pg file, as the parser produces it and before the
// catalog is built. Interface expansion and constraint desugaring rewrite it
// in place (see validate.h), so the catalog builder sees every node's full
// property list and constraint list.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "compiler/catalog/catalog.h"
#include "compiler/types.h"

namespace omnigraph::compiler::schema {

struct SourcePos {
  uint32_t line = 0;
  uint32_t column = 0;
};

struct PropDecl {
  std::string name;
  Type type;
  std::vector<Annotation> annotations;
  SourcePos pos;               // of the property name
  std::string from_interface;  // set when injected from an interface
};

enum class ConstraintKind { kKey, kUnique, kIndex, kRange, kCheck };
std::string_view constraint_kind_name(ConstraintKind kind);  // "key", "unique", ...

struct ConstraintDecl {
  ConstraintKind kind = ConstraintKind::kKey;
  std::vector<std::string> columns;  // key/unique/index: columns; range/check: {property}
  std::optional<RangeBound> min;     // range only
  std::optional<RangeBound> max;     // range only
  std::string pattern;               // check only
  SourcePos pos;                     // of the '@' (or of the desugared annotation)
};

struct NamedRef {
  std::string name;
  SourcePos pos;
};

struct InterfaceDecl {
  std::string name;
  std::vector<PropDecl> properties;
  SourcePos pos;  // of the name
};

struct NodeDecl {
  std::string name;
  std::vector<Annotation> annotations;
  std::vector<NamedRef> implements;
  std::vector<PropDecl> properties;
  std::vector<ConstraintDecl> constraints;
  SourcePos pos;  // of the name
};

struct EdgeDecl {
  std::string name;
  NamedRef from;
  NamedRef to;
  Cardinality cardinality;
  std::vector<Annotation> annotations;
  std::vector<PropDecl> properties;
  std::vector<ConstraintDecl> constraints;
  SourcePos pos;  // of the name
};

using Decl = std::variant<InterfaceDecl, NodeDecl, EdgeDecl>;

struct SchemaFile {
  std::vector<Decl> declarations;  // source order
};

}  // namespace omnigraph::compiler::schema
