// Basic operations and edge cases of prolly trees.
#include "prolly/tree.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "prolly/counting_chunk_store.h"
#include "prolly/tree_builder.h"
#include "test_util.h"

namespace omnigraph::prolly {
namespace {

using testing::Model;

class TreeTest : public ::testing::Test {
 protected:
  std::unique_ptr<store::ChunkStore> chunks_ = store::make_memory_chunk_store();
  NodeStore nodes_{*chunks_};

  Tree build(const Model& m) { return Tree::build(nodes_, testing::to_entries(m)); }

  // Full check of every read operation against the model.
  void expect_matches(const Tree& t, const Model& m) {
    EXPECT_EQ(t.count(), m.size());
    EXPECT_EQ(testing::to_model(t), m);
    uint64_t i = 0;
    for (const auto& [k, v] : m) {
      EXPECT_EQ(t.get(k), v) << "key " << k;
      EXPECT_EQ(t.rank(k), i);
      auto e = t.select(i);
      ASSERT_TRUE(e);
      EXPECT_EQ(e->first, k);
      ++i;
    }
    EXPECT_FALSE(t.select(m.size()));
  }
};

TEST_F(TreeTest, EmptyTree) {
  Tree t(nodes_);
  EXPECT_TRUE(t.empty());
  EXPECT_TRUE(t.root().is_zero());
  EXPECT_EQ(t.count(), 0u);
  EXPECT_EQ(t.height(), 0);
  EXPECT_EQ(t.get("a"), std::nullopt);
  EXPECT_EQ(t.get(""), std::nullopt);
  EXPECT_EQ(t.rank("zzz"), 0u);
  EXPECT_FALSE(t.select(0));
  EXPECT_FALSE(t.cursor().valid());
  EXPECT_TRUE(t.entries().empty());
  EXPECT_TRUE(Tree::build(nodes_, {}).root().is_zero());
  // Deleting from the empty tree keeps it empty; an empty batch is a no-op.
  EXPECT_TRUE(t.apply(std::vector<Edit>{Edit::remove("a")}).root().is_zero());
  EXPECT_TRUE(t.apply(std::vector<Edit>{}).root().is_zero());
}

TEST_F(TreeTest, SingleEntry) {
  Tree t = Tree(nodes_).apply(std::vector<Edit>{Edit::put("only", "value")});
  EXPECT_FALSE(t.empty());
  EXPECT_EQ(t.height(), 1);
  expect_matches(t, {{"only", "value"}});
  EXPECT_EQ(t.get("onl"), std::nullopt);
  EXPECT_EQ(t.get(std::string("only\0", 5)), std::nullopt);
  EXPECT_EQ(t.rank("a"), 0u);
  EXPECT_EQ(t.rank("p"), 1u);
  EXPECT_EQ(t.root(), build({{"only", "value"}}).root());
  // Delete it again: back to the zero hash.
  Tree e = t.apply(std::vector<Edit>{Edit::remove("only")});
  EXPECT_TRUE(e.root().is_zero());
}

TEST_F(TreeTest, EmptyKeyAndEmptyValue) {
  Model m{{"", "empty key"}, {"a", ""}, {std::string("\0", 1), "nul"}};
  Tree t = build(m);
  expect_matches(t, m);
}

TEST_F(TreeTest, DeletingEverythingReturnsZeroHash) {
  std::mt19937_64 rng(7);
  Model m;
  for (int i = 0; i < 20000; ++i)
    m[testing::random_key(rng, 1000000)] = testing::random_value(rng, 100);
  Tree t = build(m);
  ASSERT_GE(t.height(), 3);
  std::vector<Edit> all;
  for (const auto& [k, v] : m) all.push_back(Edit::remove(k));
  EXPECT_TRUE(t.apply(all).root().is_zero());
  // In two halves, too: the first leaves a smaller, canonical tree.
  std::vector<Edit> first(all.begin(), all.begin() + all.size() / 2);
  std::vector<Edit> second(all.begin() + all.size() / 2, all.end());
  Tree half = t.apply(first);
  Model rest(std::next(m.begin(), m.size() / 2), m.end());
  EXPECT_EQ(half.root(), build(rest).root());
  EXPECT_TRUE(half.apply(second).root().is_zero());
}

TEST_F(TreeTest, KeysThatArePrefixesAndBinaryKeys) {
  Model m;
  std::string k;
  for (int i = 0; i < 300; ++i) {
    k.push_back(static_cast<char>(i % 3 == 0 ? '\0' : 'a' + i % 26));
    m[k] = "v" + std::to_string(i);
  }
  for (int i = 0; i < 256; ++i) {
    m[std::string(1, static_cast<char>(i))] = "byte";
    m[std::string(3, static_cast<char>(i))] = "bytes";
  }
  m[std::string("\0\0\0\0", 4)] = "zeros";
  Tree t = build(m);
  expect_matches(t, m);
  // Seek lands between a key and its extensions.
  Cursor c = t.cursor();
  c.seek(std::string("a\0", 2));
  ASSERT_TRUE(c.valid());
  EXPECT_EQ(c.key(), m.lower_bound(std::string("a\0", 2))->first);
  // Incremental edits on such keys agree with the bulk build.
  std::vector<Edit> edits;
  for (auto it = m.begin(); it != m.end(); std::advance(it, 1)) {
    if (it->first.size() % 2 == 0) edits.push_back(Edit::remove(it->first));
  }
  Tree t2 = t.apply(edits);
  testing::apply_to_model(m, edits);
  EXPECT_EQ(t2.root(), build(m).root());
  expect_matches(t2, m);
}

TEST_F(TreeTest, HugeValues) {
  std::mt19937_64 rng(11);
  Model m;
  for (int i = 0; i < 40; ++i) {
    std::string v(100 * 1024 + i, static_cast<char>('a' + i % 26));
    v[rng() % v.size()] = 'X';
    m["huge" + std::to_string(i)] = v;
  }
  for (int i = 0; i < 500; ++i) m["small" + std::to_string(i)] = "s";
  Tree t = build(m);
  expect_matches(t, m);
  // Update and delete huge values incrementally.
  std::vector<Edit> edits{Edit::put("huge10", std::string(150 * 1024, 'z')), Edit::remove("huge20"),
                          Edit::put("huge3", "now small")};
  normalize_edits(edits);
  Tree t2 = t.apply(edits);
  testing::apply_to_model(m, edits);
  EXPECT_EQ(t2.root(), build(m).root());
  expect_matches(t2, m);
}

TEST_F(TreeTest, HugeKeysStillFormATree) {
  // Keys near the limit would give one-entry internal nodes forever without
  // the two-children rule; the tree must still converge to one root.
  Model m;
  for (int i = 0; i < 60; ++i)
    m[std::string(20000, static_cast<char>('a' + i % 26)) + std::to_string(i)] = "v";
  Tree t = build(m);
  expect_matches(t, m);
  std::vector<Edit> edits{Edit::remove(m.begin()->first)};
  Tree t2 = t.apply(edits);
  testing::apply_to_model(m, edits);
  EXPECT_EQ(t2.root(), build(m).root());
}

TEST_F(TreeTest, RangeScans) {
  Model m;
  for (int i = 0; i < 5000; ++i) m["key" + std::to_string(i * 3)] = std::to_string(i);
  Tree t = build(m);
  auto check = [&](const std::string& lo, std::optional<std::string> hi) {
    std::vector<Entry> want;
    for (auto it = m.lower_bound(lo); it != m.end() && (!hi || it->first < *hi); ++it)
      want.push_back(*it);
    EXPECT_EQ(t.range(lo, hi), want) << "[" << lo << ", " << hi.value_or("inf") << ")";
  };
  check("", std::nullopt);
  check("key1", "key2");
  check("key100", "key100");  // empty
  check("key2", "key1");      // inverted: empty
  check("key4999", std::nullopt);
  check("zzz", std::nullopt);
  check("", "key0");
  check("key0", "key00");
  // Early stop.
  int seen = 0;
  t.scan("", std::nullopt, [&](std::string_view, std::string_view) { return ++seen < 10; });
  EXPECT_EQ(seen, 10);
}

TEST_F(TreeTest, RejectsBadInput) {
  std::vector<Edit> unsorted{Edit::put("b", "1"), Edit::put("a", "2")};
  std::vector<Edit> dup{Edit::put("a", "1"), Edit::remove("a")};
  Tree t = build({{"a", "x"}});
  try {
    t.apply(unsorted);
    FAIL() << "unsorted edits accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
    EXPECT_NE(std::string(e.what()).find("sorted"), std::string::npos);
  }
  EXPECT_THROW(t.apply(dup), Error);
  EXPECT_THROW(t.apply(std::vector<Edit>{Edit::put(std::string(kMaxKeySize + 1, 'k'), "v")}),
               Error);

  TreeBuilder b(nodes_);
  b.add("b", "1");
  EXPECT_THROW(b.add("a", "2"), Error);
  EXPECT_THROW(b.add("b", "2"), Error);

  // normalize_edits makes any batch acceptable: last edit of a key wins.
  std::vector<Edit> messy{Edit::put("c", "1"), Edit::put("a", "1"), Edit::put("c", "2"),
                          Edit::remove("a")};
  normalize_edits(messy);
  ASSERT_EQ(messy.size(), 2u);
  EXPECT_EQ(messy[0].key, "a");
  EXPECT_FALSE(messy[0].value);
  EXPECT_EQ(messy[1].value, "2");
  Tree t2 = t.apply(messy);
  EXPECT_EQ(testing::to_model(t2), (Model{{"c", "2"}}));
}

TEST_F(TreeTest, MissingOrCorruptChunksAreInternalErrors) {
  Tree dangling(nodes_, Hash::of("no such chunk"));
  try {
    dangling.get("a");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInternal);
    EXPECT_NE(std::string(e.what()).find("missing"), std::string::npos);
  }
  Hash junk = chunks_->put("definitely not a node");
  EXPECT_THROW(Tree(nodes_, junk).count(), Error);
  // A truncated real node.
  Tree t = build({{"a", "1"}, {"b", "2"}});
  std::string data = *chunks_->get(t.root());
  Hash cut = chunks_->put(data.substr(0, data.size() - 1));
  EXPECT_THROW(Tree(nodes_, cut).get("a"), Error);
}

TEST_F(TreeTest, NoOpEditsKeepTheRoot) {
  Model m;
  for (int i = 0; i < 3000; ++i) m["k" + std::to_string(i)] = "v" + std::to_string(i);
  Tree t = build(m);
  CountingChunkStore counting(*chunks_);
  NodeStore nodes(counting);
  Tree same(nodes, t.root());
  std::vector<Edit> edits{Edit::put("k10", "v10"), Edit::remove("missing"),
                          Edit::put("k2000", "v2000")};
  normalize_edits(edits);
  uint64_t written = 0;
  EXPECT_EQ(same.apply(edits, &written).root(), t.root());
  EXPECT_EQ(written, 0u);
  EXPECT_EQ(counting.chunks_put(), 0u);
}

TEST_F(TreeTest, SmallEditWritesOnlyItsPath) {
  std::mt19937_64 rng(5);
  Model m;
  for (int i = 0; i < 100000; ++i)
    m["key" + std::to_string(rng())] = testing::random_value(rng, 100);
  Tree t = build(m);
  CountingChunkStore counting(*chunks_);
  NodeStore nodes(counting);
  Tree base(nodes, t.root());
  int height = base.height();
  ASSERT_GE(height, 3);
  uint64_t total = 0;
  const int rounds = 50;
  for (int r = 0; r < rounds; ++r) {
    std::vector<Edit> e{Edit::put("key" + std::to_string(rng()), testing::random_value(rng, 100))};
    counting.reset();
    uint64_t written = 0;
    base.apply(e, &written);
    EXPECT_EQ(written, counting.chunks_put());
    total += written;
    // One leaf plus its ancestors, plus a neighbour or two when a boundary moves.
    EXPECT_LE(written, static_cast<uint64_t>(3 * height));
  }
  EXPECT_LE(total, static_cast<uint64_t>(rounds * (height + 2)));
}

TEST_F(TreeTest, CursorWalksEverything) {
  Model m;
  for (int i = 0; i < 20000; ++i) m[std::to_string(i)] = std::string(i % 50, 'v');
  Tree t = build(m);
  Cursor c = t.cursor();
  auto it = m.begin();
  for (; c.valid(); c.next(), ++it) {
    ASSERT_NE(it, m.end());
    ASSERT_EQ(c.key(), it->first);
    ASSERT_EQ(c.value(), it->second);
  }
  EXPECT_EQ(it, m.end());
  EXPECT_THROW(c.next(), Error);
  c.seek("5");
  ASSERT_TRUE(c.valid());
  EXPECT_EQ(c.key(), "5");
  c.seek("9998x");
  ASSERT_TRUE(c.valid());
  EXPECT_EQ(c.key(), "9999");
  c.next();
  EXPECT_FALSE(c.valid());
  c.seek("99999");  // past the largest key, "9999"
  EXPECT_FALSE(c.valid());
  c.seek_first();
  EXPECT_EQ(c.key(), m.begin()->first);
}

}  // namespace
}  // namespace omnigraph::prolly
