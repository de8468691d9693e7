// The Graph handle: ties the store, commits, compiler and executor
// together. Reads resolve a branch head (or a commit id) to a graph root and
// run against a GraphView of it; writes run against a GraphWriter on the
// head they read and publish one commit through the branch's commit path,
// rebased onto the new head when another writer got there first.
#include "omnigraph/graph.h"

#include "engine/graph_impl.h"

#include <chrono>
#include <mutex>
#include <unordered_map>

#include "common/error.h"
#include "compiler/ir/ir.h"
#include "compiler/query/parser.h"
#include "engine/executor.h"
#include "engine/graph_root.h"
#include "engine/graph_writer.h"
#include "engine/mutation.h"
#include "engine/params.h"
#include "policy/enforcement.h"
#include "policy/policy.h"
#include "policy/scope.h"
#include "prolly/node_store.h"
#include "store/store.h"
#include "version/commit_store.h"

namespace omnigraph {

namespace {

uint64_t fnv1a64(std::string_view text) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ull;
  }
  return hash;
}

}  // namespace

engine::Value now_value() {
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  return engine::Value::datetime(engine::DateTime{millis});
}

const compiler::query::QueryDecl& select_query(const compiler::query::QueryFile& file,
                                               const std::string& name) {
  if (name.empty()) {
    if (file.queries.size() != 1) {
      throw_bad_request(file.queries.empty() ? "query file contains no queries"
                                             : "query file contains multiple queries; pass --name");
    }
    return file.queries.front();
  }
  const compiler::query::QueryDecl* decl = file.find(name);
  if (decl == nullptr) throw_bad_request("query '" + name + "' not found");
  return *decl;
}

std::string table_path_for(std::string_view table_key) {
  bool edge = table_key.starts_with("edge:");
  std::string_view name = table_key.substr(table_key.find(':') + 1);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a64(name)));
  return std::string(edge ? "edges/" : "nodes/") + hex;
}

Graph::Graph(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Graph::~Graph() = default;

namespace {

// Writes the schema and an empty graph root, then publishes the first
// commit of `main`.
void create_graph(Graph::Impl& impl, std::string_view schema_source,
                  const compiler::Catalog& catalog, std::optional<std::string> actor) {
  Hash schema_hash = Hash::of(schema_source);
  GraphRoot root;
  root.schema = schema_hash;
  for (const std::string& key : catalog.table_keys()) {
    engine::TableState table;
    table.version = 1;
    root.tables.emplace(key, std::move(table));
  }
  std::string encoded = engine::encode_graph_root(root);
  Hash root_hash = Hash::of(encoded);
  impl.store.chunks->put_many({store::Chunk{schema_hash, std::string(schema_source)},
                               store::Chunk{root_hash, std::move(encoded)}});
  version::Commit commit;
  commit.root = root_hash;
  commit.actor = std::move(actor);
  commit.time_us = version::now_us();
  commit.branch = kMainBranch;
  commit.graph_commit_id = Ulid::generate();
  commit.manifest_version = 1;
  impl.commits.publish(commit, std::nullopt);
}

}  // namespace

std::unique_ptr<Graph> Graph::init(const std::filesystem::path& dir, std::string_view schema_source,
                                   std::optional<std::string> actor) {
  compiler::Catalog catalog = compiler::compile_schema(schema_source);
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_empty(dir, ec)) {
    throw_conflict("a graph (or other data) already exists at " + dir.string());
  }
  auto impl = std::make_unique<Impl>(dir, store::open_rocksdb_store(dir));
  create_graph(*impl, schema_source, catalog, std::move(actor));
  return std::unique_ptr<Graph>(new Graph(std::move(impl)));
}

std::unique_ptr<Graph> Graph::init_in_memory(std::string_view schema_source,
                                             std::optional<std::string> actor) {
  compiler::Catalog catalog = compiler::compile_schema(schema_source);
  auto impl = std::make_unique<Impl>("", store::open_memory_store());
  create_graph(*impl, schema_source, catalog, std::move(actor));
  return std::unique_ptr<Graph>(new Graph(std::move(impl)));
}

std::unique_ptr<Graph> Graph::open(const std::filesystem::path& dir) {
  store::RocksDbOptions options;
  options.create_if_missing = false;
  if (!std::filesystem::exists(dir)) throw_not_found("no graph at " + dir.string());
  auto impl = std::make_unique<Impl>(dir, store::open_rocksdb_store(dir, options));
  if (!impl->commits.head(kMainBranch)) {
    throw_not_found("no graph at " + dir.string() + " (no main branch)");
  }
  return std::unique_ptr<Graph>(new Graph(std::move(impl)));
}

ReadResult Graph::read(const ReadRequest& request) {
  State state = request.snapshot ? impl_->snapshot_state(*request.snapshot)
                                 : impl_->branch_state(request.branch);
  auto compiled = impl_->compile(state, request.query_source, request.query_name);
  const compiler::ir::Plan& plan = compiled->plan;
  if (plan.mutation) {
    throw_bad_request("mutation query cannot be typechecked with read-query API");
  }
  engine::ParamMap params = engine::params_from_json_text(request.params_json, plan.read.params);
  params.emplace(compiler::query::kNowParamName, now_value());
  GraphView view(state.catalog, *state.root, impl_->nodes, impl_->store.refs.get());
  engine::ResultSet result = engine::execute_read(view, plan.read, params);
  ReadResult out;
  out.query_name = compiled->name;
  if (request.snapshot) {
    out.snapshot = request.snapshot;
  } else {
    out.branch = request.branch;
  }
  out.columns = std::move(result.columns);
  out.rows = std::move(result.rows);
  return out;
}

ChangeResult Graph::change(const ChangeRequest& request) {
  impl_->enforce(request.actor, policy::scope_for(policy::Operation::kChange, request.branch));
  ChangeResult out;
  out.branch = request.branch;
  out.actor = request.actor;
  out.commit_id =
      impl_->write(request.branch, request.actor, [&](GraphWriter& writer, const State& head) {
        auto compiled = impl_->compile(head, request.query_source, request.query_name);
        out.query_name = compiled->name;
        const compiler::ir::Plan& plan = compiled->plan;
        if (!plan.mutation) {
          throw_bad_request("mutation execution called on a read query; use query instead");
        }
        engine::ParamMap params =
            engine::params_from_json_text(request.params_json, plan.write.params);
        params.emplace(compiler::query::kNowParamName, now_value());
        engine::MutationSummary summary = engine::execute_mutation(writer, plan.write, params);
        out.affected_nodes = summary.affected_nodes;
        out.affected_edges = summary.affected_edges;
      });
  return out;
}

LoadResult Graph::load(std::istream& jsonl, const LoadRequest& request) {
  impl_->enforce(request.actor, policy::scope_for(policy::Operation::kLoad, request.branch));
  LoadResult out;
  out.branch = request.branch;
  out.mode = request.mode;
  // A load reads its input once: the write path stages once and rebases
  // the result when the branch moved meanwhile (or refuses it as stale).
  out.commit_id =
      impl_->write(request.branch, request.actor, [&](GraphWriter& writer, const State&) {
        writer.set_bulk(true);  // loads stage rows in sorted runs: see GraphWriter
        out.summary = engine::load_jsonl(writer, jsonl, request.mode, request.progress);
      });
  return out;
}

SnapshotInfo Graph::snapshot(const std::string& branch) {
  State state = impl_->branch_state(branch);
  SnapshotInfo out;
  out.branch = branch;
  out.commit_id = state.commit->graph_commit_id.str();
  out.manifest_version = state.commit->manifest_version;
  for (const auto& [key, table] : state.root->tables) {
    TableInfo info;
    info.table_key = key;
    info.table_path = table_path_for(key);
    info.table_version = table.version;
    if (!table.last_branch.empty() && table.last_branch != kMainBranch) {
      info.table_branch = table.last_branch;
    }
    info.row_count = table.row_count;
    out.tables.push_back(std::move(info));
  }
  return out;
}

uint64_t Graph::export_jsonl(std::ostream& out, const std::string& branch,
                             const engine::ExportFilter& filter) {
  State state = impl_->branch_state(branch);
  GraphView view(state.catalog, *state.root, impl_->nodes, impl_->store.refs.get());
  return engine::export_jsonl(view, out, filter);
}

std::shared_ptr<const compiler::Catalog> Graph::catalog(const std::string& branch) {
  return impl_->branch_state(branch).catalog;
}

void Graph::set_policy(std::shared_ptr<const policy::Policy> policy) {
  std::lock_guard lock(impl_->mutex);
  impl_->policy = std::move(policy);
}

}  // namespace omnigraph
