// Query parameters from JSON (server `/read` `/change` bodies, CLI
// `--params` / `--params-file`), by the rules of languages.md §6.1.
//
// Declared parameters are converted by their declared type; undeclared keys
// are typed by inference. Two deliberate differences from the reference:
// Date/DateTime/Blob strings are parsed here, so a malformed one fails even
// when the query never uses it; and an omitted non-nullable declared
// parameter is an error (`parameter 'x' not provided`) instead of being
// silently left out.
#pragma once

#include <rapidjson/document.h>

#include <string_view>
#include <vector>

#include "compiler/ir/ir.h"
#include "engine/param_map.h"

namespace omnigraph::engine {

// `params` may be nullptr or JSON null (no parameters given). Throws
// Error(kBadRequest) with the reference's texts, e.g.
// `param 'x': expected string, got number`.
ParamMap params_from_json(const rapidjson::Value* params,
                          const std::vector<compiler::ir::ParamDecl>& decls);

// The same from JSON text; empty (or all-whitespace) text means no
// parameters. Unparsable text is Error(kBadRequest) naming the offset.
ParamMap params_from_json_text(std::string_view text,
                               const std::vector<compiler::ir::ParamDecl>& decls);

}  // namespace omnigraph::engine
