// What every route handler gets: the server-wide state and one request,
// already authenticated, resolved to its graph and with its JSON body parsed.
// Handlers authorize (policy), then admit (admission control), then call the
// engine — the order the wire contract fixes.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "policy/scope.h"
#include "server/admission.h"
#include "server/auth/authorizer.h"
#include "server/config/graph_config_writer.h"
#include "server/graph_registry.h"
#include "server/http/http_server.h"
#include "server/http/json_body.h"
#include "server/http/response.h"
#include "server/http/route_table.h"

namespace omnigraph::server {

inline constexpr const char* kServerVersion = "0.7.0";
inline constexpr const char* kSingleGraphKey = "default";

struct AppState {
  bool multi = false;
  GraphRegistry registry;
  auth::Authorizer* authorizer = nullptr;
  AdmissionController* admission = nullptr;
  config::GraphConfigWriter* config_writer = nullptr;  // multi mode only
  std::filesystem::path base_dir;                      // resolves relative POST /graphs paths
  std::optional<std::string> source_version;           // OMNIGRAPH_SOURCE_VERSION at build time
};

struct RequestContext {
  AppState& app;
  const http::IncomingRequest& request;
  const http::RouteSpec& route;
  std::map<std::string, std::string> params;  // decoded path parameters
  std::map<std::string, std::string> query;   // decoded query parameters
  auth::Identity identity;
  std::shared_ptr<GraphEntry> graph;   // graph routes only
  std::optional<http::JsonBody> body;  // JSON-body routes only

  Graph& engine() const { return *graph->graph; }
  const std::optional<std::string>& actor() const { return identity.actor; }
  const http::JsonBody& json() const { return *body; }

  // Policy check for this request's graph (or the server policy for the
  // management operations): throws 401/403.
  void authorize(policy::Operation operation, std::optional<std::string_view> branch = std::nullopt,
                 std::optional<std::string_view> target_branch = std::nullopt) const {
    app.authorizer->authorize(identity, graph ? graph->policy.get() : nullptr, operation, branch,
                              target_branch);
  }
  // Admission for write routes; keep the permit until the work is done.
  AdmissionController::Permit admit(std::uint64_t estimated_bytes) const {
    return app.admission->admit(identity.admission_key(), estimated_bytes);
  }
  std::optional<std::string> query_param(const std::string& name) const {
    auto it = query.find(name);
    if (it == query.end()) return std::nullopt;
    return it->second;
  }
};

}  // namespace omnigraph::server
