// diff and three-way merge against naive std::map versions.
#include <gtest/gtest.h>

#include <set>

#include "prolly/boundary.h"
#include "prolly/counting_chunk_store.h"
#include "prolly/diff.h"
#include "prolly/merge.h"
#include "prolly/tree.h"
#include "test_util.h"

namespace omnigraph::prolly {
namespace {

using testing::Model;

// Randomly perturbs a model: updates, deletes and inserts of `changes` keys.
Model mutate(const Model& base, std::mt19937_64& rng, size_t changes, int key_space) {
  Model m = base;
  for (size_t i = 0; i < changes; ++i) {
    int what = static_cast<int>(rng() % 3);
    if (what == 0 || m.empty()) {
      m[testing::random_key(rng, key_space)] = testing::random_value(rng, 80);
    } else {
      auto it = m.lower_bound(testing::random_key(rng, key_space));
      if (it == m.end()) it = m.begin();
      if (what == 1) {
        it->second = testing::random_value(rng, 80);
      } else {
        m.erase(it);
      }
    }
  }
  return m;
}

Model random_model(std::mt19937_64& rng, size_t n, int key_space) {
  Model m;
  for (size_t i = 0; i < n; ++i)
    m[testing::random_key(rng, key_space)] = testing::random_value(rng, 80);
  return m;
}

TEST(ProllyDiff, MatchesNaiveDiffOnRandomPairs) {
  const uint64_t seed = testing::test_seed();
  SCOPED_TRACE(testing::seed_note(seed));
  std::mt19937_64 rng(seed);
  auto chunks = store::make_memory_chunk_store();
  NodeStore nodes(*chunks);
  const int rounds = testing::scaled(60, 12);
  for (int r = 0; r < rounds; ++r) {
    SCOPED_TRACE("round " + std::to_string(r));
    const int key_space = 200000;
    Model a, b;
    switch (r % 5) {
      case 0:  // sharing most content
      case 1:
        a = random_model(rng, 1 + rng() % 30000, key_space);
        b = mutate(a, rng, rng() % 200, key_space);
        break;
      case 2:  // different heights: a small tree against a big one
        a = random_model(rng, rng() % 50, key_space);
        b = random_model(rng, 20000 + rng() % 10000, key_space);
        if (rng() % 2) std::swap(a, b);
        break;
      case 3:  // a subset: b is a slice of a
      {
        a = random_model(rng, 10000 + rng() % 10000, key_space);
        auto lo = a.lower_bound(testing::random_key(rng, key_space));
        b = Model(lo, a.end());
        break;
      }
      default:  // unrelated trees, or an empty side
        a = random_model(rng, rng() % 8000, key_space);
        b = rng() % 3 == 0 ? Model{} : random_model(rng, rng() % 8000, key_space);
        break;
    }
    Tree ta = Tree::build(nodes, testing::to_entries(a));
    // Build b incrementally from a, so shared subtrees come from edits.
    std::vector<Edit> edits;
    for (const DiffEntry& d : testing::naive_diff(a, b)) edits.push_back(Edit{d.key, d.to});
    Tree tb = ta.apply(edits);
    ASSERT_EQ(tb.root(), Tree::build(nodes, testing::to_entries(b)).root());
    ASSERT_EQ(diff_all(nodes, ta.root(), tb.root()), testing::naive_diff(a, b));
    ASSERT_EQ(diff_all(nodes, tb.root(), ta.root()), testing::naive_diff(b, a));
  }
  EXPECT_TRUE(diff_all(nodes, Hash{}, Hash{}).empty());
}

TEST(ProllyDiff, SkipsSharedSubtrees) {
  std::mt19937_64 rng(3);
  auto mem = store::make_memory_chunk_store();
  Model a;
  for (int i = 0; i < 100000; ++i)
    a["key" + std::to_string(rng())] = testing::random_value(rng, 100);
  NodeStore build_nodes(*mem);
  Tree ta = Tree::build(build_nodes, testing::to_entries(a));
  std::vector<Edit> edits;
  for (int i = 0; i < 10; ++i) edits.push_back(Edit::put("key" + std::to_string(rng()), "new"));
  normalize_edits(edits);
  Tree tb = ta.apply(edits);
  // Count chunk reads with a cold cache: only the changed paths are opened.
  CountingChunkStore counting(*mem);
  NodeStore nodes(counting);
  auto d = diff_all(nodes, ta.root(), tb.root());
  EXPECT_EQ(d.size(), 10u);
  EXPECT_LE(counting.chunks_got(), static_cast<uint64_t>(2 * 10 * (ta.height() + 2)));
}

// Naive three-way merge with the same contract as prolly::merge.
struct NaiveMerge {
  Model merged;
  std::vector<Conflict> conflicts;
};

NaiveMerge naive_merge(const Model& base, const Model& ours, const Model& theirs,
                       const Resolver& resolve) {
  auto get = [](const Model& m, const std::string& k) -> std::optional<std::string> {
    auto it = m.find(k);
    return it == m.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  std::set<std::string> keys;
  for (const Model* m : {&base, &ours, &theirs}) {
    for (const auto& [k, v] : *m) keys.insert(k);
  }
  NaiveMerge out;
  for (const std::string& k : keys) {
    auto b = get(base, k), o = get(ours, k), t = get(theirs, k);
    std::optional<std::string> result;
    if (o == t) {
      result = o;
    } else if (o == b) {
      result = t;
    } else if (t == b) {
      result = o;
    } else {
      Resolution r = resolve ? resolve(k, b, o, t) : Resolution::conflict();
      if (r.kind == Resolution::Kind::kValue) {
        result = r.value;
      } else if (r.kind == Resolution::Kind::kDelete) {
        result = std::nullopt;
      } else {
        out.conflicts.push_back(Conflict{k, b, o, t});
        result = o;
      }
    }
    if (result) out.merged[k] = *result;
  }
  return out;
}

TEST(ProllyMerge, MatchesNaiveThreeWayMerge) {
  const uint64_t seed = testing::test_seed();
  SCOPED_TRACE(testing::seed_note(seed));
  std::mt19937_64 rng(seed);
  auto chunks = store::make_memory_chunk_store();
  NodeStore nodes(*chunks);
  // Resolves some divergent changes and leaves the rest as conflicts.
  Resolver resolver = [](std::string_view key, const std::optional<std::string>& base,
                         const std::optional<std::string>& ours,
                         const std::optional<std::string>& theirs) -> Resolution {
    uint64_t h = key_hash(key, 1) % 4;
    if (h == 0 && ours && theirs) return Resolution::use(*ours + "|" + *theirs);
    if (h == 1) return Resolution::remove();
    if (h == 2 && base) return Resolution::use(*base);
    return Resolution::conflict();
  };
  const int rounds = testing::scaled(50, 10);
  int conflicts_seen = 0;
  for (int r = 0; r < rounds; ++r) {
    SCOPED_TRACE("round " + std::to_string(r));
    const int key_space = 5000 + static_cast<int>(rng() % 50000);
    Model base = random_model(rng, rng() % 15000, key_space);
    Model ours = mutate(base, rng, rng() % 400, key_space);
    Model theirs = mutate(base, rng, rng() % 400, key_space);
    // Shared changes: the same edit made on both sides is not a conflict.
    for (int i = 0; i < 20; ++i) {
      std::string k = testing::random_key(rng, key_space);
      if (rng() % 3 == 0) {
        ours.erase(k);
        theirs.erase(k);
      } else {
        std::string v = testing::random_value(rng, 40);
        ours[k] = v;
        theirs[k] = v;
      }
    }
    // Deliberate clashes on existing keys: update/update and delete/update.
    for (int i = 0; i < 20 && !base.empty(); ++i) {
      auto it = base.lower_bound(testing::random_key(rng, key_space));
      if (it == base.end()) continue;
      ours[it->first] = "ours" + std::to_string(i);
      if (rng() % 2) {
        theirs[it->first] = "theirs" + std::to_string(i);
      } else {
        theirs.erase(it->first);
      }
    }
    Tree tb = Tree::build(nodes, testing::to_entries(base));
    auto edits_to = [&](const Model& m) {
      std::vector<Edit> e;
      for (const DiffEntry& d : testing::naive_diff(base, m)) e.push_back(Edit{d.key, d.to});
      return e;
    };
    Tree to = tb.apply(edits_to(ours));
    Tree tt = tb.apply(edits_to(theirs));
    const Resolver& use = r % 4 == 3 ? Resolver() : resolver;  // sometimes no resolver at all
    NaiveMerge want = naive_merge(base, ours, theirs, use);
    MergeResult got = merge(nodes, tb.root(), to.root(), tt.root(), use);
    ASSERT_EQ(got.conflicts, want.conflicts);
    ASSERT_EQ(testing::to_model(Tree(nodes, got.root)), want.merged);
    ASSERT_EQ(got.root, Tree::build(nodes, testing::to_entries(want.merged)).root());
    conflicts_seen += static_cast<int>(got.conflicts.size());
    // Merging is symmetric in content when nothing conflicts.
    if (want.conflicts.empty()) {
      EXPECT_EQ(merge(nodes, tb.root(), tt.root(), to.root(), use).root, got.root);
    }
  }
  EXPECT_GT(conflicts_seen, 0);
}

TEST(ProllyMerge, TrivialCases) {
  auto chunks = store::make_memory_chunk_store();
  NodeStore nodes(*chunks);
  Tree base = Tree::build(nodes, {{"a", "1"}, {"b", "2"}});
  Tree ours = base.apply(std::vector<Edit>{Edit::put("c", "3")});
  Tree theirs = base.apply(std::vector<Edit>{Edit::remove("a")});
  EXPECT_EQ(merge(nodes, base.root(), ours.root(), base.root()).root, ours.root());
  EXPECT_EQ(merge(nodes, base.root(), base.root(), theirs.root()).root, theirs.root());
  EXPECT_EQ(merge(nodes, base.root(), ours.root(), ours.root()).root, ours.root());
  MergeResult both = merge(nodes, base.root(), ours.root(), theirs.root());
  EXPECT_TRUE(both.conflicts.empty());
  EXPECT_EQ(testing::to_model(Tree(nodes, both.root)), (Model{{"b", "2"}, {"c", "3"}}));
  // Both sides deleting everything: the empty tree, no conflict.
  Tree empty(nodes);
  MergeResult gone = merge(nodes, base.root(), empty.root(), empty.root());
  EXPECT_TRUE(gone.root.is_zero());
  // Divergent inserts from an empty base.
  Tree x = empty.apply(std::vector<Edit>{Edit::put("k", "x")});
  Tree y = empty.apply(std::vector<Edit>{Edit::put("k", "y")});
  MergeResult clash = merge(nodes, Hash{}, x.root(), y.root());
  ASSERT_EQ(clash.conflicts.size(), 1u);
  EXPECT_EQ(clash.conflicts[0], (Conflict{"k", std::nullopt, "x", "y"}));
  EXPECT_EQ(clash.root, x.root());  // a conflicted key keeps ours
}

}  // namespace
}  // namespace omnigraph::prolly
