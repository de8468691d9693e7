// The public C++ API of the engine: one Graph handle per graph directory.
//
//   auto graph = omnigraph::Graph::init("people.og", schema_source);
//   std::ifstream data("people.jsonl");
//   graph->load(data, {});
//   auto result = graph->read({.query_source = q, .query_name = "adults"});
//
// Every write is one commit on a branch, published with a compare-and-swap
// of the branch ref, with the actor recorded. Reads run against one
// immutable state (a branch head or a commit), so a query never sees a
// half-applied write. A Graph is safe to use from several threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/catalog/catalog.h"
#include "engine/exporter.h"
#include "engine/loader.h"
#include "engine/value.h"
#include "omnigraph/schema_migration.h"

namespace omnigraph::policy {
class Policy;
}

namespace omnigraph {

inline constexpr const char* kMainBranch = "main";

struct ReadRequest {
  std::string query_source;
  std::string query_name;   // may be empty when the source holds one query
  std::string params_json;  // a JSON object, or empty
  std::string branch = kMainBranch;
  std::optional<std::string> snapshot;  // a commit id; reads that commit instead of a branch head
  std::optional<std::string> actor;
};

struct ReadResult {
  std::string query_name;
  std::optional<std::string> branch;    // the branch read (null for a snapshot read)
  std::optional<std::string> snapshot;  // the commit id asked for, if any
  std::vector<std::string> columns;
  std::vector<std::vector<engine::Value>> rows;
};

struct ChangeRequest {
  std::string query_source;
  std::string query_name;
  std::string params_json;
  std::string branch = kMainBranch;
  std::optional<std::string> actor;
};

struct ChangeResult {
  std::string branch;
  std::string query_name;
  uint64_t affected_nodes = 0;
  uint64_t affected_edges = 0;
  std::optional<std::string> actor;
  std::string commit_id;  // the commit published (the head's id when nothing changed)
};

struct LoadRequest {
  engine::LoadMode mode = engine::LoadMode::kOverwrite;
  std::string branch = kMainBranch;
  std::optional<std::string> actor;
  engine::LoadProgress progress;
};

struct LoadResult {
  std::string branch;
  engine::LoadMode mode = engine::LoadMode::kOverwrite;
  engine::LoadSummary summary;
  std::string commit_id;
};

struct TableInfo {
  std::string table_key;   // node:T / edge:E
  std::string table_path;  // nodes/<fnv1a64 hex of the name> / edges/<...>
  uint64_t table_version = 0;
  std::optional<std::string> table_branch;  // the branch that last wrote it; null = main
  uint64_t row_count = 0;
};

struct SnapshotInfo {
  std::string branch;
  std::string commit_id;
  uint64_t manifest_version = 0;
  std::vector<TableInfo> tables;  // sorted by table_key
};

// A commit as users see it (engine.md §1.6).
struct CommitInfo {
  std::string graph_commit_id;
  std::optional<std::string> manifest_branch;  // null for main
  uint64_t manifest_version = 0;
  std::optional<std::string> parent_commit_id;
  std::optional<std::string> merged_parent_commit_id;  // merge commits only
  std::optional<std::string> actor_id;
  int64_t created_at = 0;  // microseconds since the Unix epoch
};

enum class MergeOutcome { kAlreadyUpToDate, kFastForward, kMerged };
std::string_view merge_outcome_name(MergeOutcome outcome);  // already_up_to_date, ...

struct MergeResult {
  std::string source;
  std::string target;
  MergeOutcome outcome = MergeOutcome::kAlreadyUpToDate;
  std::optional<std::string> commit_id;  // the commit published, when one was
};

// A branch head or a commit, for diffs and branch creation.
struct GraphTarget {
  std::optional<std::string> branch;    // exactly one of the two is set
  std::optional<std::string> snapshot;  // a commit id
  static GraphTarget at_branch(std::string name) { return {std::move(name), std::nullopt}; }
  static GraphTarget at_commit(std::string id) { return {std::nullopt, std::move(id)}; }
};

// One entity-level change between two graph states (engine.md §5).
struct EntityChange {
  std::string table_key;
  std::string kind;  // "node" | "edge"
  std::string type_name;
  std::string id;
  std::string op;  // "insert" | "update" | "delete"
  uint64_t manifest_version = 0;
  std::optional<std::string> src;  // edges only (deletes included)
  std::optional<std::string> dst;
};

struct ChangeFilter {
  std::vector<std::string> kinds;       // empty = all
  std::vector<std::string> type_names;  // bare type names; empty = all
  std::vector<std::string> ops;         // empty = all
};

struct ChangeStats {
  uint64_t inserts = 0;
  uint64_t updates = 0;
  uint64_t deletes = 0;
  std::vector<std::string> types_affected;  // sorted, unique
};

// Graph::cleanup's retention rule (engine.md §9, adapted to chunk storage):
// a commit's data is removed when it is more than `keep_versions` commits
// behind a branch head along first parents (when given) and older than
// `older_than` (when given). At least one must be set.
struct CleanupOptions {
  std::optional<uint32_t> keep_versions;
  std::optional<std::chrono::seconds> older_than;
};

struct CleanupStats {
  uint64_t commits_retained = 0;  // commits whose data stays readable
  uint64_t commits_pruned = 0;    // commits whose data is gone (history stays)
  uint64_t chunks_scanned = 0;    // chunks in the store before the sweep
  uint64_t chunks_removed = 0;
  uint64_t bytes_removed = 0;
  uint64_t refs_removed = 0;  // schema purge and derived-index refs no longer needed
};

class Graph {
 public:
  // Creates a graph directory from .pg source (compile errors are thrown
  // with their position) with an initial commit on `main`. Error(kConflict)
  // when `dir` already holds a graph.
  static std::unique_ptr<Graph> init(const std::filesystem::path& dir,
                                     std::string_view schema_source,
                                     std::optional<std::string> actor = std::nullopt);
  // Opens an existing graph directory; Error(kNotFound) when there is none.
  static std::unique_ptr<Graph> open(const std::filesystem::path& dir);
  // A graph held in memory only (tests, tools); gone when the handle is.
  static std::unique_ptr<Graph> init_in_memory(std::string_view schema_source,
                                               std::optional<std::string> actor = std::nullopt);

  ~Graph();
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;

  ReadResult read(const ReadRequest& request);
  // Writes run against the branch head they read, concurrently; if other
  // writes committed meanwhile, this one is rebased onto them row by row
  // (DESIGN.md §4). A row another write touched meanwhile, or a combination
  // that breaks a constraint, throws Error(kConflict) carrying a
  // ManifestConflict ("stale view of '<table>': ..."), and nothing of the
  // write is committed. Loads behave the same.
  ChangeResult change(const ChangeRequest& request);
  LoadResult load(std::istream& jsonl, const LoadRequest& request);
  SnapshotInfo snapshot(const std::string& branch = kMainBranch);
  // Streams NDJSON of a branch head; returns the number of lines.
  uint64_t export_jsonl(std::ostream& out, const std::string& branch = kMainBranch,
                        const engine::ExportFilter& filter = {});

  // The schema in force on a branch.
  std::shared_ptr<const compiler::Catalog> catalog(const std::string& branch = kMainBranch);

  // Installs (or, with nullptr, removes) the policy every write is checked
  // against: the actor must be allowed the write's action on its branch.
  void set_policy(std::shared_ptr<const policy::Policy> policy);

  // ---- Schema evolution (engine.md §4) ----------------------------------
  // The `.pg` source in force on a branch (or at a commit).
  std::string schema_source(const GraphTarget& at = GraphTarget::at_branch(kMainBranch));
  // Compares the branch's schema with `desired_source`; reads no rows and
  // changes nothing. With allow_data_loss every soft drop is planned hard.
  SchemaPlan schema_plan(std::string_view desired_source, const std::string& branch = kMainBranch,
                         bool allow_data_loss = false);
  // Plans and applies in one commit on the request's branch; an unsupported
  // plan throws Error(kBadRequest) naming the first unsupported step.
  SchemaApplyResult schema_apply(const SchemaApplyRequest& request);

  // ---- Versioning (engine.md §1–§3, §5) --------------------------------
  // A new branch at the head of `from` (a branch; a commit target is refused
  // like the reference). One ref write: nothing is copied.
  void branch_create(const std::string& name,
                     const GraphTarget& from = GraphTarget::at_branch(kMainBranch),
                     std::optional<std::string> actor = std::nullopt);
  // Every branch, sorted; internal names hidden.
  std::vector<std::string> branch_list();
  void branch_delete(const std::string& name, std::optional<std::string> actor = std::nullopt);
  // The commits reachable from the branch head, oldest first.
  std::vector<CommitInfo> commit_list(const std::string& branch = kMainBranch);
  CommitInfo commit_show(const std::string& commit_id);
  // Three-way merge of `source` into `target`; conflicts throw Error(kConflict)
  // carrying every MergeConflict, and change nothing.
  MergeResult branch_merge(const std::string& source, const std::string& target,
                           std::optional<std::string> actor = std::nullopt);
  // Streams the changes from `from` to `to` through `sink`; returns the stats.
  ChangeStats diff(const GraphTarget& from, const GraphTarget& to, const ChangeFilter& filter,
                   const std::function<void(const EntityChange&)>& sink);

  // Maintenance (graph_cleanup.cpp): drops the data of commits outside the
  // retention window and removes every chunk no retained commit reaches
  // (also the leftovers of failed or crashed writes). Commit history, branch
  // heads and the merge bases of every pair of branches stay intact;
  // reading a pruned commit afterwards is Error(kNotFound). Destructive:
  // run it only with no other process writing the graph.
  CleanupStats cleanup(const CleanupOptions& options);

  struct Impl;

 private:
  friend struct GraphInternals;  // engine-internal access (graph_impl.h)
  explicit Graph(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// "nodes/<16 hex>" / "edges/<16 hex>": FNV-1a 64 of the type name, like the
// reference's table paths.
std::string table_path_for(std::string_view table_key);

}  // namespace omnigraph
