#include "server/routes/api_dispatcher.h"

#include <spdlog/spdlog.h>

#include "common/error.h"
#include "server/config/graph_config_writer.h"
#include "server/config/graph_id.h"
#include "server/http/error_output.h"
#include "server/routes/routes.h"

namespace omnigraph::server {

using http::RouteId;
using http::RouteMatch;

std::size_t ApiDispatcher::body_limit(std::string_view method, std::string_view path) const {
  RouteMatch match = router_.match(method, path);
  return match.route ? match.route->body_limit : http::kDefaultBodyLimit;
}

http::Response ApiDispatcher::route(http::IncomingRequest& request, const RouteMatch& match,
                                    auth::Identity& identity) {
  const http::RouteSpec& spec = *match.route;
  RequestContext ctx{app_, request, spec, match.params, {}, {}, nullptr, std::nullopt};

  if (spec.scope != http::RouteScope::kGlobal) {
    identity = app_.authorizer->authenticate(request.header("authorization"));
    ctx.identity = identity;
  }
  ctx.query = http::parse_query(request.query);

  if (spec.scope == http::RouteScope::kGraph) {
    if (app_.multi) {
      const std::string& id = *match.graph_id;
      if (auto problem = config::graph_id_error(id)) throw_bad_request(*problem);
      ctx.graph = app_.registry.find(id);
      if (!ctx.graph) throw_not_found("graph '" + id + "' not found");
    } else {
      ctx.graph = app_.registry.find(kSingleGraphKey);
      if (!ctx.graph) throw_internal("no graph is being served");
    }
  }

  if (!spec.request_schema.empty()) {
    auto content_type = request.header("content-type");
    if (!content_type || !http::is_json_content_type(*content_type)) {
      return http::error_response(415, ErrorCode::kBadRequest,
                                  "expected request with `Content-Type: application/json`");
    }
    ctx.body = http::JsonBody::parse(request.body);
  }

  switch (spec.id) {
    case RouteId::kHealth: return routes::health(ctx);
    case RouteId::kOpenApi: return routes::openapi(ctx);
    case RouteId::kSnapshot: return routes::snapshot(ctx);
    case RouteId::kRead: return routes::read(ctx);
    case RouteId::kExport: return routes::export_ndjson(ctx);
    case RouteId::kChange: return routes::change(ctx);
    case RouteId::kSchemaGet: return routes::schema_get(ctx);
    case RouteId::kSchemaApply: return routes::schema_apply(ctx);
    case RouteId::kIngest: return routes::ingest(ctx);
    case RouteId::kBranchList: return routes::branch_list(ctx);
    case RouteId::kBranchCreate: return routes::branch_create(ctx);
    case RouteId::kBranchDelete: return routes::branch_delete(ctx);
    case RouteId::kBranchMerge: return routes::branch_merge(ctx);
    case RouteId::kCommitList: return routes::commit_list(ctx);
    case RouteId::kCommitShow: return routes::commit_show(ctx);
    case RouteId::kGraphList: return routes::graph_list(ctx);
    case RouteId::kGraphCreate: return routes::graph_create(ctx);
  }
  throw_internal("unhandled route");
}

std::optional<http::Response> ApiDispatcher::handle_inline(
    http::IncomingRequest& request) noexcept {
  try {
    RouteMatch match = router_.match(request.method, request.path);
    bool cheap =
        match.kind != RouteMatch::Kind::kFound || match.route->scope == http::RouteScope::kGlobal;
    if (!cheap) {
      // A token check is a few SHA-256 digests; a failure ends the request here.
      try {
        app_.authorizer->authenticate(request.header("authorization"));
        return std::nullopt;
      } catch (const Error& e) {
        if (e.code() != ErrorCode::kUnauthorized) return std::nullopt;
      }
    }
  } catch (...) {
    return std::nullopt;  // let the full pipeline report it
  }
  return handle(request);
}

http::Response ApiDispatcher::handle(http::IncomingRequest& request) noexcept {
  auth::Identity identity;
  http::Response response;
  try {
    RouteMatch match = router_.match(request.method, request.path);
    if (match.kind == RouteMatch::Kind::kNotFound) {
      response = http::error_response(404, ErrorCode::kNotFound,
                                      "no route for " + request.method + " " + request.path);
    } else if (match.kind == RouteMatch::Kind::kMethodNotAllowed) {
      response = http::error_response(405, ErrorCode::kBadRequest,
                                      "method " + request.method + " is not allowed on " +
                                          request.path + " (allowed: " + match.allow + ")");
      response.headers.emplace_back("Allow", match.allow);
    } else {
      response = route(request, match, identity);
    }
  } catch (const config::ConfigDriftError& e) {
    response = http::error_response(503, ErrorCode::kConflict, e.what());
  } catch (const Error& e) {
    response = http::error_response(e);
  } catch (const std::exception& e) {
    spdlog::error("internal error request_id={}: {}", request.request_id, e.what());
    response = http::error_response(Error(ErrorCode::kInternal, e.what()));
  } catch (...) {
    response = http::error_response(Error(ErrorCode::kInternal, "unknown failure"));
  }
  if (identity.actor) response.actor = *identity.actor;
  return response;
}

}  // namespace omnigraph::server
