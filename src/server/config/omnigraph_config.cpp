#include "server/config/omnigraph_config.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "policy/yaml_reader.h"

namespace omnigraph::server::config {
namespace yaml = policy::yaml;
namespace {

// `<section>.file` of a `{file: <path>}` block, which may be absent or null.
std::optional<std::string> file_of(const YAML::Node& block, const std::string& path) {
  yaml::expect_map(block, path);
  return yaml::as_optional_string(yaml::get(block, "file"), yaml::child_path(path, "file"));
}

YAML::Node section(const YAML::Node& root, std::string_view key) {
  YAML::Node node = yaml::get(root, key);
  yaml::expect_map(node, key);
  return node;
}

}  // namespace

std::string OmnigraphConfig::resolve(std::string_view value) const {
  if (value.find("://") != std::string_view::npos) return std::string(value);
  std::filesystem::path path(value);
  if (path.is_absolute()) return std::string(value);
  return (base_dir / path).lexically_normal().string();
}

OmnigraphConfig parse_omnigraph_config(std::string_view yaml_text,
                                       const std::filesystem::path& base_dir) {
  OmnigraphConfig config;
  config.base_dir = base_dir;
  YAML::Node root = yaml::parse_document(yaml_text);
  yaml::expect_map(root, "");
  yaml::check_no_duplicate_keys(root, "");

  YAML::Node project = section(root, "project");
  config.project_name = yaml::as_optional_string(yaml::get(project, "name"), "project.name");

  YAML::Node graphs = section(root, "graphs");
  yaml::check_no_duplicate_keys(graphs, "graphs");
  if (graphs.IsMap()) {
    for (const auto& entry : graphs) {
      std::string id = entry.first.Scalar();
      std::string path = yaml::child_path("graphs", id);
      const YAML::Node& body = entry.second;
      if (!body.IsMap()) yaml::fail(body, path, "invalid type, expected a mapping with `uri`");
      GraphTarget target;
      target.uri = yaml::as_string(yaml::require(body, path, "uri"), yaml::child_path(path, "uri"));
      target.bearer_token_env = yaml::as_optional_string(
          yaml::get(body, "bearer_token_env"), yaml::child_path(path, "bearer_token_env"));
      target.policy_file = file_of(yaml::get(body, "policy"), yaml::child_path(path, "policy"));
      config.graphs.emplace(std::move(id), std::move(target));
    }
  }

  YAML::Node server = section(root, "server");
  config.server_graph = yaml::as_optional_string(yaml::get(server, "graph"), "server.graph");
  config.server_bind = yaml::as_optional_string(yaml::get(server, "bind"), "server.bind");
  config.server_policy_file = file_of(yaml::get(server, "policy"), "server.policy");

  config.policy_file = file_of(yaml::get(root, "policy"), "policy");
  YAML::Node auth = section(root, "auth");
  config.auth_env_file = yaml::as_optional_string(yaml::get(auth, "env_file"), "auth.env_file");
  return config;
}

OmnigraphConfig load_omnigraph_config(const std::optional<std::filesystem::path>& config_flag,
                                      const std::filesystem::path& cwd) {
  std::filesystem::path path;
  if (config_flag) {
    path = config_flag->is_absolute() ? *config_flag : cwd / *config_flag;
  } else {
    std::filesystem::path implicit = cwd / kDefaultConfigFile;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(implicit, ec)) {
      OmnigraphConfig empty;
      empty.base_dir = cwd;
      return empty;
    }
    path = implicit;
  }
  path = path.lexically_normal();

  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw_bad_request(
        fmt::format("failed to read config {}: {}", path.string(), std::strerror(errno)));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string bytes = buffer.str();

  OmnigraphConfig config = parse_omnigraph_config(bytes, path.parent_path());
  config.path = path;
  config.explicit_path = config_flag.has_value();
  config.file_hash = Hash::of(bytes);
  return config;
}

}  // namespace omnigraph::server::config
