#include "cli/backend.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cli/cli_json.h"
#include "cli/http_client.h"
#include "common/error.h"
#include "engine/loader.h"
#include "engine/wire_output.h"
#include "omnigraph/graph.h"
#include "policy/policy.h"

namespace omnigraph::cli {
namespace {

namespace fs = std::filesystem;

// Embeds a params JSON text (already checked to be an object) as a value.
template <typename Writer>
void write_params(Writer& w, const std::string& params_json) {
  if (params_json.empty()) {
    w.Null();
  } else {
    w.RawValue(params_json.data(), params_json.size(), rapidjson::kObjectType);
  }
}

template <typename Writer>
void write_strings(Writer& w, const std::vector<std::string>& items) {
  w.StartArray();
  for (const auto& item : items) write_string(w, item);
  w.EndArray();
}

// ---------------------------------------------------------------------------
// Local: the engine in this process.

class LocalBackend final : public Backend {
 public:
  LocalBackend(std::string uri, const CliConfig& config, std::optional<std::string> actor)
      : uri_(std::move(uri)), config_(config), actor_(std::move(actor)) {}

  bool remote() const override { return false; }
  const std::string& uri() const override { return uri_; }

  rapidjson::Document snapshot(const std::string& branch) override {
    const SnapshotInfo info = reader().snapshot(branch);
    return make_document([&](CompactWriter& w) { engine::write_snapshot_output(w, info); });
  }

  rapidjson::Document read(const QueryCall& call) override {
    ReadRequest request;
    request.query_source = call.query_source;
    request.query_name = call.query_name.value_or("");
    request.params_json = call.params_json;
    if (call.snapshot) {
      request.snapshot = call.snapshot;
    } else {
      request.branch = call.branch.value_or(kMainBranch);
    }
    request.actor = actor_;
    const ReadResult result = reader().read(request);
    return make_document([&](CompactWriter& w) { engine::write_read_output(w, result); });
  }

  rapidjson::Document change(const QueryCall& call) override {
    ChangeRequest request;
    request.query_source = call.query_source;
    request.query_name = call.query_name.value_or("");
    request.params_json = call.params_json;
    request.branch = call.branch.value_or(kMainBranch);
    request.actor = actor_;
    const ChangeResult result = writer().change(request);
    return make_document([&](CompactWriter& w) { engine::write_change_output(w, result, actor_); });
  }

  void export_jsonl(const ExportCall& call, std::ostream& out) override {
    engine::ExportFilter filter;
    filter.types = call.type_names;
    filter.table_keys = call.table_keys;
    reader().export_jsonl(out, call.branch, filter);
  }

  rapidjson::Document schema(const std::string& branch) override {
    const std::string source = reader().schema_source(GraphTarget::at_branch(branch));
    return make_document([&](CompactWriter& w) { engine::write_schema_source_output(w, source); });
  }

  rapidjson::Document schema_apply(const SchemaApplyCall& call) override {
    SchemaApplyRequest request;
    request.schema_source = call.schema_source;
    request.allow_data_loss = call.allow_data_loss;
    request.branch = call.branch;
    request.actor = actor_;
    const SchemaApplyResult result = writer().schema_apply(request);
    return make_document([&](CompactWriter& w) {
      engine::write_schema_apply_output(w, uri_, request.branch, result);
    });
  }

  rapidjson::Document ingest(const IngestCall& call, const ProgressHooks& progress) override {
    LoadRequest request;
    request.mode = engine::parse_load_mode(call.mode);
    request.branch = call.branch;
    request.actor = actor_;
    if (progress.bytes) request.progress = progress.bytes;
    std::ifstream data(call.data_file, std::ios::binary);
    if (!data) {
      throw_bad_request(fmt::format("cannot read data file '{}': {}", call.data_file.string(),
                                    std::strerror(errno)));
    }
    Graph& graph = writer();
    const std::vector<std::string> branches = graph.branch_list();
    const bool created = std::find(branches.begin(), branches.end(), call.branch) == branches.end();
    if (created) graph.branch_create(call.branch, GraphTarget::at_branch(call.from), actor_);
    const LoadResult result = graph.load(data, request);
    const engine::IngestOutput output{.uri = uri_,
                                      .branch = call.branch,
                                      .base_branch = call.from,
                                      .branch_created = created,
                                      .result = &result,
                                      .actor = actor_};
    return make_document([&](CompactWriter& w) { engine::write_ingest_output(w, output); });
  }

  rapidjson::Document branch_list() override {
    const std::vector<std::string> branches = reader().branch_list();
    return make_document([&](CompactWriter& w) { engine::write_branch_list_output(w, branches); });
  }

  rapidjson::Document branch_create(const std::string& name, const std::string& from) override {
    writer().branch_create(name, GraphTarget::at_branch(from), actor_);
    return make_document(
        [&](CompactWriter& w) { engine::write_branch_create_output(w, uri_, from, name, actor_); });
  }

  rapidjson::Document branch_delete(const std::string& name) override {
    writer().branch_delete(name, actor_);
    return make_document(
        [&](CompactWriter& w) { engine::write_branch_delete_output(w, uri_, name, actor_); });
  }

  rapidjson::Document branch_merge(const std::string& source, const std::string& target) override {
    const MergeResult result = writer().branch_merge(source, target, actor_);
    return make_document([&](CompactWriter& w) { engine::write_merge_output(w, result, actor_); });
  }

  rapidjson::Document commit_list(const std::optional<std::string>& branch) override {
    const std::vector<CommitInfo> commits = reader().commit_list(branch.value_or(kMainBranch));
    return make_document([&](CompactWriter& w) { engine::write_commit_list_output(w, commits); });
  }

  rapidjson::Document commit_show(const std::string& commit_id) override {
    const CommitInfo commit = reader().commit_show(commit_id);
    return make_document([&](CompactWriter& w) { engine::write_commit_output(w, commit); });
  }

  rapidjson::Document graphs_list() override {
    throw_bad_request(
        "`omnigraph graphs list` requires a remote multi-graph server URL (http:// or "
        "https://). To enumerate local graphs, read `omnigraph.yaml` directly.");
  }

  rapidjson::Document graphs_create(const GraphCreateCall&) override {
    throw_bad_request(
        "`omnigraph graphs create` requires a remote multi-graph server URL (http:// or "
        "https://). To add a graph to a local config, edit `omnigraph.yaml` and restart the "
        "server.");
  }

 private:
  // Reads open the graph as it is; writes open it with the configured
  // policy installed, so the engine checks them (no actor -> denied).
  Graph& reader() {
    if (!graph_) graph_ = Graph::open(uri_);
    return *graph_;
  }
  Graph& writer() {
    Graph& graph = reader();
    if (!policy_installed_) {
      if (auto policy_file = config_.resolved_policy_file()) {
        graph.set_policy(
            std::make_shared<const policy::Policy>(policy::Policy::load(*policy_file)));
      }
      policy_installed_ = true;
    }
    return graph;
  }

  std::string uri_;
  const CliConfig& config_;
  std::optional<std::string> actor_;
  std::unique_ptr<Graph> graph_;
  bool policy_installed_ = false;
};

// ---------------------------------------------------------------------------
// Remote: the server contract over HTTP.

std::string read_whole_file(const fs::path& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw_bad_request(
        fmt::format("cannot read {} '{}': {}", what, path.string(), std::strerror(errno)));
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The body fields /read and /change share; a snapshot read sends a null branch.
template <typename Writer>
void write_query_fields(Writer& w, const QueryCall& q, const std::optional<std::string>& branch) {
  w.Key("query_source");
  write_string(w, q.query_source);
  w.Key("query_name");
  write_optional(w, q.query_name);
  w.Key("params");
  write_params(w, q.params_json);
  w.Key("branch");
  write_optional(w, branch);
}

class RemoteBackend final : public Backend {
 public:
  explicit RemoteBackend(ResolvedTarget target) : target_(std::move(target)) {}

  bool remote() const override { return true; }
  const std::string& uri() const override { return target_.uri; }

  rapidjson::Document snapshot(const std::string& branch) override {
    return call("GET", "/snapshot?branch=" + percent_encode_segment(branch));
  }

  rapidjson::Document read(const QueryCall& q) override {
    return call("POST", "/read", body([&](CompactWriter& w) {
                  w.StartObject();
                  write_query_fields(w, q, q.snapshot ? std::nullopt : q.branch);
                  w.Key("snapshot");
                  write_optional(w, q.snapshot);
                  w.EndObject();
                }));
  }

  rapidjson::Document change(const QueryCall& q) override {
    return call("POST", "/change", body([&](CompactWriter& w) {
                  w.StartObject();
                  write_query_fields(w, q, q.branch);
                  w.EndObject();
                }));
  }

  void export_jsonl(const ExportCall& e, std::ostream& out) override {
    HttpRequest request = make_request("POST", "/export");
    request.json_body = body([&](CompactWriter& w) {
      w.StartObject();
      w.Key("branch");
      write_string(w, e.branch);
      w.Key("type_names");
      write_strings(w, e.type_names);
      w.Key("table_keys");
      write_strings(w, e.table_keys);
      w.EndObject();
    });
    request.stream_sink = [&out](std::string_view piece) {
      out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
    };
    HttpResponse response = http_perform(request);
    if (response.status < 200 || response.status >= 300) throw_http_error(response);
    out.flush();
  }

  rapidjson::Document schema(const std::string& branch) override {
    require_main(branch, "schema show");
    return call("GET", "/schema");
  }

  rapidjson::Document schema_apply(const SchemaApplyCall& a) override {
    require_main(a.branch, "schema apply");
    return call("POST", "/schema/apply", body([&](CompactWriter& w) {
                  w.StartObject();
                  w.Key("schema_source");
                  write_string(w, a.schema_source);
                  w.Key("allow_data_loss");
                  w.Bool(a.allow_data_loss);
                  w.EndObject();
                }));
  }

  rapidjson::Document ingest(const IngestCall& i, const ProgressHooks&) override {
    const std::string data = read_whole_file(i.data_file, "data file");
    return call("POST", "/ingest", body([&](CompactWriter& w) {
                  w.StartObject();
                  w.Key("branch");
                  write_string(w, i.branch);
                  w.Key("from");
                  write_string(w, i.from);
                  w.Key("mode");
                  write_string(w, i.mode);
                  w.Key("data");
                  write_string(w, data);
                  w.EndObject();
                }));
  }

  rapidjson::Document branch_list() override { return call("GET", "/branches"); }

  rapidjson::Document branch_create(const std::string& name, const std::string& from) override {
    return call("POST", "/branches", body([&](CompactWriter& w) {
                  w.StartObject();
                  w.Key("from");
                  write_string(w, from);
                  w.Key("name");
                  write_string(w, name);
                  w.EndObject();
                }));
  }

  rapidjson::Document branch_delete(const std::string& name) override {
    return call("DELETE", "/branches/" + percent_encode_segment(name));
  }

  rapidjson::Document branch_merge(const std::string& source, const std::string& target) override {
    return call("POST", "/branches/merge", body([&](CompactWriter& w) {
                  w.StartObject();
                  w.Key("source");
                  write_string(w, source);
                  w.Key("target");
                  write_string(w, target);
                  w.EndObject();
                }));
  }

  rapidjson::Document commit_list(const std::optional<std::string>& branch) override {
    return call("GET", branch ? "/commits?branch=" + percent_encode_segment(*branch)
                              : std::string("/commits"));
  }

  rapidjson::Document commit_show(const std::string& commit_id) override {
    return call("GET", "/commits/" + percent_encode_segment(commit_id));
  }

  rapidjson::Document graphs_list() override { return call("GET", "/graphs"); }

  rapidjson::Document graphs_create(const GraphCreateCall& g) override {
    return call("POST", "/graphs", body([&](CompactWriter& w) {
                  w.StartObject();
                  w.Key("graph_id");
                  write_string(w, g.graph_id);
                  w.Key("uri");
                  write_string(w, g.uri);
                  w.Key("schema");
                  w.StartObject();
                  w.Key("source");
                  write_string(w, g.schema_source);
                  w.EndObject();
                  w.Key("policy");
                  if (g.policy_file) {
                    w.StartObject();
                    w.Key("file");
                    write_string(w, *g.policy_file);
                    w.EndObject();
                  } else {
                    w.Null();
                  }
                  w.EndObject();
                }));
  }

 private:
  template <typename Body>
  static std::string body(Body&& write) {
    rapidjson::StringBuffer buffer;
    CompactWriter w(buffer);
    write(w);
    return std::string(buffer.GetString(), buffer.GetSize());
  }

  // The contract's schema routes act on main only.
  static void require_main(const std::string& branch, const char* operation) {
    if (branch != kMainBranch) {
      throw_bad_request(
          fmt::format("{} on branch '{}' is only supported against local graph URIs (a server's "
                      "schema routes act on main)",
                      operation, branch));
    }
  }

  HttpRequest make_request(const char* method, const std::string& path) const {
    HttpRequest request;
    request.method = method;
    request.url = join_url(target_.uri, path);
    request.bearer_token = target_.bearer_token;
    return request;
  }

  rapidjson::Document call(const char* method, const std::string& path,
                           std::optional<std::string> json_body = std::nullopt) {
    HttpRequest request = make_request(method, path);
    request.json_body = std::move(json_body);
    HttpResponse response = http_perform(request);
    if (response.status < 200 || response.status >= 300) throw_http_error(response);
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseFullPrecisionFlag>(response.body.c_str(), response.body.size());
    if (doc.HasParseError() || !doc.IsObject()) {
      throw_bad_request("invalid response from " + request.url + ": expected a JSON object");
    }
    return doc;
  }

  ResolvedTarget target_;
};

}  // namespace

std::unique_ptr<Backend> open_backend(const ResolvedTarget& target, const CliConfig& config,
                                      std::optional<std::string> actor) {
  if (target.remote) return std::make_unique<RemoteBackend>(target);
  return std::make_unique<LocalBackend>(target.uri, config, std::move(actor));
}

}  // namespace omnigraph::cli
