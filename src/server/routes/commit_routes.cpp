// Commit list and commit show.
#include "server/routes/routes.h"
#include "server/routes/wire_response.h"

namespace omnigraph::server::routes {

http::Response commit_list(RequestContext& ctx) {
  auto branch = ctx.query_param("branch");
  ctx.authorize(policy::Operation::kCommitList, branch);
  std::vector<CommitInfo> commits = ctx.engine().commit_list(branch.value_or(kMainBranch));
  return wire_response([&](auto& w) { engine::write_commit_list_output(w, commits); });
}

http::Response commit_show(RequestContext& ctx) {
  ctx.authorize(policy::Operation::kCommitShow);
  CommitInfo commit = ctx.engine().commit_show(ctx.params.at("commit_id"));
  return wire_response([&](auto& w) { engine::write_commit_output(w, commit); });
}

}  // namespace omnigraph::server::routes
