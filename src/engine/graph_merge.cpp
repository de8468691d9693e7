// Graph::branch_merge (engine.md §2, DESIGN.md §4 "Merge"): merge base from
// the commit DAG, outcome classification, per-table adoption or row-level
// three-way merge, validation of the candidate, and one merge commit with
// both heads as parents. A refused merge writes nothing a ref can reach.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/graph_impl.h"
#include "engine/graph_root.h"
#include "engine/graph_view.h"
#include "engine/graph_writer.h"
#include "engine/merge_validation.h"
#include "engine/rebase.h"
#include "engine/schema_migrate.h"
#include "engine/schema_planner.h"
#include "engine/table_merge.h"
#include "policy/scope.h"
#include "version/ancestry.h"
#include "version/commit_store.h"

#include "omnigraph/graph.h"

namespace omnigraph {

std::string_view merge_outcome_name(MergeOutcome outcome) {
  switch (outcome) {
    case MergeOutcome::kAlreadyUpToDate: return "already_up_to_date";
    case MergeOutcome::kFastForward: return "fast_forward";
    case MergeOutcome::kMerged: return "merged";
  }
  return "merged";
}

namespace {

constexpr std::string_view kRunRefPrefix = "__run__";

std::string normalize_branch(std::string_view name) {
  const char* space = " \t\r\n\f\v";
  size_t begin = name.find_first_not_of(space);
  if (begin == std::string_view::npos) throw_bad_request("branch name cannot be empty");
  size_t end = name.find_last_not_of(space);
  return std::string(name.substr(begin, end - begin + 1));
}

// `merge conflicts: node:Person:Alice (divergent_update); ...` — the first
// three, then how many more (the reference's summary line).
std::string summarize(const std::vector<MergeConflict>& conflicts) {
  std::string out = "merge conflicts: ";
  size_t shown = std::min<size_t>(conflicts.size(), 3);
  for (size_t i = 0; i < shown; ++i) {
    const MergeConflict& conflict = conflicts[i];
    if (i > 0) out += "; ";
    out += conflict.table_key;
    if (conflict.row_id) out += ":" + *conflict.row_id;
    out += " (" + conflict.kind + ")";
  }
  if (conflicts.size() > shown) {
    out += "; and " + std::to_string(conflicts.size() - shown) + " more";
  }
  return out;
}

[[noreturn]] void throw_merge_conflicts(std::vector<MergeConflict> conflicts) {
  Error error(ErrorCode::kConflict, summarize(conflicts));
  error.with_merge_conflicts(std::move(conflicts));
  throw error;
}

const engine::TableState* find_table(const GraphRoot& root, const std::string& key) {
  auto it = root.tables.find(key);
  return it == root.tables.end() ? nullptr : &it->second;
}

// The source's table as the target takes it over. A main-lineage table is a
// pointer switch; a table a branch last wrote becomes the target's (its
// version moves past both sides so versions stay monotonic on the target).
engine::TableState adopted(const engine::TableState& source, const engine::TableState* target,
                           const std::string& target_branch) {
  engine::TableState out = source;
  bool main_lineage = source.last_branch.empty() || source.last_branch == kMainBranch;
  if (main_lineage || source.last_branch == target_branch) return out;
  out.version = std::max(source.version, target ? target->version : 0) + 1;
  out.last_branch = target_branch;
  return out;
}

struct Candidate {
  GraphRoot root;
  std::shared_ptr<const compiler::Catalog> catalog;
};

// The merged graph root, or throws the row-level conflicts / the validation
// failures (nothing reachable is written either way).
Candidate build_candidate(Graph::Impl& impl, const State& base, const State& source,
                          const State& target, const std::string& target_branch) {
  Candidate out;
  // Schemas differ only when one side applied a schema change. A fast
  // forward (the target has nothing of its own) takes the source's schema
  // with its tables; anything else would mix tables of two schemas.
  out.catalog = target.catalog;
  GraphRoot candidate = *target.root;
  if (source.root->schema != target.root->schema) {
    out.catalog = source.catalog;
    candidate.schema = source.root->schema;
  }

  std::map<std::string, engine::TableDecision> decisions;
  for (const GraphRoot* root : {base.root.get(), source.root.get(), target.root.get()}) {
    for (const auto& entry : root->tables) decisions.emplace(entry.first, engine::TableDecision{});
  }
  std::vector<std::pair<std::string, engine::RowMerge>> merged;
  std::vector<MergeConflict> conflicts;
  for (auto& [key, decision] : decisions) {
    const engine::TableState* base_table = find_table(*base.root, key);
    const engine::TableState* source_table = find_table(*source.root, key);
    const engine::TableState* target_table = find_table(*target.root, key);
    decision = engine::decide_table(base_table, source_table, target_table);
    if (decision == engine::TableDecision::kAdoptSource) {
      if (source_table) {
        candidate.tables[key] = adopted(*source_table, target_table, target_branch);
      } else {
        candidate.tables.erase(key);
      }
    } else if (decision == engine::TableDecision::kMergeRows) {
      engine::TableState empty;
      engine::RowMerge rows = engine::merge_table_rows(
          impl.nodes, key, (base_table ? *base_table : empty).rows,
          (source_table ? *source_table : empty).rows, (target_table ? *target_table : empty).rows);
      conflicts.insert(conflicts.end(), rows.conflicts.begin(), rows.conflicts.end());
      merged.emplace_back(key, std::move(rows));
    }
  }
  if (!conflicts.empty()) throw_merge_conflicts(std::move(conflicts));

  // Row-merged tables go through a writer, which keeps their adjacency and
  // index trees in step and bumps their version for the target branch.
  GraphWriter writer(out.catalog, candidate, impl.nodes);
  for (const auto& [key, rows] : merged) {
    const engine::TableState* target_table = find_table(*target.root, key);
    Hash from = target_table ? target_table->rows : Hash{};
    engine::apply_row_changes(impl.nodes, writer, *out.catalog, key, from, rows.rows);
  }
  out.root = writer.finish(target_branch);

  // Validation looks at what the two sides changed since the base, not at
  // the whole candidate: each side passed the write-time checks on its own,
  // so only their combination can break a constraint, and the cost follows
  // the size of the changes (compatibility.md "Versioning").
  if (out.root != *target.root) {
    engine::TwoSidedChanges changes =
        engine::collect_changes(impl.nodes, *out.catalog, *base.root, *source.root, *target.root);
    if (!changes.a.tables.empty() && !changes.b.tables.empty()) {
      GraphView view(out.catalog, out.root, impl.nodes);
      std::vector<MergeConflict> failures = engine::validate_rebase(view, changes.a, changes.b);
      if (!failures.empty()) throw_merge_conflicts(std::move(failures));
    }
  }
  return out;
}

// Whether two catalogs describe the same tables: the planner finds nothing
// to do between them and every type and property has the same id (so rows
// of one read correctly through the other).
bool equivalent_schemas(const compiler::Catalog& a, const compiler::Catalog& b) {
  if (!engine::plan_schema_change(a, b, false).plan.steps.empty()) return false;
  auto same_ids = [](const auto& x, const auto& y) {
    if (x.type_id != y.type_id || x.properties.size() != y.properties.size()) return false;
    for (const auto& p : x.properties) {
      const compiler::Property* q = y.find_property(p.name);
      if (q == nullptr || q->id != p.id) return false;
    }
    return true;
  };
  for (const auto& t : a.node_types()) {
    const auto* u = b.find_node_type(t.name);
    if (u == nullptr || !same_ids(t, *u)) return false;
  }
  for (const auto& t : a.edge_types()) {
    const auto* u = b.find_edge_type(t.name);
    if (u == nullptr || !same_ids(t, *u)) return false;
  }
  return true;
}

// The three sides of a merge, all under the schema the merge adopts.
struct SchemaSides {
  State base, source, target;
};

// `state` with its tables moved to `schema` (see schema_migrate.h).
State under_schema(Graph::Impl& impl, const State& state, const State& schema,
                   const std::string& branch) {
  if (state.root->schema == schema.root->schema) return state;
  State out = state;
  GraphRoot root =
      engine::migrate_root(impl.nodes, *state.root, *state.catalog, *schema.catalog, branch);
  root.schema = schema.root->schema;
  out.root = std::make_shared<const GraphRoot>(std::move(root));
  out.catalog = schema.catalog;
  return out;
}

// A side that changed the schema since the merge base wins it; the other
// side's (and the base's) rows are read through it. Both sides changing it
// differently is refused, naming the difference.
SchemaSides reconcile_schemas(Graph::Impl& impl, const State& base, const State& source,
                              const State& target, const std::string& source_name,
                              const std::string& target_name) {
  const Hash& b = base.root->schema;
  const Hash& s = source.root->schema;
  const Hash& t = target.root->schema;
  if (s == t && b == s) return {base, source, target};
  const State* winner = &target;
  if (s != t) {
    if (t == b) {
      winner = &source;
    } else if (s != b && !equivalent_schemas(*target.catalog, *source.catalog)) {
      engine::PlannedSchema diff =
          engine::plan_schema_change(*target.catalog, *source.catalog, false);
      std::string detail;
      size_t shown = std::min<size_t>(diff.plan.steps.size(), 3);
      for (size_t i = 0; i < shown; ++i) {
        if (i > 0) detail += "; ";
        detail += engine::render_step(diff.plan.steps[i]);
      }
      if (diff.plan.steps.size() > shown) {
        detail += "; and " + std::to_string(diff.plan.steps.size() - shown) + " more";
      }
      if (detail.empty()) detail = "the same names carry different type or property ids";
      throw_conflict("branch_merge cannot merge '" + source_name + "' into '" + target_name +
                     "': both branches changed the schema since their merge base and the "
                     "schemas differ (" +
                     target_name + " -> " + source_name + ": " + detail +
                     "); apply the same schema change to both first");
    }
  }
  return {under_schema(impl, base, *winner, target_name),
          under_schema(impl, source, *winner, target_name),
          under_schema(impl, target, *winner, target_name)};
}

// Publishes `root` on the target as a merge commit whose parents are the
// target head, then the source head. nullopt when the target moved meanwhile.
std::optional<std::string> publish_merge(Graph::Impl& impl, const std::string& target_branch,
                                         const State& target, const State& source,
                                         const GraphRoot& root,
                                         const std::optional<std::string>& actor) {
  std::string encoded = engine::encode_graph_root(root);
  Hash root_hash = Hash::of(encoded);
  impl.store.chunks->put_many({store::Chunk{root_hash, std::move(encoded)}});
  version::Commit commit;
  commit.root = root_hash;
  commit.parents = {target.commit_hash, source.commit_hash};
  commit.actor = actor;
  commit.time_us = version::now_us();
  commit.branch = target_branch;
  commit.graph_commit_id = Ulid::generate();
  // A merge that changed no table keeps the manifest version (§2.8).
  commit.manifest_version = target.commit->manifest_version + (root == *target.root ? 0 : 1);
  if (!impl.commits.try_publish(commit, target.commit_hash)) return std::nullopt;
  return commit.graph_commit_id.str();
}

}  // namespace

MergeResult Graph::branch_merge(const std::string& source_name, const std::string& target_name,
                                std::optional<std::string> actor) {
  std::string source = normalize_branch(source_name);
  std::string target = normalize_branch(target_name);
  impl_->enforce(actor, policy::scope_for(policy::Operation::kBranchMerge, source, target));
  if (source.starts_with(kRunRefPrefix) || target.starts_with(kRunRefPrefix)) {
    throw_bad_request("branch_merge does not allow internal run refs ('" + source + "' -> '" +
                      target + "')");
  }
  if (source == target) {
    throw_bad_request("branch_merge requires distinct source and target branches");
  }

  MergeResult result;
  result.source = source;
  result.target = target;
  std::lock_guard write_lock(impl_->write_mutex);
  for (int attempt = 0; attempt < kMaxPublishAttempts; ++attempt) {
    State source_head = impl_->branch_state(source);
    State target_head = impl_->branch_state(target);
    if (source_head.commit_hash == target_head.commit_hash) {
      result.outcome = MergeOutcome::kAlreadyUpToDate;
      return result;
    }
    std::optional<Hash> base_hash =
        version::merge_base(impl_->commits, source_head.commit_hash, target_head.commit_hash);
    if (!base_hash) throw_bad_request("branches have no common ancestor");
    if (*base_hash == source_head.commit_hash) {
      result.outcome = MergeOutcome::kAlreadyUpToDate;
      return result;
    }
    bool fast_forward = *base_hash == target_head.commit_hash;
    State base = impl_->state_at(*base_hash);
    SchemaSides sides = reconcile_schemas(*impl_, base, source_head, target_head, source, target);
    Candidate candidate = build_candidate(*impl_, sides.base, sides.source, sides.target, target);
    auto commit_id = publish_merge(*impl_, target, target_head, source_head, candidate.root, actor);
    if (!commit_id) continue;  // the target moved: merge again from its new head
    result.outcome = fast_forward ? MergeOutcome::kFastForward : MergeOutcome::kMerged;
    result.commit_id = std::move(*commit_id);
    return result;
  }
  throw_conflict("branch '" + target + "' kept moving; gave up after " +
                 std::to_string(kMaxPublishAttempts) + " attempts");
}

}  // namespace omnigraph
