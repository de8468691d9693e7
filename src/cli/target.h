// Which graph a command talks to, and as whom. Every graph command takes
// the graph as a positional <URI> or `--uri` (a directory, or a server URL
// `http://host:port[/graphs/<id>]`), or `--target <name>` naming an entry of
// omnigraph.yaml's `graphs:`, else the config's `cli.graph`. Remote targets
// carry the bearer token resolved in the reference's order. Command files
// (graph, version, schema, diff, optimize ...) share these helpers.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "cli/cli_config.h"

namespace omnigraph::cli {

// The flags that pick a graph and a config; filled by add_target_options.
struct TargetArgs {
  std::string uri;         // --uri
  std::string positional;  // <URI>
  std::string target;      // --target
  std::string config;      // --config
  std::string as_actor;    // --as (write commands)
  CLI::Option* as_option = nullptr;

  // The explicit URI: --uri, else the positional one; nullopt when neither.
  std::optional<std::string> explicit_uri() const;
  std::optional<std::string> target_name() const;
};

struct TargetOptionStyle {
  bool positional_uri = true;  // accept <URI> as a positional
  bool writes = false;         // add --as
};

void add_target_options(CLI::App* command, TargetArgs& args, TargetOptionStyle style = {});

struct ResolvedTarget {
  std::string uri;
  bool remote = false;
  std::optional<std::string> bearer_token;  // remote targets only
};

// Resolves the URI (config.resolve_target_uri) and, for http(s) URIs, the
// bearer token: graphs.<target>.bearer_token_env, then
// OMNIGRAPH_BEARER_TOKEN, each looked up in the environment and then in
// auth.env_file. `--target` may also be a URL (as in the reference's
// guide) when no graph has that name.
ResolvedTarget resolve_target(const CliConfig& config, const std::optional<std::string>& uri,
                              const std::optional<std::string>& target);
ResolvedTarget resolve_target(const CliConfig& config, const TargetArgs& args);

// The bearer token alone (see resolve_target).
std::optional<std::string> resolve_bearer_token(const CliConfig& config,
                                                const std::optional<std::string>& uri,
                                                const std::optional<std::string>& target);

// The actor for local writes: the subcommand's --as, then the global
// `omnigraph --as A ...`, then cli.actor. Remote writes ignore it (the
// server takes the actor from the token).
std::optional<std::string> resolve_actor(const TargetArgs& args, const CliConfig& config);

// Registers the global --as on the root app (main.cpp) and remembers it for
// resolve_actor.
void register_global_options(CLI::App& app);

// A branch flag's value, else the alias's, else cli.branch, else main.
std::string resolve_branch(const std::string& flag, const CliConfig& config,
                           const std::optional<std::string>& alias_branch = std::nullopt);

// For commands the engine runs only on local graphs: Error(kBadRequest)
// "<operation> is only supported against local graph URIs".
void require_local(const ResolvedTarget& target, const std::string& operation);

}  // namespace omnigraph::cli
