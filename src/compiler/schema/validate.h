// Semantic pass over a parsed .pg file, before the catalog is built:
// desugars property-level @key/@unique/@index into constraints, expands
// `implements` clauses (spec §1.4) and runs every check of spec §1.5. All of
// these are reported as "parse error: ..." like the reference does.
#pragma once

#include "compiler/schema/ast.h"

namespace omnigraph::compiler::schema {

// Rewrites `file` in place (desugared constraints, injected interface
// properties) and throws CompileError on the first violation.
void resolve_and_validate(SchemaFile& file);

}  // namespace omnigraph::compiler::schema
