// Graph::cleanup: retention plus mark-and-sweep garbage collection over the
// chunk store. Everything a graph stores is reachable from its refs:
//   branch/<b> and commit-id/<ulid> -> commit chunk -> parent commits and the
//   graph root chunk -> the schema chunk and, per table, the rows, adjacency
//   and index prolly trees (nodes are chunks; internal nodes name children).
// Cleanup marks commits (all of them: history is kept), marks the data of
// the commits the retention rule keeps, and removes every unmarked chunk.
// Two kinds of refs hang off that data rather than naming commits:
//   schema-purge/<drop commit id>/<type>/<property> -> the commit the hard
//     drop was applied on; it hides data of that commit and its ancestors,
//     so it stays while any of those keeps its data, and goes with them.
//   derived/... (engine/search/derived_store.h) -> persisted search indexes
//     of one rows root; kept with their chunks while a retained commit reads
//     that rows root, removed otherwise.
// Any other ref aborts cleanup before anything is removed, so a chunk kind
// added later cannot be collected by mistake.
#include <algorithm>
#include <limits>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/error.h"
#include "engine/graph_impl.h"
#include "engine/search/derived_store.h"
#include "omnigraph/graph.h"
#include "prolly/node.h"
#include "version/ancestry.h"
#include "version/commit_store.h"

namespace omnigraph {
namespace {

using HashSet = std::unordered_set<Hash, HashHasher>;

constexpr std::string_view kPurgeRefPrefix = "schema-purge/";

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Marks a prolly tree's nodes, skipping subtrees already marked (trees of
// different commits share most of their nodes).
void mark_tree(store::ChunkStore& chunks, const Hash& root, HashSet& marked) {
  std::vector<Hash> pending;
  if (!root.is_zero()) pending.push_back(root);
  while (!pending.empty()) {
    std::vector<Hash> level;
    for (const Hash& h : pending) {
      if (marked.insert(h).second) level.push_back(h);
    }
    pending.clear();
    if (level.empty()) break;
    auto data = chunks.get_many(level);
    for (size_t i = 0; i < level.size(); ++i) {
      if (!data[i]) {
        throw_internal("cleanup: tree node " + level[i].hex() + " is missing; nothing was removed");
      }
      auto node = prolly::Node::decode(level[i], std::move(*data[i]));
      if (node->is_leaf()) continue;
      for (size_t c = 0; c < node->size(); ++c) pending.push_back(node->child(c));
    }
  }
}

// Marks a graph root and everything it names, and collects its tables' rows
// roots (derived indexes are keyed by them). A root already removed by an
// earlier cleanup is skipped: that commit was pruned then.
void mark_root(store::ChunkStore& chunks, const Hash& root_hash, HashSet& marked,
               HashSet& rows_roots) {
  if (marked.count(root_hash) > 0) return;
  auto chunk = chunks.get(root_hash);
  if (!chunk) return;
  marked.insert(root_hash);
  engine::GraphRoot root = engine::decode_graph_root(*chunk);
  marked.insert(root.schema);
  for (const auto& [key, table] : root.tables) {
    if (!table.rows.is_zero()) rows_roots.insert(table.rows);
    mark_tree(chunks, table.rows, marked);
    mark_tree(chunks, table.out_adj, marked);
    mark_tree(chunks, table.in_adj, marked);
    for (const auto& [name, index] : table.indexes) mark_tree(chunks, index, marked);
  }
}

}  // namespace

CleanupStats Graph::cleanup(const CleanupOptions& options) {
  if (!options.keep_versions && !options.older_than) {
    throw_bad_request("cleanup requires at least one of keep_versions or older_than");
  }
  Impl& impl = *impl_;
  // No write of this handle may stage chunks while we sweep.
  std::lock_guard write_lock(impl.write_mutex);
  store::ChunkStore& chunks = *impl.store.chunks;
  version::CommitStore& commits = impl.commits;

  std::vector<Hash> heads;
  std::vector<Hash> starts;
  std::vector<std::pair<std::string, Hash>> purge_refs;
  std::vector<std::pair<std::string, Hash>> derived_refs;
  for (const auto& [name, hash] : impl.store.refs->list("")) {
    if (starts_with(name, kPurgeRefPrefix)) {
      purge_refs.emplace_back(name, hash);
      continue;
    }
    if (starts_with(name, engine::search::kDerivedRefPrefix)) {
      if (!engine::search::parse_derived_ref(name, hash)) {
        throw_internal("cleanup: unknown ref '" + name + "'; nothing was removed");
      }
      derived_refs.emplace_back(name, hash);
      continue;
    }
    if (starts_with(name, version::kBranchRefPrefix)) {
      heads.push_back(hash);
    } else if (!starts_with(name, version::kCommitIdRefPrefix)) {
      throw_internal("cleanup: unknown ref '" + name + "'; nothing was removed");
    }
    starts.push_back(hash);
  }

  // Distance from the nearest branch head along first parents.
  std::unordered_map<Hash, uint64_t, HashHasher> depth;
  for (const Hash& head : heads) {
    Hash at = head;
    for (uint64_t d = 0;; ++d) {
      auto [it, inserted] = depth.try_emplace(at, d);
      if (!inserted) {
        if (it->second <= d) break;  // the rest of this chain is nearer another head
        it->second = d;
      }
      auto commit = commits.read(at);
      if (commit->parents.empty()) break;
      at = commit->parents.front();
    }
  }

  const int64_t cutoff_us =
      options.older_than
          ? version::now_us() -
                std::chrono::duration_cast<std::chrono::microseconds>(*options.older_than).count()
          : 0;
  auto removable = [&](const Hash& hash, const version::Commit& commit) {
    auto it = depth.find(hash);
    const uint64_t d = it == depth.end() ? std::numeric_limits<uint64_t>::max() : it->second;
    if (d == 0) return false;  // a branch head
    const bool beyond_keep = !options.keep_versions || d > *options.keep_versions;
    const bool too_old = !options.older_than || commit.time_us < cutoff_us;
    return beyond_keep && too_old;
  };

  // Three-way merges read the merge base's data: keep it for every pair of
  // branches that could still be merged.
  HashSet keep_data;
  for (size_t i = 0; i < heads.size(); ++i) {
    for (size_t j = i + 1; j < heads.size(); ++j) {
      for (const Hash& base : version::merge_bases(commits, heads[i], heads[j])) {
        keep_data.insert(base);
      }
    }
  }

  // Mark: every commit, and the data of the retained ones.
  CleanupStats stats;
  HashSet marked;
  HashSet visited;
  HashSet retained;  // commits whose data stays
  HashSet rows_roots;
  std::vector<Hash> pending = starts;
  std::vector<Hash> pruned_roots;
  while (!pending.empty()) {
    Hash hash = pending.back();
    pending.pop_back();
    if (!visited.insert(hash).second) continue;
    marked.insert(hash);
    auto commit = commits.read(hash);
    for (const Hash& parent : commit->parents) pending.push_back(parent);
    if (keep_data.count(hash) > 0 || !removable(hash, *commit)) {
      ++stats.commits_retained;
      retained.insert(hash);
      mark_root(chunks, commit->root, marked, rows_roots);
    } else {
      pruned_roots.push_back(commit->root);
    }
  }
  for (const Hash& root : pruned_roots) {
    // A pruned commit whose root another retained commit shares stays readable.
    if (marked.count(root) > 0) {
      ++stats.commits_retained;
    } else {
      ++stats.commits_pruned;
    }
  }

  // A purge ref stays while the commit it was applied on, or an ancestor
  // of it, keeps its data: reads of those commits must still hide the
  // dropped data. Once all of them are pruned the bytes are gone anyway.
  std::vector<store::RefUpdate> removed_refs;
  for (const auto& [name, applied_on] : purge_refs) {
    bool needed = false;
    HashSet seen;
    std::vector<Hash> walk{applied_on};
    while (!walk.empty() && !needed) {
      Hash at = walk.back();
      walk.pop_back();
      if (!seen.insert(at).second) continue;
      if (retained.count(at) > 0) {
        needed = true;
        break;
      }
      auto commit = commits.read(at);
      for (const Hash& parent : commit->parents) walk.push_back(parent);
    }
    if (!needed) removed_refs.push_back({name, applied_on, std::nullopt});
  }

  // Derived indexes of a rows root a retained commit still reads stay (with
  // their chunks); the others go.
  for (const auto& [name, value] : derived_refs) {
    auto ref = engine::search::parse_derived_ref(name, value);
    if (rows_roots.count(ref->rows_root) == 0) {
      removed_refs.push_back({name, value, std::nullopt});
    } else if (!ref->latest) {
      for (const Hash& h : engine::search::derived_image_chunks(chunks, value)) marked.insert(h);
    }
  }
  // Refs go before their chunks: a ref never names a removed chunk. A ref
  // that changed meanwhile (a derived index re-persisted) is left alone.
  for (const auto& update : removed_refs) {
    if (impl.store.refs->compare_and_delete(update.name, *update.expected)) ++stats.refs_removed;
  }

  // Sweep.
  std::vector<Hash> garbage;
  chunks.for_each_chunk([&](const Hash& hash, size_t size) {
    ++stats.chunks_scanned;
    if (marked.count(hash) > 0) return;
    garbage.push_back(hash);
    stats.bytes_removed += size;
  });
  stats.chunks_removed = garbage.size();
  chunks.erase_many(garbage);
  {
    std::lock_guard lock(impl.mutex);
    impl.roots.clear();
  }
  return stats;
}

}  // namespace omnigraph
