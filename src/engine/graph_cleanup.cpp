// Graph::cleanup: retention plus mark-and-sweep garbage collection over the
// chunk store. Everything a graph stores is reachable from its refs:
//   branch/<b> and commit-id/<ulid> -> commit chunk -> parent commits and the
//   graph root chunk -> the schema chunk and, per table, the rows, adjacency
//   and index prolly trees (nodes are chunks; internal nodes name children).
// Cleanup marks commits (all of them: history is kept), marks the data of
// the commits the retention rule keeps, and removes every unmarked chunk.
// Any ref or chunk it does not understand aborts it before anything is
// removed, so a chunk kind added later cannot be collected by mistake.
#include <algorithm>
#include <limits>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/error.h"
#include "engine/graph_impl.h"
#include "omnigraph/graph.h"
#include "prolly/node.h"
#include "version/ancestry.h"
#include "version/commit_store.h"

namespace omnigraph {
namespace {

using HashSet = std::unordered_set<Hash, HashHasher>;

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

// Marks a graph root and everything it names. A root already removed by an
// earlier cleanup is skipped: that commit was pruned then.
void mark_root(store::ChunkStore& chunks, const Hash& root_hash, HashSet& marked) {
  if (marked.count(root_hash) > 0) return;
  auto chunk = chunks.get(root_hash);
  if (!chunk) return;
  marked.insert(root_hash);
  engine::GraphRoot root = engine::decode_graph_root(*chunk);
  marked.insert(root.schema);
  for (const auto& [key, table] : root.tables) {
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
  for (const auto& [name, hash] : impl.store.refs->list("")) {
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
      mark_root(chunks, commit->root, marked);
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
