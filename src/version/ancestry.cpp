#include "version/ancestry.h"

#include <algorithm>
#include <tuple>
#include <unordered_map>

#include "common/error.h"

namespace omnigraph::version {
namespace {

// A parent must be strictly older in generation; anything else means a
// corrupt or forged chunk, and the early-stopping walks would be wrong.
void check_generation(const Hash& child, const Commit& c, const Hash& parent, const Commit& p) {
  if (p.generation >= c.generation) {
    throw_internal("corrupt commit graph: parent " + parent.hex() + " (generation " +
                   std::to_string(p.generation) + ") of " + child.hex() + " (generation " +
                   std::to_string(c.generation) + ") is not older");
  }
}

}  // namespace

bool AncestorWalk::Newer::operator()(const CommitEntry& a, const CommitEntry& b) const {
  // priority_queue pops the largest; "largest" = newest, smallest hash last.
  return std::tie(a.commit->time_us, a.commit->generation, b.hash) <
         std::tie(b.commit->time_us, b.commit->generation, a.hash);
}

AncestorWalk::AncestorWalk(CommitStore& commits, const std::vector<Hash>& starts)
    : commits_(commits) {
  for (const Hash& h : starts) push(h);
}

void AncestorWalk::push(const Hash& hash) {
  if (!seen_.insert(hash).second) return;
  queue_.push(CommitEntry{hash, commits_.read(hash)});
}

std::optional<CommitEntry> AncestorWalk::next() {
  if (queue_.empty()) return std::nullopt;
  CommitEntry top = queue_.top();
  queue_.pop();
  for (const Hash& p : top.commit->parents) push(p);
  return top;
}

std::vector<CommitEntry> first_parent_history(CommitStore& commits, const Hash& head,
                                              size_t limit) {
  std::vector<CommitEntry> out;
  std::optional<Hash> current = head;
  while (current && out.size() < limit) {
    CommitPtr c = commits.read(*current);
    out.push_back(CommitEntry{*current, c});
    current = c->parents.empty() ? std::nullopt : std::optional<Hash>(c->parents[0]);
  }
  return out;
}

bool is_ancestor(CommitStore& commits, const Hash& ancestor, const Hash& descendant) {
  if (ancestor == descendant) return true;
  const uint64_t floor = commits.read(ancestor)->generation;
  // Depth-first, never below the ancestor's generation: nothing there can
  // lead back up to it.
  std::vector<Hash> stack = {descendant};
  std::unordered_set<Hash, HashHasher> seen = {descendant};
  while (!stack.empty()) {
    Hash h = stack.back();
    stack.pop_back();
    CommitPtr c = commits.read(h);
    for (const Hash& p : c->parents) {
      if (p == ancestor) return true;
      if (!seen.insert(p).second) continue;
      CommitPtr pc = commits.read(p);
      check_generation(h, *c, p, *pc);
      if (pc->generation > floor) stack.push_back(p);
    }
  }
  return false;
}

std::vector<Hash> merge_bases(CommitStore& commits, const Hash& a, const Hash& b) {
  if (a == b) {
    commits.read(a);
    return {a};
  }
  // Paint-down in generation order (as git does with generation numbers):
  // each commit carries which heads reach it (kFromA/kFromB) and whether it
  // lies below an already found common ancestor (kStale). Popping the
  // highest generation first means every descendant in the walk was
  // processed before a commit, so its flags are final when it is popped: a
  // commit reached from both sides and not stale is a best common
  // ancestor. The walk ends when only stale commits remain queued.
  enum : uint8_t { kFromA = 1, kFromB = 2, kStale = 4 };
  struct State {
    CommitPtr commit;
    uint8_t flags = 0;
    bool queued = false;
  };
  std::unordered_map<Hash, State, HashHasher> states;
  using Key = std::pair<uint64_t, Hash>;  // generation, hash
  auto order = [](const Key& x, const Key& y) {
    // Highest generation first; among equals, smallest hash first.
    if (x.first != y.first) return x.first < y.first;
    return x.second > y.second;
  };
  std::priority_queue<Key, std::vector<Key>, decltype(order)> queue(order);
  size_t live = 0;  // queued commits without kStale

  auto add_flags = [&](const Hash& h, uint8_t flags, const Hash* child,
                       const Commit* child_commit) {
    State& st = states[h];
    if ((st.flags | flags) == st.flags) return;
    if (!st.commit) {
      st.commit = commits.read(h);
      if (child) check_generation(*child, *child_commit, h, *st.commit);
    }
    bool was_live = st.queued && !(st.flags & kStale);
    st.flags |= flags;
    if (!st.queued) {
      st.queued = true;
      queue.push({st.commit->generation, h});
      if (!(st.flags & kStale)) ++live;
    } else if (was_live && (st.flags & kStale)) {
      --live;
    }
  };
  add_flags(a, kFromA, nullptr, nullptr);
  add_flags(b, kFromB, nullptr, nullptr);

  std::vector<Hash> result;
  while (live > 0) {
    Hash h = queue.top().second;
    queue.pop();
    State& st = states[h];
    st.queued = false;
    if (!(st.flags & kStale)) --live;
    uint8_t flags = st.flags;
    if ((flags & (kFromA | kFromB)) == (kFromA | kFromB) && !(flags & kStale)) {
      result.push_back(h);
      flags |= kStale;
      st.flags = flags;
    }
    CommitPtr c = st.commit;  // keep alive: `states` may rehash below
    for (const Hash& p : c->parents) add_flags(p, flags, &h, c.get());
  }

  std::sort(result.begin(), result.end(), [&](const Hash& x, const Hash& y) {
    const Commit& cx = *states[x].commit;
    const Commit& cy = *states[y].commit;
    if (cx.generation != cy.generation) return cx.generation > cy.generation;
    if (cx.time_us != cy.time_us) return cx.time_us > cy.time_us;
    return x < y;
  });
  return result;
}

std::optional<Hash> merge_base(CommitStore& commits, const Hash& a, const Hash& b) {
  std::vector<Hash> bases = merge_bases(commits, a, b);
  if (bases.empty()) return std::nullopt;
  return bases.front();
}

}  // namespace omnigraph::version
