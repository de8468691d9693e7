// Commit list and commit show.
#include "server/http/json_writer.h"
#include "server/routes/routes.h"

namespace omnigraph::server::routes {

namespace {

void write_commit(http::JsonWriter& json, const CommitInfo& commit) {
  json.begin_object()
      .field("graph_commit_id", commit.graph_commit_id)
      .field("manifest_branch", commit.manifest_branch)
      .field("manifest_version", commit.manifest_version)
      .field("parent_commit_id", commit.parent_commit_id)
      .field("merged_parent_commit_id", commit.merged_parent_commit_id)
      .field("actor_id", commit.actor_id)
      .field("created_at", commit.created_at)
      .end_object();
}

}  // namespace

http::Response commit_list(RequestContext& ctx) {
  auto branch = ctx.query_param("branch");
  ctx.authorize(policy::Operation::kCommitList, branch);
  std::vector<CommitInfo> commits = ctx.engine().commit_list(branch.value_or(kMainBranch));
  http::JsonWriter json;
  json.begin_object().key("commits").begin_array();
  for (const auto& commit : commits) write_commit(json, commit);
  json.end_array().end_object();
  return http::json_response(200, json.str());
}

http::Response commit_show(RequestContext& ctx) {
  ctx.authorize(policy::Operation::kCommitShow);
  CommitInfo commit = ctx.engine().commit_show(ctx.params.at("commit_id"));
  http::JsonWriter json;
  write_commit(json, commit);
  return http::json_response(200, json.str());
}

}  // namespace omnigraph::server::routes
