// What the server serves, decided at startup from the command line and
// omnigraph.yaml (http-contract §6.1–§6.4): single or multi-graph mode, the
// graph URI(s), policy files, bind address and the unauthenticated opt-in.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "server/config/env.h"
#include "server/config/omnigraph_config.h"

namespace omnigraph::server::config {

// `omnigraph-server [URI] [--target <name>] [--config <path>] [--bind <addr>]
// [--unauthenticated]` as parsed by the binary.
struct ServerCliArgs {
  std::optional<std::string> uri = std::nullopt;
  std::optional<std::string> target = std::nullopt;
  std::optional<std::filesystem::path> config = std::nullopt;
  std::optional<std::string> bind = std::nullopt;
  bool unauthenticated = false;
};

enum class ServeMode { kSingle, kMulti };

struct GraphStartup {
  std::string graph_id;
  std::string uri;                                   // base_dir-resolved
  std::optional<std::filesystem::path> policy_file;  // base_dir-resolved
};

struct ServerSettings {
  ServeMode mode = ServeMode::kSingle;
  std::string bind;  // --bind > server.bind > 127.0.0.1:8080
  // --unauthenticated OR OMNIGRAPH_UNAUTHENTICATED truthy.
  bool allow_unauthenticated = false;

  // Single mode: the graph and the top-level policy.file (per-graph policy
  // blocks are ignored in single mode, even with --target).
  std::string uri;
  std::optional<std::filesystem::path> policy_file;

  // Multi mode: every `graphs:` entry, alphabetical; server.policy.file;
  // the config file POST /graphs rewrites.
  std::vector<GraphStartup> graphs;
  std::optional<std::filesystem::path> server_policy_file;

  // The config as loaded (its file_hash is the drift baseline).
  OmnigraphConfig config;

  // The `has_policy` input of the runtime-state matrix (§4.4): single mode:
  // policy.file; multi mode: server.policy.file or any graph policy.
  bool has_policy() const;
};

// Mode inference, first match wins (§6.3):
//   1. CLI URI -> single(URI verbatim);
//   2. --target -> single(graphs.<t>.uri); unknown ->
//      `graph '<t>' not found in omnigraph.yaml`;
//   3. server.graph -> single (same lookup and error);
//   4. explicit --config with a non-empty graphs map -> multi; each id
//      validated: `invalid graph id '<id>' in omnigraph.yaml: <reason>`;
//   5. else `no graph to serve: ...` with the migration hint.
// All errors are Error(kBadRequest).
ServerSettings resolve_server_settings(const ServerCliArgs& args, const OmnigraphConfig& config,
                                       const EnvLookup& env);

// Discovery plus inference: load_omnigraph_config(args.config, cwd) then
// resolve_server_settings.
ServerSettings load_server_settings(const ServerCliArgs& args, const EnvLookup& env,
                                    const std::filesystem::path& cwd);

}  // namespace omnigraph::server::config
