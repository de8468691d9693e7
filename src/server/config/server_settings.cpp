#include "server/config/server_settings.h"

#include <fmt/format.h>

#include "common/error.h"
#include "policy/runtime_state.h"
#include "server/config/graph_id.h"

namespace omnigraph::server::config {
namespace {

constexpr std::string_view kNoGraphMessage =
    "no graph to serve: pass a URI (`omnigraph-server <URI>`), select a target (`--target <name> "
    "--config omnigraph.yaml`), set `server.graph: <name>` in omnigraph.yaml, or for multi-graph "
    "mode add a `graphs:` map to the config file referenced by `--config`.";

std::string target_uri(const OmnigraphConfig& config, const std::string& name) {
  auto it = config.graphs.find(name);
  if (it == config.graphs.end()) {
    throw_bad_request(fmt::format("graph '{}' not found in {}", name, kDefaultConfigFile));
  }
  return config.resolve(it->second.uri);
}

std::optional<std::filesystem::path> resolved_file(const OmnigraphConfig& config,
                                                   const std::optional<std::string>& file) {
  if (!file) return std::nullopt;
  return std::filesystem::path(config.resolve(*file));
}

}  // namespace

bool ServerSettings::has_policy() const {
  if (mode == ServeMode::kSingle) return policy_file.has_value();
  if (server_policy_file) return true;
  for (const GraphStartup& graph : graphs) {
    if (graph.policy_file) return true;
  }
  return false;
}

ServerSettings resolve_server_settings(const ServerCliArgs& args, const OmnigraphConfig& config,
                                       const EnvLookup& env) {
  ServerSettings settings;
  settings.config = config;
  settings.bind = args.bind            ? *args.bind
                  : config.server_bind ? *config.server_bind
                                       : std::string(kDefaultBind);
  settings.allow_unauthenticated =
      args.unauthenticated || policy::unauthenticated_opt_in(env("OMNIGRAPH_UNAUTHENTICATED"));

  if (args.uri || args.target || config.server_graph) {
    settings.mode = ServeMode::kSingle;
    if (args.uri) {
      settings.uri = *args.uri;  // the positional URI is used verbatim
    } else {
      settings.uri = target_uri(config, args.target ? *args.target : *config.server_graph);
    }
    settings.policy_file = resolved_file(config, config.policy_file);
    return settings;
  }

  if (config.explicit_path && !config.graphs.empty()) {
    settings.mode = ServeMode::kMulti;
    for (const auto& [id, target] : config.graphs) {
      if (auto error = graph_id_error(id)) {
        throw_bad_request(fmt::format("invalid graph id '{}' in omnigraph.yaml: {}", id, *error));
      }
      settings.graphs.push_back(
          GraphStartup{id, config.resolve(target.uri), resolved_file(config, target.policy_file)});
    }
    settings.server_policy_file = resolved_file(config, config.server_policy_file);
    return settings;
  }

  throw_bad_request(std::string(kNoGraphMessage));
}

ServerSettings load_server_settings(const ServerCliArgs& args, const EnvLookup& env,
                                    const std::filesystem::path& cwd) {
  return resolve_server_settings(args, load_omnigraph_config(args.config, cwd), env);
}

}  // namespace omnigraph::server::config
