// GET /schema and POST /schema/apply; both act on main, as in the contract
// (a local graph directory also evolves other branches' schemas).
#include "server/routes/routes.h"
#include "server/routes/wire_response.h"

namespace omnigraph::server::routes {

http::Response schema_get(RequestContext& ctx) {
  ctx.authorize(policy::Operation::kSchemaGet);
  const std::string source = ctx.engine().schema_source();
  return wire_response([&](auto& w) { engine::write_schema_source_output(w, source); });
}

http::Response schema_apply(RequestContext& ctx) {
  const auto& body = ctx.json();
  SchemaApplyRequest request;
  request.schema_source = body.required_string("schema_source");
  request.allow_data_loss = body.optional_bool("allow_data_loss", false);
  request.branch = kMainBranch;
  request.actor = ctx.actor();
  ctx.authorize(policy::Operation::kSchemaApply);
  auto permit = ctx.admit(request.schema_source.size());
  SchemaApplyResult result = ctx.engine().schema_apply(request);
  // `branch` and `graph_commit_id` are additions; the CLI prints the same
  // document for a local graph.
  return wire_response([&](auto& w) {
    engine::write_schema_apply_output(w, ctx.graph->uri, request.branch, result);
  });
}

}  // namespace omnigraph::server::routes
