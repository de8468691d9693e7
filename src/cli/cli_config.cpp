#include "cli/cli_config.h"

#include <system_error>

#include "cli/env_file.h"
#include "common/error.h"
#include "policy/yaml_reader.h"

namespace omnigraph::cli {
namespace {

namespace fs = std::filesystem;
namespace yaml = omnigraph::policy::yaml;

// A section the reference declares as a mapping; null reads as empty.
YAML::Node section(const YAML::Node& root, std::string_view key) {
  YAML::Node node = yaml::get(root, key);
  yaml::expect_map(node, key);
  return node;
}

std::optional<std::string> optional_string(const YAML::Node& map, std::string_view parent,
                                           std::string_view key) {
  if (!map || !map.IsMap()) return std::nullopt;
  return yaml::as_optional_string(yaml::get(map, key), yaml::child_path(parent, key));
}

std::optional<ReadFormat> optional_format(const YAML::Node& map, std::string_view parent,
                                          std::string_view key) {
  auto text = optional_string(map, parent, key);
  if (!text) return std::nullopt;
  auto format = parse_read_format(*text);
  if (!format) {
    yaml::fail(yaml::get(map, key), yaml::child_path(parent, key),
               "unknown variant `" + *text + "`, expected one of " + read_format_choices());
  }
  return format;
}

// `<section>.policy.file` under a mapping.
std::optional<std::string> nested_policy_file(const YAML::Node& map, std::string_view path) {
  if (!map || !map.IsMap()) return std::nullopt;
  YAML::Node policy = yaml::get(map, "policy");
  const std::string policy_path = yaml::child_path(path, "policy");
  yaml::expect_map(policy, policy_path);
  return optional_string(policy, policy_path, "file");
}

fs::path against(const fs::path& base, const std::string& value) {
  fs::path p = value;
  return p.is_absolute() ? p : base / p;
}

void read_graphs(const YAML::Node& root, CliConfig& config) {
  YAML::Node graphs = section(root, "graphs");
  if (!graphs || !graphs.IsMap()) return;
  for (const auto& item : graphs) {
    const std::string name = item.first.as<std::string>();
    const std::string path = yaml::child_path("graphs", name);
    yaml::expect_map(item.second, path);
    GraphEntry entry;
    entry.uri =
        yaml::as_string(yaml::require(item.second, path, "uri"), yaml::child_path(path, "uri"));
    entry.bearer_token_env = optional_string(item.second, path, "bearer_token_env");
    entry.policy_file = nested_policy_file(item.second, path);
    config.graphs[name] = std::move(entry);
  }
}

void read_cli(const YAML::Node& root, CliConfig& config) {
  YAML::Node cli = section(root, "cli");
  config.graph = optional_string(cli, "cli", "graph");
  config.actor = optional_string(cli, "cli", "actor");
  config.branch = optional_string(cli, "cli", "branch");
  config.output_format = optional_format(cli, "cli", "output_format");
  if (cli && cli.IsMap()) {
    YAML::Node width = yaml::get(cli, "table_max_column_width");
    if (width && !width.IsNull()) {
      config.table_max_column_width = yaml::as_u32(width, "cli.table_max_column_width");
    }
  }
  if (auto layout = optional_string(cli, "cli", "table_cell_layout")) {
    config.table_cell_layout = parse_table_cell_layout(*layout);
    if (!config.table_cell_layout) {
      yaml::fail(yaml::get(cli, "table_cell_layout"), "cli.table_cell_layout",
                 "unknown variant `" + *layout + "`, expected `truncate` or `wrap`");
    }
  }
}

void read_aliases(const YAML::Node& root, CliConfig& config) {
  YAML::Node aliases = section(root, "aliases");
  if (!aliases || !aliases.IsMap()) return;
  for (const auto& item : aliases) {
    const std::string name = item.first.as<std::string>();
    const std::string path = yaml::child_path("aliases", name);
    yaml::expect_map(item.second, path);
    AliasConfig alias;
    const std::string command_path = yaml::child_path(path, "command");
    const std::string command =
        yaml::as_string(yaml::require(item.second, path, "command"), command_path);
    if (command == "read") {
      alias.command = AliasCommand::kRead;
    } else if (command == "change") {
      alias.command = AliasCommand::kChange;
    } else {
      yaml::fail(yaml::get(item.second, "command"), command_path,
                 "unknown variant `" + command + "`, expected `read` or `change`");
    }
    alias.query =
        yaml::as_string(yaml::require(item.second, path, "query"), yaml::child_path(path, "query"));
    alias.name = optional_string(item.second, path, "name");
    YAML::Node args = yaml::get(item.second, "args");
    if (args && !args.IsNull()) {
      alias.args = yaml::as_string_list(args, yaml::child_path(path, "args"));
    }
    alias.graph = optional_string(item.second, path, "graph");
    alias.branch = optional_string(item.second, path, "branch");
    alias.format = optional_format(item.second, path, "format");
    config.aliases[name] = std::move(alias);
  }
}

}  // namespace

std::string CliConfig::resolve_config_uri(const std::string& value) const {
  if (value.find("://") != std::string::npos) return value;
  return against(base_dir, value).string();
}

std::optional<fs::path> CliConfig::resolved_policy_file() const {
  if (!policy_file) return std::nullopt;
  return against(base_dir, *policy_file).lexically_normal();
}

std::optional<fs::path> CliConfig::resolved_auth_env_file() const {
  if (!auth_env_file) return std::nullopt;
  return against(base_dir, *auth_env_file).lexically_normal();
}

fs::path CliConfig::resolve_query_path(const fs::path& query) const {
  if (query.is_absolute()) return query;
  std::error_code ec;
  fs::path direct = base_dir / query;
  if (fs::exists(direct, ec)) return direct;
  for (const std::string& root : query_roots) {
    fs::path candidate = against(base_dir, root) / query;
    if (fs::exists(candidate, ec)) return candidate;
  }
  throw_bad_request("query file '" + query.string() + "' not found");
}

std::string CliConfig::resolve_target_uri(const std::optional<std::string>& explicit_uri,
                                          const std::optional<std::string>& target) const {
  if (explicit_uri) return *explicit_uri;
  const std::optional<std::string>& name = target ? target : graph;
  if (!name) throw_bad_request("URI must be provided via <URI>, --target, or config");
  auto it = graphs.find(*name);
  if (it == graphs.end()) {
    throw_bad_request("graph '" + *name + "' not found in " + std::string(kConfigFileName));
  }
  return resolve_config_uri(it->second.uri);
}

std::optional<std::string> CliConfig::graph_bearer_token_env(
    const std::optional<std::string>& explicit_uri,
    const std::optional<std::string>& target) const {
  std::optional<std::string> name = target;
  if (!name && !explicit_uri) name = graph;
  if (!name) return std::nullopt;
  auto it = graphs.find(*name);
  if (it == graphs.end()) return std::nullopt;
  return it->second.bearer_token_env;
}

const AliasConfig& CliConfig::alias(const std::string& name) const {
  auto it = aliases.find(name);
  if (it == aliases.end()) throw_bad_request("alias '" + name + "' not found");
  return it->second;
}

ReadRenderOptions CliConfig::render_options() const {
  ReadRenderOptions options;
  if (table_max_column_width) options.max_column_width = *table_max_column_width;
  if (table_cell_layout) options.cell_layout = *table_cell_layout;
  return options;
}

CliConfig load_cli_config(const std::string& config_flag) {
  const fs::path cwd = fs::current_path();
  CliConfig config;
  config.base_dir = cwd;
  if (!config_flag.empty()) {
    config.path = config_flag;
  } else {
    std::error_code ec;
    if (fs::exists(cwd / kConfigFileName, ec)) config.path = cwd / kConfigFileName;
  }
  if (config.path.empty()) return config;

  const fs::path absolute = config.path.is_absolute() ? config.path : cwd / config.path;
  config.base_dir = absolute.parent_path();

  YAML::Node root = yaml::parse_document(yaml::read_file(config.path, "config file"));
  yaml::expect_map(root, "");
  if (!root || !root.IsMap()) return config;

  config.project_name = optional_string(section(root, "project"), "project", "name");
  read_graphs(root, config);
  config.server_graph = optional_string(section(root, "server"), "server", "graph");
  config.auth_env_file = optional_string(section(root, "auth"), "auth", "env_file");
  read_cli(root, config);
  YAML::Node query = section(root, "query");
  if (query && query.IsMap()) {
    YAML::Node roots = yaml::get(query, "roots");
    if (roots && !roots.IsNull()) config.query_roots = yaml::as_string_list(roots, "query.roots");
  }
  read_aliases(root, config);
  config.policy_file = optional_string(section(root, "policy"), "policy", "file");

  if (auto env_file = config.resolved_auth_env_file()) load_env_file_into_process(*env_file);
  return config;
}

}  // namespace omnigraph::cli
