// The seam between the CLI's commands and the graph they act on. A command
// resolves its target (cli/target.h), opens a Backend for it and gets back
// documents shaped exactly like the server's responses (http-contract.md
// §1: SnapshotOutput, ReadOutput, ChangeOutput, ...). The local backend
// runs the engine in-process; the remote one sends the contract's requests
// over HTTP. Printing works on those documents only, so a command prints
// the same text for a graph directory and for a server serving it.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/cli_config.h"
#include "cli/target.h"

namespace omnigraph::cli {

struct QueryCall {
  std::string query_source;
  std::optional<std::string> query_name;
  std::string params_json;  // a JSON object, or empty
  std::optional<std::string> branch;
  std::optional<std::string> snapshot;  // reads only
};

struct ExportCall {
  std::string branch;
  std::vector<std::string> type_names;
  std::vector<std::string> table_keys;
};

struct IngestCall {
  std::filesystem::path data_file;
  std::string branch;
  std::string from;
  std::string mode = "merge";
};

struct SchemaApplyCall {
  std::string schema_source;
  std::string branch = "main";
  bool allow_data_loss = false;
};

struct GraphCreateCall {
  std::string graph_id;
  std::string uri;
  std::string schema_source;
  std::optional<std::string> policy_file;
};

// Progress callbacks for long operations; no-ops unless set.
struct ProgressHooks {
  // Ingest: bytes of the data file consumed so far.
  std::function<void(uint64_t)> bytes;
  // Export: lines written so far.
  std::function<void(uint64_t)> lines;
};

class Backend {
 public:
  virtual ~Backend() = default;

  virtual bool remote() const = 0;
  virtual const std::string& uri() const = 0;

  virtual rapidjson::Document snapshot(const std::string& branch) = 0;  // SnapshotOutput
  virtual rapidjson::Document read(const QueryCall& call) = 0;          // ReadOutput
  virtual rapidjson::Document change(const QueryCall& call) = 0;        // ChangeOutput
  // Writes the export's NDJSON to `out`.
  virtual void export_jsonl(const ExportCall& call, std::ostream& out) = 0;
  // SchemaOutput of `branch`. A server serves main's schema only; the remote
  // backend refuses other branches.
  virtual rapidjson::Document schema(const std::string& branch) = 0;
  // SchemaApplyOutput plus `branch` and `graph_commit_id` (the server sends
  // them too). A server applies to main only, as for schema().
  virtual rapidjson::Document schema_apply(const SchemaApplyCall& call) = 0;
  virtual rapidjson::Document ingest(const IngestCall& call,
                                     const ProgressHooks& progress) = 0;  // IngestOutput
  virtual rapidjson::Document branch_list() = 0;                          // BranchListOutput
  virtual rapidjson::Document branch_create(const std::string& name,
                                            const std::string& from) = 0;  // BranchCreateOutput
  virtual rapidjson::Document branch_delete(const std::string& name) = 0;  // BranchDeleteOutput
  virtual rapidjson::Document branch_merge(const std::string& source,
                                           const std::string& target) = 0;  // BranchMergeOutput
  virtual rapidjson::Document commit_list(const std::optional<std::string>& branch) = 0;
  virtual rapidjson::Document commit_show(const std::string& commit_id) = 0;  // CommitOutput
  // Multi-graph servers only; the local backend refuses them.
  virtual rapidjson::Document graphs_list() = 0;  // GraphListResponse
  virtual rapidjson::Document graphs_create(
      const GraphCreateCall& call) = 0;  // GraphCreateResponse
};

// The backend for a resolved target. Local writes run as `actor` under the
// config's policy.file (when set); remote ones as the token's actor.
std::unique_ptr<Backend> open_backend(const ResolvedTarget& target, const CliConfig& config,
                                      std::optional<std::string> actor);

}  // namespace omnigraph::cli
