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

void put(WireWriter& w, const std::string& text) { put(w, std::string_view(text)); }

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

}  // namespace

void write_snapshot_output(WireWriter& w, const SnapshotInfo& info) {
  w.StartObject();
  key(w, "branch");
  put(w, info.branch);
  key(w, "manifest_version");
  w.Uint64(info.manifest_version);
  key(w, "tables");
  w.StartArray();
  for (const TableInfo& table : info.tables) {
    w.StartObject();
    key(w, "table_key");
    put(w, table.table_key);
    key(w, "table_path");
    put(w, table.table_path);
    key(w, "table_version");
    w.Uint64(table.table_version);
    key(w, "table_branch");
    put(w, table.table_branch);
    key(w, "row_count");
    w.Uint64(table.row_count);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void write_read_output(WireWriter& w, const ReadResult& result) {
  w.StartObject();
  key(w, "query_name");
  put(w, result.query_name);
  key(w, "target");
  w.StartObject();
  key(w, "branch");
  put(w, result.branch);
  key(w, "snapshot");
  put(w, result.snapshot);
  w.EndObject();
  key(w, "row_count");
  w.Uint64(result.rows.size());
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
  key(w, "branch");
  put(w, result.branch);
  key(w, "query_name");
  put(w, result.query_name);
  key(w, "affected_nodes");
  w.Uint64(result.affected_nodes);
  key(w, "affected_edges");
  w.Uint64(result.affected_edges);
  key(w, "actor_id");
  put(w, actor);
  w.EndObject();
}

void write_schema_source_output(WireWriter& w, const std::string& schema_source) {
  w.StartObject();
  key(w, "schema_source");
  put(w, schema_source);
  w.EndObject();
}

void write_schema_apply_output(WireWriter& w, const std::string& uri, const std::string& branch,
                               const SchemaApplyResult& result) {
  const std::string steps = schema_steps_json(result.steps);
  w.StartObject();
  key(w, "uri");
  put(w, uri);
  key(w, "branch");
  put(w, branch);
  key(w, "supported");
  w.Bool(result.supported);
  key(w, "applied");
  w.Bool(result.applied);
  key(w, "step_count");
  w.Uint64(result.steps.size());
  key(w, "manifest_version");
  w.Uint64(result.manifest_version);
  key(w, "graph_commit_id");
  put(w, result.commit_id);
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
  key(w, "uri");
  put(w, output.uri);
  key(w, "branch");
  put(w, output.branch);
  key(w, "base_branch");
  put(w, output.base_branch);
  key(w, "branch_created");
  w.Bool(output.branch_created);
  key(w, "mode");
  put(w, load_mode_name(result.mode));
  key(w, "tables");
  w.StartArray();
  for (const auto& [table_key, rows] : tables) {
    w.StartObject();
    key(w, "table_key");
    put(w, table_key);
    key(w, "rows_loaded");
    w.Uint64(rows);
    w.EndObject();
  }
  w.EndArray();
  key(w, "actor_id");
  put(w, output.actor);
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
  key(w, "uri");
  put(w, uri);
  key(w, "from");
  put(w, from);
  key(w, "name");
  put(w, name);
  key(w, "actor_id");
  put(w, actor);
  w.EndObject();
}

void write_branch_delete_output(WireWriter& w, const std::string& uri, const std::string& name,
                                const Actor& actor) {
  w.StartObject();
  key(w, "uri");
  put(w, uri);
  key(w, "name");
  put(w, name);
  key(w, "actor_id");
  put(w, actor);
  w.EndObject();
}

void write_merge_output(WireWriter& w, const MergeResult& result, const Actor& actor) {
  w.StartObject();
  key(w, "source");
  put(w, result.source);
  key(w, "target");
  put(w, result.target);
  key(w, "outcome");
  put(w, merge_outcome_name(result.outcome));
  key(w, "actor_id");
  put(w, actor);
  w.EndObject();
}

void write_commit_output(WireWriter& w, const CommitInfo& commit) {
  w.StartObject();
  key(w, "graph_commit_id");
  put(w, commit.graph_commit_id);
  key(w, "manifest_branch");
  put(w, commit.manifest_branch);
  key(w, "manifest_version");
  w.Uint64(commit.manifest_version);
  key(w, "parent_commit_id");
  put(w, commit.parent_commit_id);
  key(w, "merged_parent_commit_id");
  put(w, commit.merged_parent_commit_id);
  key(w, "actor_id");
  put(w, commit.actor_id);
  key(w, "created_at");
  w.Int64(commit.created_at);
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
