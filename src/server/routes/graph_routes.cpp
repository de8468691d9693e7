// GET /graphs and POST /graphs: multi-graph management.
#include <spdlog/spdlog.h>

#include <filesystem>
#include <system_error>

#include "common/error.h"
#include "server/config/graph_id.h"
#include "server/http/error_output.h"
#include "server/http/json_writer.h"
#include "server/routes/routes.h"

namespace omnigraph::server::routes {

namespace fs = std::filesystem;

namespace {

bool blank(const std::string& s) {
  return s.find_first_not_of(" \t\r\n\f\v") == std::string::npos;
}

// Relative paths resolve against the config's directory, the same base the
// rewritten omnigraph.yaml is resolved against at restart.
std::string resolve_path(const AppState& app, const std::string& value) {
  if (value.find("://") != std::string::npos || fs::path(value).is_absolute()) return value;
  return (app.base_dir / value).lexically_normal().string();
}

// Removes storage this request created, so a failed create leaves nothing.
void remove_created(const std::string& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
  if (ec)
    spdlog::error("could not remove storage of failed graph create at {}: {}", path, ec.message());
}

}  // namespace

http::Response graph_list(RequestContext& ctx) {
  if (!ctx.app.multi) {
    return http::error_response(405, ErrorCode::kBadRequest,
                                "GET /graphs is only available in multi-graph mode");
  }
  ctx.authorize(policy::Operation::kGraphList);
  http::JsonWriter json;
  json.begin_object().key("graphs").begin_array();
  for (const auto& entry : ctx.app.registry.list()) {
    json.begin_object().field("graph_id", entry->graph_id).field("uri", entry->uri).end_object();
  }
  json.end_array().end_object();
  return http::json_response(200, json.str());
}

http::Response graph_create(RequestContext& ctx) {
  if (!ctx.app.multi) {
    return http::error_response(405, ErrorCode::kBadRequest,
                                "POST /graphs is only available in multi-graph mode");
  }
  ctx.authorize(policy::Operation::kGraphCreate);
  const auto& body = ctx.json();
  std::string graph_id = body.required_string("graph_id");
  std::string uri = body.required_string("uri");
  const rapidjson::Value* schema = body.required_object("schema");
  std::string source = *http::JsonBody::string_member(*schema, "source", "schema", true);
  std::optional<std::string> policy_file;
  if (const rapidjson::Value* policy = body.optional_object("policy")) {
    policy_file = http::JsonBody::string_member(*policy, "file", "policy", false);
    if (policy_file && blank(*policy_file)) policy_file.reset();
  }

  config::validate_graph_id(graph_id);
  if (blank(source)) throw_bad_request("schema.source must not be empty");
  if (blank(uri)) throw_bad_request("uri must not be empty");

  auto entry = std::make_shared<GraphEntry>();
  entry->graph_id = graph_id;
  entry->uri = resolve_path(ctx.app, uri);
  if (policy_file) {
    try {
      entry->policy = std::make_shared<const policy::Policy>(
          policy::Policy::load(resolve_path(ctx.app, *policy_file)));
    } catch (const std::exception& e) {
      throw_bad_request("policy.file: " + std::string(e.what()));
    }
  }

  if (ctx.app.config_writer == nullptr)
    throw_internal("multi-graph server has no omnigraph.yaml to register graphs in");
  ctx.app.registry.reserve(graph_id, entry->uri);
  bool is_local = entry->uri.find("://") == std::string::npos;
  bool existed = is_local && fs::exists(entry->uri);
  try {
    try {
      entry->graph = Graph::init(entry->uri, source, ctx.actor());
    } catch (const Error& e) {
      throw Error(e.code(), "init: " + std::string(e.what()));
    }
    if (entry->policy) entry->graph->set_policy(entry->policy);
    ctx.app.config_writer->add_graph(graph_id, uri, policy_file);
    ctx.app.registry.insert(entry);
  } catch (...) {
    ctx.app.registry.release(graph_id, entry->uri);
    entry->graph.reset();
    // Whatever this request created (even a half-initialised directory) goes.
    if (is_local && !existed && fs::exists(entry->uri)) remove_created(entry->uri);
    throw;
  }
  if (entry->policy) ctx.app.authorizer->note_graph_policy();
  spdlog::info("created graph '{}' at {}", graph_id, entry->uri);

  http::JsonWriter json;
  json.begin_object().field("graph_id", graph_id).field("uri", uri).end_object();
  return http::json_response(201, json.str());
}

}  // namespace omnigraph::server::routes
