#include "server/http/json_writer.h"
#include "server/routes/routes.h"

namespace omnigraph::server::routes {

http::Response health(RequestContext& ctx) {
  http::JsonWriter json;
  json.begin_object().field("status", "ok").field("version", kServerVersion);
  if (ctx.app.source_version) json.field("source_version", *ctx.app.source_version);
  json.end_object();
  return http::json_response(200, json.str());
}

http::Response openapi(RequestContext& ctx) {
  return http::json_response(200,
                             openapi_document(ctx.app.multi, ctx.app.authorizer->requires_auth()));
}

}  // namespace omnigraph::server::routes
