#include "version/ancestry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "common/error.h"
#include "dag_builder.h"

namespace omnigraph::version {
namespace {

using testing::DagBuilder;
using HashSet = std::set<Hash>;

// ---- naive reference: full ancestor sets ----

HashSet naive_ancestors(CommitStore& cs, const Hash& h) {
  HashSet seen = {h};
  std::vector<Hash> stack = {h};
  while (!stack.empty()) {
    Hash x = stack.back();
    stack.pop_back();
    for (const Hash& p : cs.read(x)->parents) {
      if (seen.insert(p).second) stack.push_back(p);
    }
  }
  return seen;
}

std::vector<Hash> naive_merge_bases(CommitStore& cs, const Hash& a, const Hash& b) {
  HashSet anc_a = naive_ancestors(cs, a);
  HashSet anc_b = naive_ancestors(cs, b);
  std::vector<Hash> common;
  std::set_intersection(anc_a.begin(), anc_a.end(), anc_b.begin(), anc_b.end(),
                        std::back_inserter(common));
  std::vector<Hash> best;
  for (const Hash& c : common) {
    bool dominated = false;
    for (const Hash& d : common) {
      if (d != c && naive_ancestors(cs, d).count(c)) {
        dominated = true;
        break;
      }
    }
    if (!dominated) best.push_back(c);
  }
  std::sort(best.begin(), best.end(), [&](const Hash& x, const Hash& y) {
    auto cx = cs.read(x);
    auto cy = cs.read(y);
    if (cx->generation != cy->generation) return cx->generation > cy->generation;
    if (cx->time_us != cy->time_us) return cx->time_us > cy->time_us;
    return x < y;
  });
  return best;
}

// ---- hand-built DAGs ----

TEST(Ancestry, LinearHistory) {
  DagBuilder d;
  Hash a = d.add({});
  Hash b = d.add({a});
  Hash c = d.add({b});
  EXPECT_EQ(merge_bases(d.commits, c, a), std::vector<Hash>{a});
  EXPECT_EQ(merge_bases(d.commits, a, c), std::vector<Hash>{a});
  EXPECT_EQ(merge_base(d.commits, b, c), b);
  EXPECT_EQ(merge_base(d.commits, c, c), c);
  EXPECT_TRUE(is_ancestor(d.commits, a, c));
  EXPECT_TRUE(is_ancestor(d.commits, c, c));
  EXPECT_FALSE(is_ancestor(d.commits, c, a));
  EXPECT_EQ(d.commits.read(a)->generation, 1u);
  EXPECT_EQ(d.commits.read(c)->generation, 3u);

  auto history = first_parent_history(d.commits, c);
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].hash, c);
  EXPECT_EQ(history[1].hash, b);
  EXPECT_EQ(history[2].hash, a);
  EXPECT_EQ(first_parent_history(d.commits, c, 2).size(), 2u);
}

TEST(Ancestry, ForkAndMergeBack) {
  DagBuilder d;
  Hash o = d.add({});
  Hash a1 = d.add({o});
  Hash f1 = d.add({o});
  Hash f2 = d.add({f1});
  Hash m = d.add({a1, f2});  // main merges the feature at f2
  Hash f3 = d.add({f2});
  Hash a2 = d.add({m});
  EXPECT_EQ(merge_bases(d.commits, a1, f2), std::vector<Hash>{o});
  EXPECT_EQ(merge_bases(d.commits, a2, f3), std::vector<Hash>{f2});
  EXPECT_EQ(merge_bases(d.commits, f3, a2), std::vector<Hash>{f2});
  EXPECT_EQ(merge_base(d.commits, m, f2), f2);  // already merged: base is the source
  EXPECT_TRUE(is_ancestor(d.commits, f1, a2));
  EXPECT_FALSE(is_ancestor(d.commits, f3, a2));
  // First-parent history stays on main.
  std::vector<Hash> fp;
  for (auto& e : first_parent_history(d.commits, a2)) fp.push_back(e.hash);
  EXPECT_EQ(fp, (std::vector<Hash>{a2, m, a1, o}));
}

TEST(Ancestry, CrissCrossHasTwoBases) {
  // o is the root; a and b fork from it; m1 = merge(a, b) and
  // m2 = merge(b, a) each merge both sides (a criss-cross).
  DagBuilder d;
  Hash o = d.add({});
  Hash a = d.add({o});
  Hash b = d.add({o});  // later than a
  Hash m1 = d.add({a, b});
  Hash m2 = d.add({b, a});
  std::vector<Hash> bases = merge_bases(d.commits, m1, m2);
  // Both are best: neither is an ancestor of the other. Same generation, so
  // the later one (b) comes first.
  EXPECT_EQ(bases, (std::vector<Hash>{b, a}));
  EXPECT_EQ(merge_bases(d.commits, m2, m1), bases);
  EXPECT_EQ(merge_base(d.commits, m1, m2), b);
  EXPECT_EQ(naive_merge_bases(d.commits, m1, m2), bases);
}

TEST(Ancestry, TieBreakFallsBackToHash) {
  DagBuilder d;
  Hash o = d.add({});
  Hash a = d.add({o}, 500);
  Hash b = d.add({o}, 500);  // same generation, same time
  Hash m1 = d.add({a, b});
  Hash m2 = d.add({b, a});
  std::vector<Hash> bases = merge_bases(d.commits, m1, m2);
  ASSERT_EQ(bases.size(), 2u);
  EXPECT_EQ(bases[0], std::min(a, b));
  EXPECT_EQ(bases[1], std::max(a, b));
}

TEST(Ancestry, UnrelatedHistoriesHaveNoBase) {
  DagBuilder d;
  Hash r1 = d.add({});
  Hash x = d.add({r1});
  Hash r2 = d.add({});
  Hash y = d.add({r2});
  EXPECT_TRUE(merge_bases(d.commits, x, y).empty());
  EXPECT_EQ(merge_base(d.commits, x, y), std::nullopt);
  EXPECT_FALSE(is_ancestor(d.commits, r1, y));
  // Joining them makes both roots bases of a later pair.
  Hash j = d.add({x, y});
  EXPECT_EQ(merge_base(d.commits, j, x), x);
  EXPECT_EQ(merge_bases(d.commits, j, y), std::vector<Hash>{y});
}

TEST(Ancestry, UnknownCommitIsNotFound) {
  DagBuilder d;
  Hash a = d.add({});
  try {
    merge_bases(d.commits, a, Hash::of("nope"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
}

TEST(Ancestry, WalkIsNewestFirstAndVisitsEachOnce) {
  DagBuilder d;
  Hash o = d.add({}, 10);
  Hash a = d.add({o}, 30);
  Hash b = d.add({o}, 20);
  Hash c = d.add({b}, 50);  // clock skew: newer than its merge child
  Hash m = d.add({a, c}, 40);
  Hash lone = d.add({}, 35);
  AncestorWalk walk(d.commits, {m, lone});
  std::vector<Hash> order;
  while (auto e = walk.next()) order.push_back(e->hash);
  EXPECT_EQ(order, (std::vector<Hash>{m, c, lone, a, b, o}));
}

// ---- random DAGs vs the naive reference ----

class RandomDag : public ::testing::TestWithParam<int> {};

TEST_P(RandomDag, MatchesNaiveReference) {
  std::mt19937_64 rng(GetParam());
  const bool small = std::getenv("OG_TEST_SCALE") != nullptr;
  const int n = small ? 80 : 250;
  const int queries = small ? 60 : 200;
  DagBuilder d;
  std::vector<Hash> nodes;
  auto pick = [&](size_t upto) {
    // Mostly recent commits, sometimes far back: long branches.
    std::uniform_int_distribution<size_t> recent(upto > 8 ? upto - 8 : 0, upto - 1);
    std::uniform_int_distribution<size_t> any(0, upto - 1);
    return nodes[rng() % 4 == 0 ? any(rng) : recent(rng)];
  };
  for (int i = 0; i < n; ++i) {
    std::vector<Hash> parents;
    int kind = static_cast<int>(rng() % 100);
    if (!nodes.empty() && kind >= 3) {
      parents.push_back(pick(nodes.size()));
      if (kind >= 65) {
        Hash other = pick(nodes.size());
        if (other != parents[0]) parents.push_back(other);
      }
    }
    // Random times, unrelated to topology, with frequent ties.
    nodes.push_back(d.add(parents, static_cast<int64_t>(rng() % 50)));
  }
  std::uniform_int_distribution<size_t> any(0, nodes.size() - 1);
  int none = 0, several = 0;
  for (int q = 0; q < queries; ++q) {
    Hash a = nodes[any(rng)];
    Hash b = nodes[any(rng)];
    std::vector<Hash> bases = merge_bases(d.commits, a, b);
    ASSERT_EQ(bases, naive_merge_bases(d.commits, a, b)) << "seed " << GetParam() << " query " << q;
    none += bases.empty();
    several += bases.size() > 1;
    HashSet anc_b = naive_ancestors(d.commits, b);
    ASSERT_EQ(is_ancestor(d.commits, a, b), anc_b.count(a) > 0);
  }
  // Shows the DAGs exercise the interesting cases (unrelated roots, criss-crosses).
  RecordProperty("queries_without_base", none);
  RecordProperty("queries_with_several_bases", several);
  // The walk from a few heads yields exactly their ancestors, newest first.
  std::vector<Hash> heads = {nodes[any(rng)], nodes[any(rng)], nodes.back()};
  HashSet expected;
  for (const Hash& h : heads) {
    HashSet s = naive_ancestors(d.commits, h);
    expected.insert(s.begin(), s.end());
  }
  AncestorWalk walk(d.commits, heads);
  HashSet got;
  while (auto e = walk.next()) EXPECT_TRUE(got.insert(e->hash).second) << "visited twice";
  EXPECT_EQ(got, expected);
}

// With clocks that agree with the DAG (a child is never older than its
// parents) the walk is exactly "all ancestors sorted newest first".
TEST_P(RandomDag, WalkOrderWithConsistentClocks) {
  std::mt19937_64 rng(GetParam() * 7919);
  DagBuilder d;
  std::vector<Hash> nodes;
  for (int i = 0; i < 150; ++i) {
    std::vector<Hash> parents;
    if (!nodes.empty() && rng() % 20 != 0) parents.push_back(nodes[rng() % nodes.size()]);
    if (nodes.size() > 1 && rng() % 3 == 0) {
      Hash other = nodes[rng() % nodes.size()];
      if (parents.empty() || other != parents[0]) parents.push_back(other);
    }
    nodes.push_back(d.add(parents));  // strictly increasing times
  }
  std::vector<Hash> heads = {nodes[rng() % nodes.size()], nodes.back()};
  HashSet expected_set;
  for (const Hash& h : heads) {
    HashSet s = naive_ancestors(d.commits, h);
    expected_set.insert(s.begin(), s.end());
  }
  std::vector<Hash> expected(expected_set.begin(), expected_set.end());
  std::sort(expected.begin(), expected.end(), [&](const Hash& x, const Hash& y) {
    return d.commits.read(x)->time_us > d.commits.read(y)->time_us;
  });
  AncestorWalk walk(d.commits, heads);
  std::vector<Hash> got;
  while (auto e = walk.next()) got.push_back(e->hash);
  EXPECT_EQ(got, expected);
}

INSTANTIATE_TEST_SUITE_P(Seeds, RandomDag, ::testing::Range(1, 9));

}  // namespace
}  // namespace omnigraph::version
