// The parts of omnigraph.yaml the server reads (http-contract §6.7):
// `graphs` (uri, bearer_token_env, policy.file), `server` (graph, bind,
// policy.file), top-level `policy.file`, `project.name`, `auth.env_file`.
// Unknown keys and the CLI-only sections are ignored; every section is
// optional. Relative paths resolve against base_dir (the file's directory).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/hash.h"

namespace omnigraph::server::config {

inline constexpr std::string_view kDefaultConfigFile = "omnigraph.yaml";
inline constexpr std::string_view kDefaultBind = "127.0.0.1:8080";

struct GraphTarget {
  std::string uri;  // as written
  std::optional<std::string> bearer_token_env;
  std::optional<std::string> policy_file;  // graphs.<id>.policy.file as written
};

struct OmnigraphConfig {
  // The file read (absolute); empty when there is none.
  std::filesystem::path path;
  // True when the file was named by --config (mode rule 4 needs it).
  bool explicit_path = false;
  // Absolute directory of the file, or the working directory without one.
  std::filesystem::path base_dir;
  // SHA-256 of the file's bytes as read (zero hash without a file).
  Hash file_hash;

  std::optional<std::string> project_name;
  std::map<std::string, GraphTarget> graphs;  // alphabetical by id
  std::optional<std::string> server_graph;
  std::optional<std::string> server_bind;
  std::optional<std::string> server_policy_file;
  std::optional<std::string> policy_file;  // top-level policy.file
  std::optional<std::string> auth_env_file;

  // A path or URI from the file: values containing `://` and absolute
  // paths are kept verbatim, others are joined to base_dir.
  std::string resolve(std::string_view value) const;
};

// Parses YAML text. Shape errors are Error(kBadRequest) naming the field
// (e.g. `graphs.alpha: missing field `uri``). `base_dir` is stored as given.
OmnigraphConfig parse_omnigraph_config(std::string_view yaml_text,
                                       const std::filesystem::path& base_dir);

// Discovery (§6.2): `config_flag` if given (unreadable -> Error(kBadRequest)
// `failed to read config <path>: <reason>`), else `<cwd>/omnigraph.yaml` if it
// exists (no parent walk), else an empty config with base_dir = cwd.
OmnigraphConfig load_omnigraph_config(const std::optional<std::filesystem::path>& config_flag,
                                      const std::filesystem::path& cwd);

}  // namespace omnigraph::server::config
