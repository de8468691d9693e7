// Recursive-descent parser for the .pg grammar (spec §1.1). Produces the
// syntax tree only; interface expansion and the §1.5 checks are in
// validate.h. Throws CompileError ("parse error: ...") with line:column.
#pragma once

#include <string_view>

#include "compiler/schema/ast.h"

namespace omnigraph::compiler::schema {

SchemaFile parse_schema_syntax(std::string_view source);

}  // namespace omnigraph::compiler::schema
