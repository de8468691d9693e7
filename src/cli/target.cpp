#include "cli/target.h"

#include <cstdlib>
#include <vector>

#include "cli/env_file.h"
#include "cli/http_client.h"
#include "cli/progress.h"
#include "common/error.h"
#include "omnigraph/graph.h"

namespace omnigraph::cli {
namespace {

CLI::Option* g_global_as = nullptr;
std::string g_global_as_value;

std::optional<std::string> non_empty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

}  // namespace

std::optional<std::string> TargetArgs::explicit_uri() const {
  if (!uri.empty()) return uri;
  return non_empty(positional);
}

std::optional<std::string> TargetArgs::target_name() const {
  return non_empty(target);
}

void add_target_options(CLI::App* command, TargetArgs& args, TargetOptionStyle style) {
  if (style.positional_uri) {
    command->add_option("uri", args.positional, "Graph directory or server URL (same as --uri)");
  }
  command->add_option("--uri", args.uri,
                      "Graph directory or server URL, e.g. http://127.0.0.1:8080[/graphs/<id>]");
  command->add_option("--target", args.target, "A graph named under `graphs:` in omnigraph.yaml");
  command->add_option("--config", args.config,
                      "Path to omnigraph.yaml (default: ./omnigraph.yaml)");
  if (style.writes) {
    args.as_option =
        command->add_option("--as", args.as_actor, "Actor for local writes (overrides cli.actor)");
  }
}

std::optional<std::string> resolve_bearer_token(const CliConfig& config,
                                                const std::optional<std::string>& uri,
                                                const std::optional<std::string>& target) {
  std::vector<std::string> names;
  if (auto scoped = config.graph_bearer_token_env(uri, target)) names.push_back(*scoped);
  if (names.empty() || names.front() != kDefaultBearerTokenEnv) {
    names.emplace_back(kDefaultBearerTokenEnv);
  }
  const auto env_file = config.resolved_auth_env_file();
  for (const std::string& name : names) {
    const char* value = std::getenv(name.c_str());
    if (auto token = normalize_token(value ? std::optional<std::string>(value) : std::nullopt)) {
      return token;
    }
    if (env_file) {
      if (auto token = env_file_value(*env_file, name)) return token;
    }
  }
  return std::nullopt;
}

ResolvedTarget resolve_target(const CliConfig& config, const std::optional<std::string>& uri,
                              const std::optional<std::string>& target) {
  std::optional<std::string> explicit_uri = uri;
  std::optional<std::string> target_name = target;
  if (!explicit_uri && target_name && target_name->find("://") != std::string::npos &&
      config.graphs.count(*target_name) == 0) {
    explicit_uri = target_name;
    target_name.reset();
  }
  ResolvedTarget resolved;
  resolved.uri = config.resolve_target_uri(explicit_uri, target_name);
  resolved.remote = is_remote_uri(resolved.uri);
  if (resolved.remote)
    resolved.bearer_token = resolve_bearer_token(config, explicit_uri, target_name);
  return resolved;
}

ResolvedTarget resolve_target(const CliConfig& config, const TargetArgs& args) {
  return resolve_target(config, args.explicit_uri(), args.target_name());
}

std::optional<std::string> resolve_actor(const TargetArgs& args, const CliConfig& config) {
  if (args.as_option != nullptr && args.as_option->count() > 0) return args.as_actor;
  if (g_global_as != nullptr && g_global_as->count() > 0) return g_global_as_value;
  return config.actor;
}

void register_global_options(CLI::App& app) {
  g_global_as = app.add_option("--as", g_global_as_value,
                               "Actor for local writes (overrides cli.actor in omnigraph.yaml)");
  app.add_flag_callback(
      "-q,--quiet", [] { ProgressBar::set_quiet(true); }, "No progress bars, even on a terminal");
}

std::string resolve_branch(const std::string& flag, const CliConfig& config,
                           const std::optional<std::string>& alias_branch) {
  if (!flag.empty()) return flag;
  if (alias_branch) return *alias_branch;
  return config.branch.value_or(kMainBranch);
}

void require_local(const ResolvedTarget& target, const std::string& operation) {
  if (target.remote) {
    throw_bad_request(operation + " is only supported against local graph URIs");
  }
}

}  // namespace omnigraph::cli
