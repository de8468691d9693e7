// Branch list, create, delete and merge.
#include "server/routes/routes.h"
#include "server/routes/wire_response.h"

namespace omnigraph::server::routes {

http::Response branch_list(RequestContext& ctx) {
  ctx.authorize(policy::Operation::kBranchList);
  const std::vector<std::string> branches = ctx.engine().branch_list();
  return wire_response([&](auto& w) { engine::write_branch_list_output(w, branches); });
}

http::Response branch_create(RequestContext& ctx) {
  const auto& body = ctx.json();
  std::string name = body.required_string("name");
  std::string from = body.optional_string("from").value_or(kMainBranch);
  ctx.authorize(policy::Operation::kBranchCreate, from, name);
  auto permit = ctx.admit(kBranchOpEstimateBytes);
  ctx.engine().branch_create(name, GraphTarget::at_branch(from), ctx.actor());
  return wire_response([&](auto& w) {
    engine::write_branch_create_output(w, ctx.graph->uri, from, name, ctx.actor());
  });
}

http::Response branch_delete(RequestContext& ctx) {
  const std::string& name = ctx.params.at("branch");
  ctx.authorize(policy::Operation::kBranchDelete, std::nullopt, name);
  auto permit = ctx.admit(kBranchOpEstimateBytes);
  ctx.engine().branch_delete(name, ctx.actor());
  return wire_response(
      [&](auto& w) { engine::write_branch_delete_output(w, ctx.graph->uri, name, ctx.actor()); });
}

http::Response branch_merge(RequestContext& ctx) {
  const auto& body = ctx.json();
  std::string source = body.required_string("source");
  std::string target = body.optional_string("target").value_or(kMainBranch);
  ctx.authorize(policy::Operation::kBranchMerge, source, target);
  auto permit = ctx.admit(kBranchOpEstimateBytes);
  MergeResult result = ctx.engine().branch_merge(source, target, ctx.actor());
  return wire_response([&](auto& w) { engine::write_merge_output(w, result, ctx.actor()); });
}

}  // namespace omnigraph::server::routes
