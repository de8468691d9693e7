#include "engine/wire_output.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "engine/loader.h"
#include "engine/result_json.h"

namespace omnigraph::engine {
namespace {

void put(WireWriter& w, std::string_view text) {
  w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

void put(WireWriter& w, const std::string& text) {
  put(w, std::string_view(text));
}

void put(WireWriter& w, const std::optional<std::string>& text) {
  if (text) {
    put(w, *text);
  } else {
    w.Null();
  }
}

void key(WireWriter& w, std::string_view name) {
  w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
}

// One member of the object being written: its key, then its value.
void field(WireWriter& w, std::string_view name, std::string_view text) {
  key(w, name);
  put(w, text);
}
// (Without this, a string literal would pick the bool overload.)
void field(WireWriter& w, std::string_view name, const char* text) {
  field(w, name, std::string_view(text));
}
void field(WireWriter& w, std::string_view name, const std::string& text) {
  field(w, name, std::string_view(text));
}
void field(WireWriter& w, std::string_view name, const std::optional<std::string>& text) {
  key(w, name);
  put(w, text);
}
void field(WireWriter& w, std::string_view name, uint64_t number) {
  key(w, name);
  w.Uint64(number);
}
void field(WireWriter& w, std::string_view name, int64_t number) {
  key(w, name);
  w.Int64(number);
}
void field(WireWriter& w, std::string_view name, bool flag) {
  key(w, name);
  w.Bool(flag);
}

}  // namespace

void write_snapshot_output(WireWriter& w, const SnapshotInfo& info) {
  w.StartObject();
  field(w, "branch", info.branch);
  field(w, "manifest_version", info.manifest_version);
  key(w, "tables");
  w.StartArray();
  for (const TableInfo& table : info.tables) {
    w.StartObject();
    field(w, "table_key", table.table_key);
    field(w, "table_path", table.table_path);
    field(w, "table_version", table.table_version);
    field(w, "table_branch", table.table_branch);
    field(w, "row_count", table.row_count);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void write_read_output(WireWriter& w, const ReadResult& result) {
  w.StartObject();
  field(w, "query_name", result.query_name);
  key(w, "target");
  w.StartObject();
  field(w, "branch", result.branch);
  field(w, "snapshot", result.snapshot);
  w.EndObject();
  field(w, "row_count", result.rows.size());
  // Omitted when empty, like the reference's skip_serializing_if.
  if (!result.columns.empty()) {
    key(w, "columns");
    w.StartArray();
    for (const auto& column : result.columns) put(w, column);
    w.EndArray();
  }
  key(w, "rows");
  w.StartArray();
  for (const auto& row : result.rows) {
    w.StartObject();
    for (std::size_t c = 0; c < result.columns.size(); ++c) {
      key(w, result.columns[c]);
      if (c < row.size()) {
        write_result_value(w, row[c]);
      } else {
        w.Null();
      }
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void write_change_output(WireWriter& w, const ChangeResult& result, const Actor& actor) {
  w.StartObject();
  field(w, "branch", result.branch);
  field(w, "query_name", result.query_name);
  field(w, "affected_nodes", result.affected_nodes);
  field(w, "affected_edges", result.affected_edges);
  field(w, "actor_id", actor);
  w.EndObject();
}

void write_schema_source_output(WireWriter& w, const std::string& schema_source) {
  w.StartObject();
  field(w, "schema_source", schema_source);
  w.EndObject();
}

void write_schema_apply_output(WireWriter& w, const std::string& uri, const std::string& branch,
                               const SchemaApplyResult& result) {
  const std::string steps = schema_steps_json(result.steps);
  w.StartObject();
  field(w, "uri", uri);
  field(w, "branch", branch);
  field(w, "supported", result.supported);
  field(w, "applied", result.applied);
  field(w, "step_count", result.steps.size());
  field(w, "manifest_version", result.manifest_version);
  field(w, "graph_commit_id", result.commit_id);
  key(w, "steps");
  w.RawValue(steps.data(), steps.size(), rapidjson::kArrayType);
  w.EndObject();
}

void write_ingest_output(WireWriter& w, const IngestOutput& output) {
  const LoadResult& result = *output.result;
  std::vector<std::pair<std::string, uint64_t>> tables;
  for (const auto& [type, rows] : result.summary.nodes_loaded) {
    tables.emplace_back("node:" + type, rows);
  }
  for (const auto& [type, rows] : result.summary.edges_loaded) {
    tables.emplace_back("edge:" + type, rows);
  }
  std::sort(tables.begin(), tables.end());
  w.StartObject();
  field(w, "uri", output.uri);
  field(w, "branch", output.branch);
  field(w, "base_branch", output.base_branch);
  field(w, "branch_created", output.branch_created);
  field(w, "mode", load_mode_name(result.mode));
  key(w, "tables");
  w.StartArray();
  for (const auto& [table_key, rows] : tables) {
    w.StartObject();
    field(w, "table_key", table_key);
    field(w, "rows_loaded", rows);
    w.EndObject();
  }
  w.EndArray();
  field(w, "actor_id", output.actor);
  w.EndObject();
}

void write_branch_list_output(WireWriter& w, const std::vector<std::string>& branches) {
  w.StartObject();
  key(w, "branches");
  w.StartArray();
  for (const auto& branch : branches) put(w, branch);
  w.EndArray();
  w.EndObject();
}

void write_branch_create_output(WireWriter& w, const std::string& uri, const std::string& from,
                                const std::string& name, const Actor& actor) {
  w.StartObject();
  field(w, "uri", uri);
  field(w, "from", from);
  field(w, "name", name);
  field(w, "actor_id", actor);
  w.EndObject();
}

void write_branch_delete_output(WireWriter& w, const std::string& uri, const std::string& name,
                                const Actor& actor) {
  w.StartObject();
  field(w, "uri", uri);
  field(w, "name", name);
  field(w, "actor_id", actor);
  w.EndObject();
}

void write_merge_output(WireWriter& w, const MergeResult& result, const Actor& actor) {
  w.StartObject();
  field(w, "source", result.source);
  field(w, "target", result.target);
  field(w, "outcome", merge_outcome_name(result.outcome));
  field(w, "actor_id", actor);
  w.EndObject();
}

void write_commit_output(WireWriter& w, const CommitInfo& commit) {
  w.StartObject();
  field(w, "graph_commit_id", commit.graph_commit_id);
  field(w, "manifest_branch", commit.manifest_branch);
  field(w, "manifest_version", commit.manifest_version);
  field(w, "parent_commit_id", commit.parent_commit_id);
  field(w, "merged_parent_commit_id", commit.merged_parent_commit_id);
  field(w, "actor_id", commit.actor_id);
  field(w, "created_at", commit.created_at);
  w.EndObject();
}

void write_commit_list_output(WireWriter& w, const std::vector<CommitInfo>& commits) {
  w.StartObject();
  key(w, "commits");
  w.StartArray();
  for (const CommitInfo& commit : commits) write_commit_output(w, commit);
  w.EndArray();
  w.EndObject();
}

}  // namespace omnigraph::engine
