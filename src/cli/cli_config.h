// The slice of omnigraph.yaml the local graph commands use: `cli.actor`,
// `cli.branch`, `cli.output_format` and `policy.file`. Found at `--config`
// or, when that is absent, ./omnigraph.yaml if it exists (the parent
// directories are not searched, like the reference). Unknown keys are
// ignored so a full reference config loads; targets, aliases and remote
// servers are read by later additions to this file.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "cli/read_format.h"

namespace omnigraph::cli {

struct CliConfig {
  // The file read; empty when there is none.
  std::filesystem::path path;
  // Relative paths in the file (and --query) resolve against this: the
  // file's directory, or the working directory without a file.
  std::filesystem::path base_dir;

  std::optional<std::string> actor;         // cli.actor
  std::optional<std::string> branch;        // cli.branch
  std::optional<ReadFormat> output_format;  // cli.output_format
  std::optional<std::string> policy_file;   // policy.file as written

  // policy.file resolved against base_dir; nullopt when not configured.
  std::optional<std::filesystem::path> resolved_policy_file() const;

  // A query file path: absolute paths as they are, relative ones against
  // base_dir. Error(kBadRequest) "query file '<q>' not found" otherwise.
  std::filesystem::path resolve_query_path(const std::filesystem::path& query) const;
};

// `config_flag` is the --config value ("" when not given). A named file
// that cannot be read, or bad YAML, is Error(kBadRequest).
CliConfig load_cli_config(const std::string& config_flag);

}  // namespace omnigraph::cli
