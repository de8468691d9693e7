// Snapshot, read, change, export and ingest: the per-graph data routes.
#include <algorithm>
#include <streambuf>

#include <rapidjson/rapidjson.h>
#include "common/error.h"

#include "engine/loader.h"
#include "server/routes/routes.h"
#include "server/routes/wire_response.h"

namespace omnigraph::server::routes {

namespace {

// An istream over the request body without copying it (ingest bodies reach 32 MiB).
class ViewBuf : public std::streambuf {
 public:
  explicit ViewBuf(std::string& text) { setg(text.data(), text.data(), text.data() + text.size()); }
};

}  // namespace

http::Response snapshot(RequestContext& ctx) {
  std::string branch = ctx.query_param("branch").value_or(kMainBranch);
  ctx.authorize(policy::Operation::kSnapshot, branch);
  SnapshotInfo info = ctx.engine().snapshot(branch);
  return wire_response([&](auto& w) { engine::write_snapshot_output(w, info); });
}

http::Response read(RequestContext& ctx) {
  const auto& body = ctx.json();
  ReadRequest request;
  request.query_source = body.required_string("query_source");
  request.query_name = body.optional_string("query_name").value_or("");
  request.params_json = body.params_json("params");
  auto branch = body.optional_string("branch");
  auto snapshot_id = body.optional_string("snapshot");
  if (branch && snapshot_id)
    throw_bad_request("read request may specify branch or snapshot, not both");

  // The policy sees the branch a snapshot belongs to (main when it has none).
  std::optional<std::string> policy_branch;
  if (snapshot_id) {
    if (ctx.graph->policy && ctx.actor()) {
      policy_branch = ctx.engine().commit_show(*snapshot_id).manifest_branch.value_or(kMainBranch);
    }
  } else {
    policy_branch = branch.value_or(kMainBranch);
  }
  ctx.authorize(policy::Operation::kRead, policy_branch);

  request.branch = branch.value_or(kMainBranch);
  request.snapshot = snapshot_id;
  request.actor = ctx.actor();
  ReadResult result = ctx.engine().read(request);

  return wire_response([&](auto& w) { engine::write_read_output(w, result); });
}

http::Response change(RequestContext& ctx) {
  const auto& body = ctx.json();
  ChangeRequest request;
  request.query_source = body.required_string("query_source");
  request.query_name = body.optional_string("query_name").value_or("");
  request.params_json = body.params_json("params");
  request.branch = body.optional_string("branch").value_or(kMainBranch);
  request.actor = ctx.actor();
  ctx.authorize(policy::Operation::kChange, request.branch);
  auto permit = ctx.admit(change_estimate(request.query_source, request.params_json));
  ChangeResult result = ctx.engine().change(request);
  return wire_response([&](auto& w) { engine::write_change_output(w, result, ctx.actor()); });
}

http::Response export_ndjson(RequestContext& ctx) {
  const auto& body = ctx.json();
  std::string branch = body.optional_string("branch").value_or(kMainBranch);
  engine::ExportFilter filter;
  filter.types = body.string_array("type_names");
  filter.table_keys = body.string_array("table_keys");
  ctx.authorize(policy::Operation::kExport, branch);
  http::Response response;
  response.content_type = "application/x-ndjson; charset=utf-8";
  // The producer runs on a worker and holds the graph entry alive.
  response.stream = [entry = ctx.graph, branch, filter](std::ostream& out) {
    entry->graph->export_jsonl(out, branch, filter);
  };
  return response;
}

http::Response ingest(RequestContext& ctx) {
  const auto& body = ctx.json();
  std::string data = body.required_string("data");
  std::string branch = body.optional_string("branch").value_or(kMainBranch);
  std::string from = body.optional_string("from").value_or(kMainBranch);
  engine::LoadMode mode = engine::parse_load_mode(body.optional_string("mode").value_or("merge"));

  std::vector<std::string> branches = ctx.engine().branch_list();
  bool exists = std::find(branches.begin(), branches.end(), branch) != branches.end();
  if (!exists) ctx.authorize(policy::Operation::kBranchCreate, from, branch);
  ctx.authorize(policy::Operation::kChange, branch);
  auto permit = ctx.admit(data.size());

  if (!exists) ctx.engine().branch_create(branch, GraphTarget::at_branch(from), ctx.actor());
  ViewBuf view(data);
  std::istream input(&view);
  LoadRequest request;
  request.mode = mode;
  request.branch = branch;
  request.actor = ctx.actor();
  LoadResult result = ctx.engine().load(input, request);

  engine::IngestOutput output{.uri = ctx.graph->uri,
                              .branch = branch,
                              .base_branch = from,
                              .branch_created = !exists,
                              .result = &result,
                              .actor = ctx.actor()};
  return wire_response([&](auto& w) { engine::write_ingest_output(w, output); });
}

}  // namespace omnigraph::server::routes
