// The JSON bodies http-contract.md fixes for engine results. The server
// sends them and the CLI prints the same shapes for a local graph, so one
// definition keeps the two from drifting apart field by field.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <optional>
#include <string>
#include <vector>

#include "omnigraph/graph.h"
#include "omnigraph/schema_migration.h"

namespace omnigraph::engine {

using WireWriter = rapidjson::Writer<rapidjson::StringBuffer>;
using Actor = std::optional<std::string>;

void write_snapshot_output(WireWriter& w, const SnapshotInfo& info);
void write_read_output(WireWriter& w, const ReadResult& result);
void write_change_output(WireWriter& w, const ChangeResult& result, const Actor& actor);
void write_schema_source_output(WireWriter& w, const std::string& schema_source);
void write_schema_apply_output(WireWriter& w, const std::string& uri, const std::string& branch,
                               const SchemaApplyResult& result);

// POST /ingest: what was loaded where, and whether the branch was made for it.
struct IngestOutput {
  std::string uri;
  std::string branch;
  std::string base_branch;
  bool branch_created = false;
  const LoadResult* result = nullptr;
  Actor actor;
};
void write_ingest_output(WireWriter& w, const IngestOutput& output);

// `branches` as Graph::branch_list gives them: sorted ascending.
void write_branch_list_output(WireWriter& w, const std::vector<std::string>& branches);
void write_branch_create_output(WireWriter& w, const std::string& uri, const std::string& from,
                                const std::string& name, const Actor& actor);
void write_branch_delete_output(WireWriter& w, const std::string& uri, const std::string& name,
                                const Actor& actor);
void write_merge_output(WireWriter& w, const MergeResult& result, const Actor& actor);
void write_commit_output(WireWriter& w, const CommitInfo& commit);
void write_commit_list_output(WireWriter& w, const std::vector<CommitInfo>& commits);

}  // namespace omnigraph::engine
