// omnigraph.yaml as the CLI reads it (http-contract.md §6.7): named graph
// targets, `cli` defaults, query roots, aliases, the auth env file and the
// policy file. Found at `--config` or, when that is absent,
// ./omnigraph.yaml if it exists (no parent-directory walk, like the
// reference). Unknown keys are ignored so a server's config loads too.
// Relative paths in the file resolve against the file's directory.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/read_format.h"

namespace omnigraph::cli {

inline constexpr const char* kConfigFileName = "omnigraph.yaml";
// The token variable tried after a target's own bearer_token_env.
inline constexpr const char* kDefaultBearerTokenEnv = "OMNIGRAPH_BEARER_TOKEN";

struct GraphEntry {
  std::string uri;                              // as written
  std::optional<std::string> bearer_token_env;  // env var holding a remote target's token
  std::optional<std::string> policy_file;       // graphs.<name>.policy.file (server use)
};

enum class AliasCommand { kRead, kChange };

// `aliases.<name>`: a read or change bound to a query, with positional
// argument names that become parameters.
struct AliasConfig {
  AliasCommand command = AliasCommand::kRead;
  std::string query;  // a .gq path, resolved like --query
  std::optional<std::string> name;
  std::vector<std::string> args;
  std::optional<std::string> graph;
  std::optional<std::string> branch;
  std::optional<ReadFormat> format;
};

struct CliConfig {
  // The file read; empty when there is none.
  std::filesystem::path path;
  // Relative paths in the file (and --query) resolve against this: the
  // file's directory, or the working directory without a file.
  std::filesystem::path base_dir;

  std::optional<std::string> project_name;            // project.name
  std::map<std::string, GraphEntry> graphs;           // graphs (alphabetical)
  std::optional<std::string> server_graph;            // server.graph
  std::optional<std::string> auth_env_file;           // auth.env_file as written
  std::optional<std::string> graph;                   // cli.graph
  std::optional<std::string> actor;                   // cli.actor
  std::optional<std::string> branch;                  // cli.branch
  std::optional<ReadFormat> output_format;            // cli.output_format
  std::optional<std::size_t> table_max_column_width;  // cli.table_max_column_width
  std::optional<TableCellLayout> table_cell_layout;   // cli.table_cell_layout
  std::vector<std::string> query_roots;               // query.roots
  std::map<std::string, AliasConfig> aliases;         // aliases
  std::optional<std::string> policy_file;             // policy.file as written

  // A config path value: URIs with `://` and absolute paths verbatim,
  // relative ones joined to base_dir.
  std::string resolve_config_uri(const std::string& value) const;

  // policy.file resolved against base_dir; nullopt when not configured.
  std::optional<std::filesystem::path> resolved_policy_file() const;
  // auth.env_file resolved against base_dir; nullopt when not configured.
  std::optional<std::filesystem::path> resolved_auth_env_file() const;

  // A query file path: absolute paths as they are; relative ones against
  // base_dir, then against each query root in order.
  // Error(kBadRequest) "query file '<q>' not found" otherwise.
  std::filesystem::path resolve_query_path(const std::filesystem::path& query) const;

  // The graph URI a command uses: the explicit URI verbatim, else the
  // graph named by `target` (else cli.graph) resolved against base_dir.
  // Errors: "URI must be provided via <URI>, --target, or config" and
  // "graph '<name>' not found in omnigraph.yaml".
  std::string resolve_target_uri(const std::optional<std::string>& explicit_uri,
                                 const std::optional<std::string>& target) const;

  // The bearer_token_env of the target in use: `target`, else (only when no
  // explicit URI was given) cli.graph.
  std::optional<std::string> graph_bearer_token_env(const std::optional<std::string>& explicit_uri,
                                                    const std::optional<std::string>& target) const;

  // Error(kBadRequest) "alias '<name>' not found".
  const AliasConfig& alias(const std::string& name) const;

  ReadRenderOptions render_options() const;
};

// `config_flag` is the --config value ("" when not given). A named file
// that cannot be read, or bad YAML, is Error(kBadRequest). When the file
// names an auth.env_file, its variables are loaded into the process
// environment (without overriding ones already set), like the reference.
CliConfig load_cli_config(const std::string& config_flag);

}  // namespace omnigraph::cli
