// Query lint (spec §3.11): parses a .gq file, type-checks every query
// against a catalog independently and reports drift findings such as L201
// (a nullable property that no update query sets). The CLI renders the
// result as text or JSON (`omnigraph query lint|check`).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/catalog/catalog.h"

namespace omnigraph::compiler::lint {

enum class Severity { kError, kWarning, kInfo };
std::string_view severity_name(Severity s);  // "error", "warning", "info"

struct QueryResult {
  std::string name;
  bool mutation = false;  // kind "mutation" vs "read"
  bool ok = true;
  std::vector<std::string> warnings;
  std::optional<std::string> error;  // the full error text when !ok
  uint32_t error_line = 0;
  uint32_t error_column = 0;
};

struct Finding {
  Severity severity = Severity::kWarning;
  std::string code;  // "Q000", "L201"
  std::string message;
  std::optional<std::string> type_name;
  std::optional<std::string> property;
  std::vector<std::string> query_names;
  uint32_t line = 0;  // Q000: where the parse failed
  uint32_t column = 0;
};

struct SchemaSource {
  bool graph = false;  // kind "graph" (uri) vs "file" (path)
  std::string location;
};

struct LintOutput {
  bool ok = true;
  SchemaSource schema_source;
  std::string query_path;
  size_t queries_processed = 0;
  size_t errors = 0;
  size_t warnings = 0;
  size_t infos = 0;
  std::vector<QueryResult> results;
  std::vector<Finding> findings;
};

inline constexpr const char* kHardcodedMutationWarning =
    "mutation declares no params; hardcoded mutations are easy to miss";

LintOutput lint_query_file(const Catalog& catalog, std::string_view query_source,
                           std::string query_path, SchemaSource schema_source);

}  // namespace omnigraph::compiler::lint
