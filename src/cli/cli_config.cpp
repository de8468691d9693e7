#include "cli/cli_config.h"

#include <system_error>

#include "common/error.h"
#include "policy/yaml_reader.h"

namespace omnigraph::cli {
namespace {

namespace fs = std::filesystem;
namespace yaml = omnigraph::policy::yaml;

constexpr const char* kDefaultConfigFile = "omnigraph.yaml";

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

}  // namespace

std::optional<fs::path> CliConfig::resolved_policy_file() const {
  if (!policy_file) return std::nullopt;
  fs::path file = *policy_file;
  return (file.is_absolute() ? file : base_dir / file).lexically_normal();
}

fs::path CliConfig::resolve_query_path(const fs::path& query) const {
  if (query.is_absolute()) return query;
  fs::path direct = base_dir / query;
  std::error_code ec;
  if (fs::exists(direct, ec)) return direct;
  throw_bad_request("query file '" + query.string() + "' not found");
}

CliConfig load_cli_config(const std::string& config_flag) {
  const fs::path cwd = fs::current_path();
  CliConfig config;
  config.base_dir = cwd;
  if (!config_flag.empty()) {
    config.path = config_flag;
  } else {
    std::error_code ec;
    if (fs::exists(cwd / kDefaultConfigFile, ec)) config.path = cwd / kDefaultConfigFile;
  }
  if (config.path.empty()) return config;

  const fs::path absolute = config.path.is_absolute() ? config.path : cwd / config.path;
  config.base_dir = absolute.parent_path();

  YAML::Node root = yaml::parse_document(yaml::read_file(config.path, "config file"));
  yaml::expect_map(root, "");
  if (!root || !root.IsMap()) return config;

  YAML::Node cli = section(root, "cli");
  config.actor = optional_string(cli, "cli", "actor");
  config.branch = optional_string(cli, "cli", "branch");
  if (auto format = optional_string(cli, "cli", "output_format")) {
    config.output_format = parse_read_format(*format);
    if (!config.output_format) {
      yaml::fail(yaml::get(cli, "output_format"), "cli.output_format",
                 "unknown variant `" + *format + "`, expected one of " + read_format_choices());
    }
  }

  YAML::Node policy = section(root, "policy");
  config.policy_file = optional_string(policy, "policy", "file");
  return config;
}

}  // namespace omnigraph::cli
