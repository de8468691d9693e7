// Model-based test: random operations on a prolly tree and on a std::map must
// agree at every step, and the edited tree must always equal the bulk build of
// the model's entries (history independence).
#include <gtest/gtest.h>

#include <algorithm>

#include "prolly/tree.h"
#include "test_util.h"

namespace omnigraph::prolly {
namespace {

using testing::Model;

TEST(ProllyModel, RandomOperationsAgreeWithStdMap) {
  const uint64_t seed = testing::test_seed();
  SCOPED_TRACE(testing::seed_note(seed));
  std::mt19937_64 rng(seed);
  const int ops = testing::scaled(12000, 1500);
  const int key_space = 60000;

  auto chunks = store::make_memory_chunk_store();
  // A small cache so evictions happen during the run.
  NodeStore nodes(*chunks, 4 * 1024 * 1024);
  Tree tree(nodes);
  Model model;
  int max_height = 0;
  std::map<std::string, int> op_counts;

  auto existing_key = [&]() -> std::string {
    if (model.empty()) return testing::random_key(rng, key_space);
    auto it = model.lower_bound(testing::random_key(rng, key_space));
    if (it == model.end()) it = model.begin();
    return it->first;
  };
  auto some_key = [&]() {
    return rng() % 2 ? existing_key() : testing::random_key(rng, key_space);
  };

  for (int step = 0; step < ops; ++step) {
    SCOPED_TRACE("step " + std::to_string(step));
    int op = static_cast<int>(rng() % 100);
    if (op < 25) {
      op_counts["put"]++;
      std::string k = some_key();
      std::string v = testing::random_value(rng, 150);
      tree = tree.apply(std::vector<Edit>{Edit::put(k, v)});
      model[k] = v;
    } else if (op < 35) {
      op_counts["delete"]++;
      std::string k = some_key();
      tree = tree.apply(std::vector<Edit>{Edit::remove(k)});
      model.erase(k);
    } else if (op < 47) {
      op_counts["batch"]++;
      // Mostly small batches, sometimes a big one; more puts than deletes so
      // the tree grows to several levels, and now and then a mass delete.
      size_t n = rng() % 10 == 0 ? 500 + rng() % 2500 : 1 + rng() % 60;
      int delete_pct = rng() % 25 == 0 ? 90 : 30;
      std::vector<Edit> edits;
      for (size_t i = 0; i < n; ++i) {
        if (static_cast<int>(rng() % 100) < delete_pct) {
          edits.push_back(Edit::remove(some_key()));
        } else {
          edits.push_back(Edit::put(some_key(), testing::random_value(rng, 150)));
        }
      }
      normalize_edits(edits);
      tree = tree.apply(edits);
      testing::apply_to_model(model, edits);
    } else if (op < 65) {
      op_counts["get"]++;
      std::string k = some_key();
      auto it = model.find(k);
      std::optional<std::string> want =
          it == model.end() ? std::nullopt : std::optional<std::string>(it->second);
      ASSERT_EQ(tree.get(k), want) << "get";
    } else if (op < 78) {
      op_counts["scan"]++;
      std::string lo = some_key();
      std::optional<std::string> hi;
      if (rng() % 4 != 0) hi = some_key();
      std::vector<Entry> want;
      for (auto it = model.lower_bound(lo);
           it != model.end() && (!hi || it->first < *hi) && want.size() < 300; ++it) {
        want.push_back(*it);
      }
      std::vector<Entry> got;
      tree.scan(lo, hi, [&](std::string_view k, std::string_view v) {
        got.emplace_back(std::string(k), std::string(v));
        return got.size() < 300;
      });
      ASSERT_EQ(got, want) << "scan";
    } else if (op < 90) {
      op_counts["count/rank"]++;
      ASSERT_EQ(tree.count(), model.size()) << "count";
      std::string k = some_key();
      uint64_t want = static_cast<uint64_t>(std::distance(model.begin(), model.lower_bound(k)));
      ASSERT_EQ(tree.rank(k), want) << "rank";
    } else {
      op_counts["select"]++;
      uint64_t i = model.empty() ? 0 : rng() % (model.size() + 1);
      auto got = tree.select(i);
      if (i >= model.size()) {
        ASSERT_FALSE(got);
      } else {
        ASSERT_TRUE(got);
        ASSERT_EQ(*got, Entry(*std::next(model.begin(), static_cast<long>(i)))) << "select";
      }
    }
    max_height = std::max(max_height, tree.height());
    if (step % 400 == 399 || step == ops - 1) {
      ASSERT_EQ(tree.count(), model.size());
      ASSERT_EQ(testing::to_model(tree), model) << "full content";
      ASSERT_EQ(tree.root(), Tree::build(nodes, testing::to_entries(model)).root())
          << "edited tree differs from the bulk build of the same entries";
    }
    if (model.empty()) {
      ASSERT_TRUE(tree.root().is_zero());
    }
  }
  // The run must have exercised multi-level trees.
  EXPECT_GE(max_height, testing::small_scale() ? 2 : 3);
  for (const auto& [name, n] : op_counts) EXPECT_GT(n, 0) << name;
}

}  // namespace
}  // namespace omnigraph::prolly
