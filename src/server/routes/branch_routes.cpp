// Branch list, create, delete and merge.
#include "server/http/json_writer.h"
#include "server/routes/routes.h"

namespace omnigraph::server::routes {

http::Response branch_list(RequestContext& ctx) {
  ctx.authorize(policy::Operation::kBranchList);
  http::JsonWriter json;
  json.begin_object().key("branches").string_array(ctx.engine().branch_list()).end_object();
  return http::json_response(200, json.str());
}

http::Response branch_create(RequestContext& ctx) {
  const auto& body = ctx.json();
  std::string name = body.required_string("name");
  std::string from = body.optional_string("from").value_or(kMainBranch);
  ctx.authorize(policy::Operation::kBranchCreate, from, name);
  auto permit = ctx.admit(kBranchOpEstimateBytes);
  ctx.engine().branch_create(name, GraphTarget::at_branch(from), ctx.actor());
  http::JsonWriter json;
  json.begin_object()
      .field("uri", ctx.graph->uri)
      .field("from", from)
      .field("name", name)
      .field("actor_id", ctx.actor())
      .end_object();
  return http::json_response(200, json.str());
}

http::Response branch_delete(RequestContext& ctx) {
  const std::string& name = ctx.params.at("branch");
  ctx.authorize(policy::Operation::kBranchDelete, std::nullopt, name);
  auto permit = ctx.admit(kBranchOpEstimateBytes);
  ctx.engine().branch_delete(name, ctx.actor());
  http::JsonWriter json;
  json.begin_object()
      .field("uri", ctx.graph->uri)
      .field("name", name)
      .field("actor_id", ctx.actor())
      .end_object();
  return http::json_response(200, json.str());
}

http::Response branch_merge(RequestContext& ctx) {
  const auto& body = ctx.json();
  std::string source = body.required_string("source");
  std::string target = body.optional_string("target").value_or(kMainBranch);
  ctx.authorize(policy::Operation::kBranchMerge, source, target);
  auto permit = ctx.admit(kBranchOpEstimateBytes);
  MergeResult result = ctx.engine().branch_merge(source, target, ctx.actor());
  http::JsonWriter json;
  json.begin_object()
      .field("source", result.source)
      .field("target", result.target)
      .field("outcome", merge_outcome_name(result.outcome))
      .field("actor_id", ctx.actor())
      .end_object();
  return http::json_response(200, json.str());
}

}  // namespace omnigraph::server::routes
