// Node encoding, search and the node cache.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "common/error.h"
#include "prolly/boundary.h"
#include "prolly/level_writer.h"
#include "prolly/node.h"
#include "prolly/node_cache.h"
#include "test_util.h"

namespace omnigraph::prolly {
namespace {

// Encodes one leaf with exactly these (sorted) keys.
NodePtr make_leaf(const std::vector<std::string>& keys) {
  std::vector<WrittenNode> out;
  LevelWriter w(0, [&](WrittenNode&& n) { out.push_back(std::move(n)); });
  for (const std::string& k : keys) EXPECT_TRUE(w.add(k, "v" + k, 1));
  w.flush();
  EXPECT_EQ(out.size(), 1u) << "test keys must fit one node";
  return Node::decode(out[0].hash, out[0].chunk);
}

TEST(ProllyNode, RoundTripsLeafAndInternalNodes) {
  NodePtr leaf = make_leaf({"a", "ab", "b"});
  EXPECT_EQ(leaf->level(), 0);
  ASSERT_EQ(leaf->size(), 3u);
  EXPECT_EQ(leaf->key(1), "ab");
  EXPECT_EQ(leaf->value(1), "vab");
  EXPECT_EQ(leaf->total_count(), 3u);
  EXPECT_EQ(Hash::of(leaf->data()), leaf->hash());

  std::vector<WrittenNode> out;
  LevelWriter w(1, [&](WrittenNode&& n) { out.push_back(std::move(n)); });
  EXPECT_TRUE(w.add("m", leaf->hash().raw(), 3));
  EXPECT_FALSE(w.add("m", leaf->hash().raw(), 3));  // not greater: refused
  EXPECT_TRUE(w.add("z", Hash::of("x").raw(), 1000000));
  w.flush();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].count, 1000003u);
  EXPECT_EQ(out[0].last_key, "z");
  NodePtr internal = Node::decode(out[0].hash, out[0].chunk);
  EXPECT_EQ(internal->level(), 1);
  EXPECT_EQ(internal->child(0), leaf->hash());
  EXPECT_EQ(internal->subtree_count(1), 1000000u);
  EXPECT_EQ(internal->count_before(1), 3u);
  EXPECT_EQ(internal->total_count(), 1000003u);
}

TEST(ProllyNode, LowerBoundMatchesStd) {
  std::mt19937_64 rng(21);
  for (int round = 0; round < 300; ++round) {
    // Keys sharing a long prefix (so the probe path is used), some with
    // zero bytes and prefixes of one another.
    std::string prefix(rng() % 20, 'p');
    if (!prefix.empty() && rng() % 2) prefix[rng() % prefix.size()] = '\0';
    std::set<std::string> set;
    size_t n = 1 + rng() % 40;
    while (set.size() < n)
      set.insert(prefix + testing::random_key(rng, 50) + std::string(rng() % 3, '\0'));
    std::vector<std::string> keys(set.begin(), set.end());
    // One node whatever the boundary rule says: encoded by hand.
    std::string chunk{static_cast<char>(kNodeFormat), '\0'};
    put_varint(chunk, keys.size());
    for (size_t i = 0; i < keys.size(); ++i) {
      size_t shared = 0;
      while (i > 0 && shared < keys[i - 1].size() && shared < keys[i].size() &&
             keys[i - 1][shared] == keys[i][shared]) {
        ++shared;
      }
      put_varint(chunk, shared);
      put_varint(chunk, keys[i].size() - shared);
      chunk += keys[i].substr(shared);
      put_varint(chunk, 1);
      chunk += "v";
    }
    NodePtr node = Node::decode(Hash::of(chunk), chunk);
    for (int q = 0; q < 60; ++q) {
      std::string probe;
      switch (rng() % 4) {
        case 0: probe = keys[rng() % keys.size()]; break;
        case 1: probe = prefix + testing::random_key(rng, 50); break;
        case 2: probe = prefix.substr(0, rng() % (prefix.size() + 1)); break;
        default: probe = testing::random_key(rng, 50); break;
      }
      if (rng() % 3 == 0) probe.push_back(static_cast<char>(rng() % 3));
      size_t want = std::lower_bound(keys.begin(), keys.end(), probe) - keys.begin();
      ASSERT_EQ(node->lower_bound(probe), want) << "probe of " << probe.size() << " bytes";
    }
  }
}

TEST(ProllyNode, RejectsMalformedChunks) {
  NodePtr good = make_leaf({"a", "b"});
  const std::string& d = good->data();
  auto bad = [](std::string data) {
    try {
      Node::decode(Hash::of(data), data);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInternal);
      EXPECT_NE(std::string(e.what()).find("corrupt prolly node"), std::string::npos);
      return true;
    }
    return false;
  };
  EXPECT_TRUE(bad(""));
  EXPECT_TRUE(bad("x" + d.substr(1)));          // wrong format byte
  EXPECT_TRUE(bad(d.substr(0, d.size() - 1)));  // truncated
  EXPECT_TRUE(bad(d + "z"));                    // trailing bytes
  std::string no_entries = d.substr(0, 2) + std::string(1, '\0');
  EXPECT_TRUE(bad(no_entries));
  // Keys out of order: swap the two single-byte keys.
  std::string swapped = d;
  size_t ia = swapped.find('a'), ib = swapped.find('b');
  std::swap(swapped[ia], swapped[ib]);
  EXPECT_TRUE(bad(swapped));
  EXPECT_FALSE(bad(d));
}

// A chunk in the earlier whole-key format, written by hand.
std::string plain_leaf(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string body;
  for (const auto& [key, value] : entries) {
    put_varint(body, key.size());
    body += key;
    put_varint(body, value.size());
    body += value;
  }
  std::string chunk{static_cast<char>(kPlainNodeFormat), '\0'};
  put_varint(chunk, entries.size());
  return chunk + body;
}

TEST(ProllyNode, SharesKeyPrefixesWithThePreviousKey) {
  const std::string common(30, 'k');
  std::vector<std::string> keys;
  for (char c = 'a'; c <= 'j'; ++c) keys.push_back(common + c);
  NodePtr node = make_leaf(keys);
  ASSERT_EQ(node->size(), keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(node->key(i), keys[i]);
    EXPECT_EQ(node->value(i), "v" + keys[i]);
  }
  // The common prefix is stored once (in the first key), not ten times; each
  // key pays one byte for its shared length.
  std::vector<std::pair<std::string, std::string>> entries;
  for (const std::string& key : keys) entries.emplace_back(key, "v" + key);
  EXPECT_EQ(node->data().size(),
            plain_leaf(entries).size() - (keys.size() - 1) * common.size() + keys.size());
  EXPECT_EQ(node->data()[0], static_cast<char>(kNodeFormat));
}

TEST(ProllyNode, ReadsTheWholeKeyFormat) {
  std::string chunk = plain_leaf({{"apple", "1"}, {"apricot", "2"}, {"banana", "3"}});
  NodePtr node = Node::decode(Hash::of(chunk), chunk);
  ASSERT_EQ(node->size(), 3u);
  EXPECT_EQ(node->key(1), "apricot");
  EXPECT_EQ(node->value(2), "3");
  EXPECT_EQ(node->lower_bound("apr"), 1u);
  EXPECT_EQ(node->lower_bound("c"), 3u);
}

TEST(ProllyNode, RejectsASharedPrefixLongerThanThePreviousKey) {
  std::string chunk{static_cast<char>(kNodeFormat), '\0'};
  put_varint(chunk, 2);
  chunk += std::string("\0\1a\1v", 5);  // "a" -> "v"
  chunk += std::string("\2\1b\1w", 5);  // shares 2 bytes of a 1-byte key
  try {
    Node::decode(Hash::of(chunk), chunk);
    FAIL() << "decoded a node whose key shares more than the previous key holds";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("shared key prefix"), std::string::npos) << e.what();
  }
}

TEST(ProllyNode, BoundaryRule) {
  // Below the minimum never, at the maximum always; internal levels need two entries.
  EXPECT_FALSE(is_boundary(0, "k", 0, kMinNodeBytes - 1, 5));
  EXPECT_TRUE(is_boundary(0, "k", kMaxNodeBytes - 10, kMaxNodeBytes, 5));
  EXPECT_FALSE(is_boundary(1, "k", 0, kMaxNodeBytes * 2, 1));
  EXPECT_TRUE(is_boundary(1, "k", 0, kMaxNodeBytes * 2, 2));
  // Depends on the level (seed): over many keys the levels disagree somewhere.
  int differ = 0;
  for (int i = 0; i < 2000; ++i) {
    std::string k = "key" + std::to_string(i);
    differ += is_boundary(0, k, 4000, 4100, 30) != is_boundary(1, k, 4000, 4100, 30);
  }
  EXPECT_GT(differ, 0);
  EXPECT_NE(key_hash("abc", 1), key_hash("abc", 2));
  EXPECT_NE(key_hash("abc", 1), key_hash("abd", 1));
  EXPECT_NE(key_hash(std::string("a\0", 2), 1), key_hash("a", 1));
}

// is_boundary skips exp() when the key's draw is clearly above the
// probability; its decisions must stay exactly those of the formula, or
// trees built before and after would chunk the same entries differently.
TEST(ProllyNode, BoundaryDecisionIsTheHazardFormulas) {
  auto hazard = [](size_t bytes) {
    double x = static_cast<double>(bytes) / static_cast<double>(kTargetNodeBytes);
    return x * x * x * x;
  };
  std::mt19937_64 rng(7);
  int boundaries = 0;
  for (int i = 0; i < 300000; ++i) {
    const uint8_t level = static_cast<uint8_t>(rng() % 3);
    const size_t before = kMinNodeBytes + rng() % (kMaxNodeBytes - kMinNodeBytes);
    const size_t after = std::min(kMaxNodeBytes - 1, before + 1 + rng() % 200);
    const std::string key = testing::random_key(rng, 40);
    const double p = 1.0 - std::exp(hazard(before) - hazard(after));
    const uint64_t seed = 0x9e3779b97f4a7c15ULL * (static_cast<uint64_t>(level) + 1);
    const bool want = static_cast<double>(key_hash(key, seed) >> 11) * 0x1p-53 < p;
    ASSERT_EQ(is_boundary(level, key, before, after, 10), want)
        << "level " << int(level) << " before " << before << " after " << after;
    boundaries += want;
  }
  EXPECT_GT(boundaries, 1000);  // both outcomes were exercised
}

TEST(ProllyNodeCache, AgreesWithASetUnderEviction) {
  std::mt19937_64 rng(5);
  std::vector<NodePtr> pool;
  for (int i = 0; i < 3000; ++i) pool.push_back(make_leaf({"key" + std::to_string(i)}));
  const size_t node_size = pool[0]->memory_size();
  NodeCache cache(node_size * 400);
  std::set<Hash> inserted;
  for (int step = 0; step < 40000; ++step) {
    const NodePtr& n = pool[rng() % (step < 20000 ? pool.size() : 600)];
    if (rng() % 2) {
      cache.insert(n);
      inserted.insert(n->hash());
    } else if (const NodePtr* hit = cache.find(n->hash())) {
      ASSERT_EQ((*hit)->hash(), n->hash());
      ASSERT_TRUE(inserted.count(n->hash()));
    }
    ASSERT_LE(cache.bytes(), node_size * 400 + 64);
  }
  // Every cached entry is findable (probe runs intact after deletions).
  size_t found = 0;
  for (const NodePtr& n : pool) found += cache.find(n->hash()) != nullptr;
  EXPECT_EQ(found, cache.size());
  EXPECT_GT(found, 300u);
  cache.clear();
  EXPECT_EQ(cache.find(pool[0]->hash()), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace omnigraph::prolly
