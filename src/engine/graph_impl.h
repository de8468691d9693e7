// The inside of a Graph handle, shared by the files that implement its
// operations (graph.cpp: open/read/change/load/export; the versioning files:
// branches, commits, merge, diff). Not part of the public API.
#pragma once

#include <chrono>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>
#include "common/error.h"
#include "compiler/ir/ir.h"
#include "compiler/query/parser.h"
#include "engine/executor.h"
#include "engine/graph_root.h"
#include "engine/graph_writer.h"
#include "engine/mutation.h"
#include "engine/params.h"
#include "engine/schema_record.h"
#include "policy/enforcement.h"
#include "policy/policy.h"
#include "policy/scope.h"
#include "prolly/node_store.h"
#include "store/store.h"
#include "version/commit_store.h"

#include "omnigraph/graph.h"

namespace omnigraph {

using engine::GraphRoot;
using engine::GraphView;
using engine::GraphWriter;

// A branch head (or a pinned commit) with everything a query needs.
struct State {
  Hash commit_hash;
  version::CommitPtr commit;
  std::shared_ptr<const GraphRoot> root;
  std::shared_ptr<const compiler::Catalog> catalog;
  // Non-empty when `catalog` is not the root's schema as stored but a view
  // of it (a snapshot read that hides hard-dropped data); compiled plans are
  // cached per schema and tag.
  std::string catalog_tag;
};

constexpr int kMaxPublishAttempts = 16;
constexpr size_t kPlanCacheLimit = 1024;

// A query compiled against one schema, with the name it was selected by.
struct CompiledQuery {
  std::string name;
  compiler::ir::Plan plan;
};

// The query of `file` named `name` (or its only query when `name` is empty).
const compiler::query::QueryDecl& select_query(const compiler::query::QueryFile& file,
                                               const std::string& name);
// The current UTC time as a DateTime value (now()).
engine::Value now_value();

// A staged write waiting on its branch's commit path.
struct PendingWrite {
  State read;      // the head it was staged against
  GraphRoot root;  // what it turned that head's root into
  std::optional<std::string> actor;
  // Set by the batch leader before `done`.
  bool done = false;
  std::string commit_id;
  std::exception_ptr error;
};

// The commit path of one branch. Writers stage concurrently; publishing is
// one batch at a time: a leader takes every queued write, replays each onto
// the head the one before it produced (rebasing where the head moved since
// it was read), and publishes the resulting chain of commits with one
// synced ref write. Writes that arrive meanwhile form the next batch.
struct BranchQueue {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<PendingWrite*> queue;
  bool leader_active = false;
};

struct Graph::Impl {
  std::filesystem::path dir;
  store::Store store;
  prolly::NodeStore nodes;
  version::CommitStore commits;

  std::mutex mutex;  // guards the caches and the policy
  std::unordered_map<Hash, std::shared_ptr<const GraphRoot>, HashHasher> roots;
  std::unordered_map<Hash, std::shared_ptr<const compiler::Catalog>, HashHasher> catalogs;
  std::shared_ptr<const policy::Policy> policy;
  // Compiled plans by (schema, query name, query source): clients send the
  // same query text again and again, and parsing plus type checking costs
  // about as much as a point lookup.
  std::unordered_map<std::string, std::shared_ptr<const CompiledQuery>> plans;
  // One merge at a time per handle (merges retry on a lost CAS; ordinary
  // writes go through the branch queues instead).
  std::mutex write_mutex;
  // Runs in a writer after it staged, before it publishes (tests use it to
  // make another writer commit in between). Guarded by `mutex`.
  std::function<void()> before_publish_hook;
  std::mutex queues_mutex;
  std::unordered_map<std::string, std::shared_ptr<BranchQueue>> queues;

  explicit Impl(std::filesystem::path path, store::Store opened)
      : dir(std::move(path)), store(std::move(opened)), nodes(*store.chunks), commits(store) {}

  std::shared_ptr<const compiler::Catalog> catalog_for(const Hash& schema) {
    {
      std::lock_guard lock(mutex);
      auto it = catalogs.find(schema);
      if (it != catalogs.end()) return it->second;
    }
    auto chunk = store.chunks->get(schema);
    if (!chunk) throw_internal("schema chunk " + schema.hex() + " is missing");
    auto catalog = std::make_shared<const compiler::Catalog>(
        engine::compile_schema_record(engine::decode_schema_record(*chunk)));
    std::lock_guard lock(mutex);
    return catalogs.emplace(schema, std::move(catalog)).first->second;
  }

  std::shared_ptr<const GraphRoot> root_for(const Hash& hash) {
    {
      std::lock_guard lock(mutex);
      auto it = roots.find(hash);
      if (it != roots.end()) return it->second;
    }
    auto chunk = store.chunks->get(hash);
    if (!chunk) throw_internal("graph root " + hash.hex() + " is missing");
    auto root = std::make_shared<const GraphRoot>(engine::decode_graph_root(*chunk));
    std::lock_guard lock(mutex);
    if (roots.size() > 1024) roots.clear();
    return roots.emplace(hash, std::move(root)).first->second;
  }

  std::shared_ptr<const CompiledQuery> compile(const State& state, const std::string& source,
                                               const std::string& name) {
    std::string key = state.root->schema.hex() + state.catalog_tag;
    key.append(1, '\0').append(name).append(1, '\0').append(source);
    {
      std::lock_guard lock(mutex);
      auto it = plans.find(key);
      if (it != plans.end()) return it->second;
    }
    auto file = compiler::query::parse_query_file(source);
    const auto& decl = select_query(file, name);
    auto compiled = std::make_shared<const CompiledQuery>(
        CompiledQuery{decl.name, compiler::ir::compile_query(*state.catalog, decl)});
    std::lock_guard lock(mutex);
    if (plans.size() >= kPlanCacheLimit) plans.clear();
    plans.emplace(std::move(key), compiled);
    return compiled;
  }

  State state_at(const Hash& commit_hash) {
    State state;
    state.commit_hash = commit_hash;
    state.commit = commits.read(commit_hash);
    try {
      state.root = root_for(state.commit->root);
    } catch (const Error& e) {
      // Graph::cleanup keeps a pruned commit's history but not its data.
      if (e.code() == ErrorCode::kInternal && !store.chunks->has(state.commit->root)) {
        throw_not_found("commit '" + state.commit->graph_commit_id.str() +
                        "' is no longer readable: its data was removed by cleanup");
      }
      throw;
    }
    state.catalog = catalog_for(state.root->schema);
    return state;
  }

  State branch_state(const std::string& branch) {
    if (branch.empty()) throw_bad_request("branch name cannot be empty");
    auto head = commits.head(branch);
    if (!head) throw_not_found("branch '" + branch + "' not found");
    return state_at(*head);
  }

  State snapshot_state(const std::string& commit_id) {
    auto hash = commits.find_by_id(commit_id);
    if (!hash) throw_not_found("commit '" + commit_id + "' not found");
    return hide_purged(state_at(*hash));
  }

  // A commit read by id whose data a later hard drop purged (graph_schema.cpp).
  State hide_purged(State state);

  void enforce(const std::optional<std::string>& actor, const policy::PolicyRequest& request) {
    std::shared_ptr<const policy::Policy> current;
    {
      std::lock_guard lock(mutex);
      current = policy;
    }
    std::optional<std::string_view> actor_view;
    if (actor) actor_view = *actor;
    policy::enforce_engine_policy(current.get(), actor_view, request);
  }

  // Runs `stage` against the head of `branch` (no lock held) and publishes
  // the resulting root as one commit through the branch's commit path
  // (graph_publish.cpp), rebased when the head moved meanwhile. `stage`
  // runs once; it must only stage into the writer. Returns the commit id
  // (the head's when nothing changed); Error(kConflict) with a
  // ManifestConflict when the write cannot be rebased.
  template <typename Stage>
  std::string write(const std::string& branch, const std::optional<std::string>& actor,
                    Stage&& stage) {
    State head = branch_state(branch);
    GraphWriter writer(head.catalog, *head.root, nodes);
    stage(writer, head);
    GraphRoot next = writer.finish(branch);
    if (next == *head.root) return head.commit->graph_commit_id.str();
    std::function<void()> hook;
    {
      std::lock_guard lock(mutex);
      hook = before_publish_hook;
    }
    if (hook) hook();
    PendingWrite pending;
    pending.read = std::move(head);
    pending.root = std::move(next);
    pending.actor = actor;
    return commit_write(branch, pending);
  }

  // Queues `pending` on the branch's commit path and waits for its outcome.
  std::string commit_write(const std::string& branch, PendingWrite& pending);

 private:
  BranchQueue& queue_for(const std::string& branch);
  // The leader's work: replays and publishes one batch (sets each write's
  // commit_id or error).
  void publish_batch(const std::string& branch, const std::vector<PendingWrite*>& batch);
};

// Reaches a handle's inside (engine files and engine tests only).
struct GraphInternals {
  static Graph::Impl& impl(Graph& graph) { return *graph.impl_; }
};

}  // namespace omnigraph
