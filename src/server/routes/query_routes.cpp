// Snapshot, read, change, export and ingest: the per-graph data routes.
#include <algorithm>
#include <streambuf>

#include <rapidjson/rapidjson.h>
#include "common/error.h"

#include "engine/loader.h"
#include "engine/result_json.h"
#include "server/http/json_writer.h"
#include "server/routes/routes.h"

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
  http::JsonWriter json;
  json.begin_object().field("branch", branch).field("manifest_version", info.manifest_version);
  json.key("tables").begin_array();
  for (const TableInfo& table : info.tables) {
    json.begin_object()
        .field("table_key", table.table_key)
        .field("table_path", table.table_path)
        .field("table_version", table.table_version)
        .field("table_branch", table.table_branch)
        .field("row_count", table.row_count)
        .end_object();
  }
  json.end_array().end_object();
  return http::json_response(200, json.str());
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

  http::JsonWriter json;
  json.begin_object().field("query_name", result.query_name);
  json.key("target").begin_object();
  json.field("branch", snapshot_id ? std::nullopt : std::optional<std::string>(request.branch));
  json.field("snapshot", snapshot_id).end_object();
  json.field("row_count", static_cast<uint64_t>(result.rows.size()));
  if (!result.columns.empty()) json.key("columns").string_array(result.columns);
  json.key("rows").begin_array();
  for (const auto& row : result.rows) {
    json.begin_object();
    for (std::size_t c = 0; c < row.size() && c < result.columns.size(); ++c) {
      json.key(result.columns[c]);
      engine::write_result_value(json.raw_writer(), row[c]);
    }
    json.end_object();
  }
  json.end_array().end_object();
  return http::json_response(200, json.str());
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
  http::JsonWriter json;
  json.begin_object()
      .field("branch", result.branch)
      .field("query_name", result.query_name)
      .field("affected_nodes", result.affected_nodes)
      .field("affected_edges", result.affected_edges)
      .field("actor_id", ctx.actor())
      .end_object();
  return http::json_response(200, json.str());
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

  std::vector<std::pair<std::string, uint64_t>> tables;
  for (const auto& [type, rows] : result.summary.nodes_loaded)
    tables.emplace_back("node:" + type, rows);
  for (const auto& [type, rows] : result.summary.edges_loaded)
    tables.emplace_back("edge:" + type, rows);
  std::sort(tables.begin(), tables.end());

  http::JsonWriter json;
  json.begin_object()
      .field("uri", ctx.graph->uri)
      .field("branch", branch)
      .field("base_branch", from)
      .field("branch_created", !exists)
      .field("mode", engine::load_mode_name(mode));
  json.key("tables").begin_array();
  for (const auto& [table_key, rows] : tables) {
    json.begin_object().field("table_key", table_key).field("rows_loaded", rows).end_object();
  }
  json.end_array().field("actor_id", ctx.actor()).end_object();
  return http::json_response(200, json.str());
}

}  // namespace omnigraph::server::routes
