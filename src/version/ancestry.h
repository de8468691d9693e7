// Queries over the commit DAG: ancestor walks, history, ancestor tests and
// merge bases. All of them use the generation number stored in each commit
// (an ancestor's is always smaller) to stop as soon as the answer is known,
// so their cost follows the part of the DAG that matters, not its depth.
#pragma once

#include <cstddef>
#include <optional>
#include <queue>
#include <unordered_set>
#include <vector>

#include "version/commit_store.h"

namespace omnigraph::version {

struct CommitEntry {
  Hash hash;
  CommitPtr commit;
};

// Every commit reachable from `starts` (the starts included), each once,
// newest first: by time, then generation, then hash (so the order is fixed
// even when clocks disagree). Lazy: reads commits as it goes.
class AncestorWalk {
 public:
  AncestorWalk(CommitStore& commits, const std::vector<Hash>& starts);
  std::optional<CommitEntry> next();

 private:
  struct Newer {
    bool operator()(const CommitEntry& a, const CommitEntry& b) const;
  };
  void push(const Hash& hash);

  CommitStore& commits_;
  std::priority_queue<CommitEntry, std::vector<CommitEntry>, Newer> queue_;
  std::unordered_set<Hash, HashHasher> seen_;
};

// `head`, its first parent, that one's first parent, ... (at most `limit`).
std::vector<CommitEntry> first_parent_history(CommitStore& commits, const Hash& head,
                                              size_t limit = static_cast<size_t>(-1));

// True when `ancestor` is `descendant` or reachable from it.
bool is_ancestor(CommitStore& commits, const Hash& ancestor, const Hash& descendant);

// The best common ancestors of `a` and `b`: common ancestors that are not
// ancestors of another common ancestor. Usually one; criss-cross merges can
// give several; unrelated histories give none. Sorted by the tie-break
// order: highest generation, then latest time, then smallest hash.
std::vector<Hash> merge_bases(CommitStore& commits, const Hash& a, const Hash& b);
// The first of merge_bases(), or nullopt when the histories are unrelated.
std::optional<Hash> merge_base(CommitStore& commits, const Hash& a, const Hash& b);

}  // namespace omnigraph::version
