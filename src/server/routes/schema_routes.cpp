// GET /schema and POST /schema/apply; both act on main, as in the contract
// (a local graph directory also evolves other branches' schemas).
#include "server/http/json_writer.h"
#include "server/routes/routes.h"

namespace omnigraph::server::routes {

http::Response schema_get(RequestContext& ctx) {
  ctx.authorize(policy::Operation::kSchemaGet);
  http::JsonWriter json;
  json.begin_object().field("schema_source", ctx.engine().schema_source()).end_object();
  return http::json_response(200, json.str());
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
  http::JsonWriter json;
  json.begin_object()
      .field("uri", ctx.graph->uri)
      .field("branch", request.branch)
      .field("supported", result.supported)
      .field("applied", result.applied)
      .field("step_count", static_cast<uint64_t>(result.steps.size()))
      .field("manifest_version", result.manifest_version)
      .field("graph_commit_id", result.commit_id);
  json.key("steps").raw(schema_steps_json(result.steps));
  json.end_object();
  return http::json_response(200, json.str());
}

}  // namespace omnigraph::server::routes
