// Route handlers, one group per file. Each returns the success response or
// throws omnigraph::Error; the dispatcher maps errors to ErrorOutput.
#pragma once

#include <string>

#include "server/routes/route_context.h"

namespace omnigraph::server::routes {

// meta_routes.cpp
http::Response health(RequestContext& ctx);
http::Response openapi(RequestContext& ctx);
// query_routes.cpp
http::Response snapshot(RequestContext& ctx);
http::Response read(RequestContext& ctx);
http::Response change(RequestContext& ctx);
http::Response export_ndjson(RequestContext& ctx);
http::Response ingest(RequestContext& ctx);
// schema_routes.cpp
http::Response schema_get(RequestContext& ctx);
http::Response schema_apply(RequestContext& ctx);
// branch_routes.cpp
http::Response branch_list(RequestContext& ctx);
http::Response branch_create(RequestContext& ctx);
http::Response branch_delete(RequestContext& ctx);
http::Response branch_merge(RequestContext& ctx);
// commit_routes.cpp
http::Response commit_list(RequestContext& ctx);
http::Response commit_show(RequestContext& ctx);
// graph_routes.cpp
http::Response graph_list(RequestContext& ctx);
http::Response graph_create(RequestContext& ctx);

// The OpenAPI 3.1 document for a mode (openapi.cpp), generated from the
// route table; `with_security` adds the bearer scheme to protected routes.
std::string openapi_document(bool multi, bool with_security);

}  // namespace omnigraph::server::routes
