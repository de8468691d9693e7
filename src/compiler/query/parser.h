// The .gq parser (spec §2): a recursive-descent parser over the shared
// lexer that mirrors the reference PEG's ordered choices (first match wins,
// no backtracking into a choice that already succeeded).
#pragma once

#include <string_view>

#include "compiler/query/ast.h"

namespace omnigraph::compiler::query {

// Parses a whole query file. Throws CompileError (stage kParse, message
// prefixed "parse error: ") with the line and column of the offending token.
QueryFile parse_query_file(std::string_view source);

}  // namespace omnigraph::compiler::query
