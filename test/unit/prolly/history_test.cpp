// History independence: one entry set, one root hash, whatever the order of
// writes; and the chunking itself keeps node sizes within bounds.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>

#include "prolly/boundary.h"
#include "prolly/tree.h"
#include "test_util.h"

namespace omnigraph::prolly {
namespace {

using testing::Model;

TEST(ProllyHistory, SameEntriesSameRootWhateverTheOrder) {
  const uint64_t seed = testing::test_seed();
  SCOPED_TRACE(testing::seed_note(seed));
  std::mt19937_64 rng(seed);
  const int n = testing::scaled(20000, 3000);
  auto chunks = store::make_memory_chunk_store();
  NodeStore nodes(*chunks);

  Model model;
  while (static_cast<int>(model.size()) < n) {
    model[testing::random_key(rng, 1000000)] = testing::random_value(rng, 120);
  }
  std::vector<Entry> entries = testing::to_entries(model);

  // 1. Bulk build.
  Tree bulk = Tree::build(nodes, entries);
  ASSERT_GE(bulk.height(), testing::small_scale() ? 2 : 3);

  // 2. One edit at a time in random order, with detours: some keys first get
  // a wrong value or are written and deleted again.
  std::vector<Entry> shuffled = entries;
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  Tree single(nodes);
  std::vector<std::string> extra;
  for (const Entry& e : shuffled) {
    if (rng() % 10 == 0) single = single.apply(std::vector<Edit>{Edit::put(e.first, "wrong")});
    if (rng() % 10 == 0) {
      std::string k = e.first + std::string("\0tmp", 4);
      if (!model.count(k)) {
        single = single.apply(std::vector<Edit>{Edit::put(k, "temporary")});
        extra.push_back(k);
      }
    }
    single = single.apply(std::vector<Edit>{Edit::put(e.first, e.second)});
  }
  for (const std::string& k : extra) single = single.apply(std::vector<Edit>{Edit::remove(k)});
  EXPECT_EQ(single.root(), bulk.root());

  // 3. Random batches of random sizes.
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  Tree batched(nodes);
  for (size_t i = 0; i < shuffled.size();) {
    size_t len = 1 + rng() % (rng() % 2 ? 50 : 3000);
    std::vector<Edit> edits;
    for (size_t j = i; j < std::min(shuffled.size(), i + len); ++j) {
      edits.push_back(Edit::put(shuffled[j].first, shuffled[j].second));
    }
    normalize_edits(edits);
    batched = batched.apply(edits);
    i += len;
  }
  EXPECT_EQ(batched.root(), bulk.root());

  // 4. Overshoot and trim: build a superset, then delete the extras in batches.
  Model superset = model;
  std::vector<std::string> extras;
  while (extras.size() < static_cast<size_t>(n / 2)) {
    std::string k = testing::random_key(rng, 1000000) + "+";
    if (superset.emplace(k, "x").second) extras.push_back(k);
  }
  Tree big = Tree::build(nodes, testing::to_entries(superset));
  std::shuffle(extras.begin(), extras.end(), rng);
  for (size_t i = 0; i < extras.size(); i += 997) {
    std::vector<Edit> edits;
    for (size_t j = i; j < std::min(extras.size(), i + 997); ++j)
      edits.push_back(Edit::remove(extras[j]));
    normalize_edits(edits);
    big = big.apply(edits);
  }
  EXPECT_EQ(big.root(), bulk.root());
}

// Walks every node of a tree, level by level.
void collect_nodes(NodeStore& nodes, const Hash& root, std::vector<std::vector<NodePtr>>& levels) {
  std::deque<Hash> queue{root};
  while (!queue.empty()) {
    NodePtr node = nodes.load(queue.front());
    queue.pop_front();
    if (levels.size() <= node->level()) levels.resize(node->level() + 1);
    levels[node->level()].push_back(node);
    if (!node->is_leaf()) {
      for (size_t i = 0; i < node->size(); ++i) queue.push_back(node->child(i));
    }
  }
}

TEST(ProllyHistory, NodeSizesStayNearTheTarget) {
  std::mt19937_64 rng(99);
  auto chunks = store::make_memory_chunk_store();
  NodeStore nodes(*chunks);
  Model model;
  const int n = testing::scaled(200000, 30000);
  while (static_cast<int>(model.size()) < n) {
    model["key" + std::to_string(rng())] = testing::random_value(rng, 200);
  }
  Tree t = Tree::build(nodes, testing::to_entries(model));
  std::vector<std::vector<NodePtr>> levels;
  collect_nodes(nodes, t.root(), levels);
  ASSERT_EQ(static_cast<int>(levels.size()), t.height());
  ASSERT_EQ(levels.back().size(), 1u);  // a single root
  // Leaves: the sum of sizes is the data; the mean is near the target and no
  // node but a level's last is below the minimum or far above the maximum.
  const auto& leaves = levels[0];
  double total = 0;
  size_t last_index = 0;
  for (size_t i = 0; i < leaves.size(); ++i) {
    size_t size = leaves[i]->data().size();
    total += static_cast<double>(size);
    if (leaves[i]->last_key() == model.rbegin()->first) last_index = i;
    EXPECT_LE(size, kMaxNodeBytes + 300);
  }
  for (size_t i = 0; i < leaves.size(); ++i) {
    if (i != last_index) {
      EXPECT_GE(leaves[i]->data().size(), kMinNodeBytes);
    }
  }
  double mean = total / static_cast<double>(leaves.size());
  EXPECT_GT(mean, 2500.0);
  EXPECT_LT(mean, 6000.0);
  // Fan-out of internal nodes is large (short keys, ~45-byte entries).
  if (levels.size() > 1) {
    EXPECT_GT(static_cast<double>(levels[0].size()) / static_cast<double>(levels[1].size()), 30.0);
  }
  // Subtree counts add up.
  EXPECT_EQ(t.count(), model.size());
}

}  // namespace
}  // namespace omnigraph::prolly
