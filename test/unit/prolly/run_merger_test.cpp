#include "prolly/run_merger.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>

#include "common/error.h"
#include "prolly/tree.h"
#include "store/chunk_store.h"

namespace omnigraph::prolly {
namespace {

std::map<std::string, std::string> contents(NodeStore& nodes, const Hash& root) {
  std::map<std::string, std::string> out;
  for (auto& [k, v] : Tree(nodes, root).entries()) out.emplace(k, v);
  return out;
}

TEST(RunMerger, MergesSpilledRunsBufferAndBaseLikeAMap) {
  auto chunks = store::make_memory_chunk_store();
  NodeStore nodes(*chunks);
  std::mt19937 rng(7);
  std::map<std::string, std::string> model;
  std::vector<Entry> base_entries;
  for (int i = 0; i < 3000; i += 3) {
    base_entries.emplace_back("k" + std::to_string(100000 + i), "base" + std::to_string(i));
  }
  Hash base = Tree::build(nodes, base_entries).root();
  for (auto& [k, v] : base_entries) model[k] = v;

  RunMerger merger(nodes, 4096);  // tiny buffer: many runs
  for (int i = 0; i < 5000; ++i) {
    std::string key = "k" + std::to_string(100000 + rng() % 4000);
    std::string value = "v" + std::to_string(i);
    merger.add(key, value);
    model[key] = value;
  }
  EXPECT_FALSE(merger.unspilled());
  Hash merged = merger.finish(base);
  EXPECT_EQ(contents(nodes, merged), model);

  // Same entries, built directly: content-defined chunking gives the same root.
  std::vector<Entry> sorted(model.begin(), model.end());
  EXPECT_EQ(merged, Tree::build(nodes, sorted).root());
}

TEST(RunMerger, SmallInputsStayInTheBufferInArrivalOrder) {
  auto chunks = store::make_memory_chunk_store();
  NodeStore nodes(*chunks);
  RunMerger merger(nodes);
  merger.add("b", "1");
  merger.add("a", "2");
  ASSERT_TRUE(merger.unspilled());
  auto buffer = merger.take_buffer();
  ASSERT_EQ(buffer.size(), 2u);
  EXPECT_EQ(buffer[0].first, "b");
  EXPECT_TRUE(merger.finish().is_zero());
}

TEST(RunMerger, LaterDuplicateWinsInsideOneRun) {
  auto chunks = store::make_memory_chunk_store();
  NodeStore nodes(*chunks);
  RunMerger merger(nodes);
  merger.add("x", "old");
  merger.add("y", "1");
  merger.add("x", "new");
  Hash root = merger.finish();
  EXPECT_EQ(Tree(nodes, root).get("x"), std::optional<std::string>("new"));
  EXPECT_EQ(Tree(nodes, root).count(), 2u);
}

// The same entries added to a merger that spills into runs, to one that
// keeps them in its buffer, and to a map (what both must produce).
struct SpilledAndBuffered {
  SpilledAndBuffered(NodeStore& nodes, size_t spill_bytes)
      : spilled(nodes, spill_bytes), buffered(nodes) {}
  void add(const std::string& key, const std::string& value) {
    spilled.add(key, value);
    buffered.add(key, value);
    model[key] = value;
  }
  // The tree of the model, built directly.
  Hash expected_root(NodeStore& nodes) const {
    EXPECT_FALSE(spilled.unspilled());
    EXPECT_TRUE(buffered.unspilled());
    std::vector<Entry> sorted(model.begin(), model.end());
    return Tree::build(nodes, sorted).root();
  }
  RunMerger spilled;
  RunMerger buffered;
  std::map<std::string, std::string> model;
};

// Buffers of many entries are radix-sorted by their first 8 bytes, then by
// the whole key: keys sharing long prefixes, short keys padded like a zero
// byte ("ab" vs "ab\0") and repeated keys must still come out like a map.
TEST(RunMerger, LargeBuffersSortLikeAMap) {
  auto chunks = store::make_memory_chunk_store();
  NodeStore nodes(*chunks);
  std::mt19937 rng(11);
  SpilledAndBuffered mergers(nodes, 256 << 10);  // a few runs of many entries; one buffer
  const std::map<std::string, std::string>& model = mergers.model;
  for (int i = 0; i < 40000; ++i) {
    std::string key;
    switch (rng() % 4) {
      case 0:
        key = "src" + std::to_string(rng() % 500) + "/edge" + std::to_string(rng() % 50);
        break;
      case 1: key = std::string("ab\0", 2 + rng() % 2); break;
      case 2: key = std::string(1, static_cast<char>(rng() % 256)); break;
      default: key = "commonprefix" + std::to_string(rng() % 3000); break;
    }
    mergers.add(key, "v" + std::to_string(i));
  }
  const Hash expected = mergers.expected_root(nodes);
  Hash from_runs = mergers.spilled.finish();
  EXPECT_EQ(contents(nodes, from_runs), model);
  EXPECT_EQ(from_runs, expected);
  Hash from_buffer = mergers.buffered.finish();
  EXPECT_EQ(contents(nodes, from_buffer), model);
  EXPECT_EQ(from_buffer, expected);
}

// Buffers past 1 MiB are reallocated once at their full limit; the
// entries already buffered must survive the move, across spills too.
TEST(RunMerger, BuffersReservedAtTheirLimitKeepTheirEntries) {
  auto chunks = store::make_memory_chunk_store();
  NodeStore nodes(*chunks);
  std::mt19937 rng(3);
  std::map<std::string, std::string> model;
  RunMerger merger(nodes, 4 << 20);
  for (int i = 0; i < 70000; ++i) {
    std::string key = "key" + std::to_string(rng() % 60000);
    std::string value = std::to_string(i) + std::string(90, 'v');
    merger.add(key, value);
    model[key] = value;
  }
  EXPECT_FALSE(merger.unspilled());
  Hash root = merger.finish();
  EXPECT_EQ(contents(nodes, root), model);
}

// Keys sharing more than 8 and more than 16 bytes (adjacency keys: one
// source id, then edge ids with a common timestamp) are sorted by the bytes
// after their group's common prefix and merged by their first 16 bytes
// first; zero bytes and keys that end inside the shared part, repeated
// keys (the last added wins) and a base tree must still come out like a map.
TEST(RunMerger, KeysSharingLongPrefixesSortAndMergeLikeAMap) {
  auto chunks = store::make_memory_chunk_store();
  NodeStore nodes(*chunks);
  std::mt19937 rng(5);
  SpilledAndBuffered mergers(nodes, 64 << 10);  // many runs, each radix-sorted; one buffer
  std::map<std::string, std::string>& model = mergers.model;
  std::vector<Entry> base_entries;
  const std::string shared = "src-000123/01JD5Q8N";  // 19 bytes
  for (int i = 0; i < 2000; i += 2) {
    base_entries.emplace_back(shared + std::to_string(1000 + i), "base" + std::to_string(i));
  }
  Hash base = Tree::build(nodes, base_entries).root();
  for (auto& [k, v] : base_entries) model[k] = v;

  for (int i = 0; i < 30000; ++i) {
    std::string key;
    switch (rng() % 6) {
      case 0: key = shared + std::to_string(1000 + rng() % 2000); break;        // > 16 shared
      case 1: key = shared.substr(0, 12) + std::to_string(rng() % 700); break;  // > 8 shared
      case 2: key = shared.substr(0, 8 + rng() % 12); break;  // ends inside the shared part
      case 3: key = shared + std::string("\0\0", 1 + rng() % 2) + std::to_string(rng() % 5); break;
      case 4: key = std::string(24, 'z') + std::string(1 + rng() % 3, '\0'); break;
      default:  // any byte after the first 9 may differ, from a small alphabet
        key = shared.substr(0, 9 + rng() % 11);
        for (size_t n = rng() % 8; n > 0; --n) key.push_back("ab\0"[rng() % 3]);
        break;
    }
    mergers.add(key, "v" + std::to_string(i));
  }
  const Hash expected = mergers.expected_root(nodes);
  std::vector<std::string> visited;
  Hash from_runs = mergers.spilled.finish(base, [&](std::string_view key, std::string_view value) {
    visited.emplace_back(key);
    EXPECT_EQ(model.at(std::string(key)), value);
  });
  EXPECT_EQ(contents(nodes, from_runs), model);
  EXPECT_EQ(from_runs, expected);
  std::vector<std::string> keys;
  for (auto& [k, v] : model) keys.push_back(k);
  EXPECT_EQ(visited, keys);  // in key order, each once
  Hash from_buffer = mergers.buffered.finish(base);
  EXPECT_EQ(contents(nodes, from_buffer), model);
  EXPECT_EQ(from_buffer, expected);
}

// What a streamed merger's visitor saw since the last restart.
struct StreamLog {
  std::vector<std::pair<std::string, std::string>> visited;
  int restarts = 0;
  RunMerger::EntryVisitor visitor() {
    return [this](std::string_view k, std::string_view v) { visited.emplace_back(k, v); };
  }
  std::function<void()> restart() {
    return [this] {
      ++restarts;
      visited.clear();
    };
  }
};

TEST(RunMerger, StreamsInputThatArrivesInOrder) {
  auto chunks = store::make_memory_chunk_store();
  NodeStore nodes(*chunks);
  StreamLog log;
  RunMerger merger(nodes, 4096);  // tiny buffer: many spills, all streamed
  merger.stream_sorted(log.visitor(), log.restart());
  std::map<std::string, std::string> model;
  for (int i = 0; i < 5000; ++i) {
    std::string key = "k" + std::to_string(100000 + i);
    merger.add(key, "v" + std::to_string(i));
    model[key] = "v" + std::to_string(i);
  }
  EXPECT_FALSE(merger.unspilled());
  Hash root = merger.finish();
  EXPECT_EQ(log.restarts, 0);
  EXPECT_EQ(contents(nodes, root), model);
  std::vector<Entry> sorted(model.begin(), model.end());
  EXPECT_EQ(root, Tree::build(nodes, sorted).root());
  // Every entry seen once, in key order.
  ASSERT_EQ(log.visited.size(), model.size());
  EXPECT_EQ(log.visited,
            (std::vector<std::pair<std::string, std::string>>(model.begin(), model.end())));
}

TEST(RunMerger, StreamingEndsAtTheFirstKeyOutOfOrder) {
  for (int break_at : {0, 1200, 4999}) {
    auto chunks = store::make_memory_chunk_store();
    NodeStore nodes(*chunks);
    StreamLog log;
    RunMerger merger(nodes, 4096);
    merger.stream_sorted(log.visitor(), log.restart());
    std::map<std::string, std::string> model;
    std::mt19937 rng(break_at);
    for (int i = 0; i < 6000; ++i) {
      // In order until break_at; then random keys, many of them repeating
      // (and so replacing) keys that were already streamed.
      const int n = i < break_at ? i : static_cast<int>(rng() % 6000);
      std::string key = "k" + std::to_string(100000 + n);
      merger.add(key, "v" + std::to_string(i));
      model[key] = "v" + std::to_string(i);
    }
    Hash root = merger.finish();
    EXPECT_EQ(log.restarts, 1) << break_at;
    EXPECT_EQ(contents(nodes, root), model) << break_at;
    std::vector<Entry> sorted(model.begin(), model.end());
    EXPECT_EQ(root, Tree::build(nodes, sorted).root()) << break_at;
    // After the restart the visitor saw the final tree, once.
    ASSERT_EQ(log.visited.size(), model.size()) << break_at;
    EXPECT_EQ(log.visited,
              (std::vector<std::pair<std::string, std::string>>(model.begin(), model.end())))
        << break_at;
  }
}

// A streamed merger that never spilled builds its tree at finish(), which
// refuses a base or a visitor (streamed entries were visited already).
TEST(RunMerger, StreamedSmallInputIsBuiltAtFinish) {
  auto chunks = store::make_memory_chunk_store();
  NodeStore nodes(*chunks);
  StreamLog log;
  RunMerger merger(nodes);
  merger.stream_sorted(log.visitor(), log.restart());
  merger.add("a", "1");
  merger.add("b", "2");
  EXPECT_TRUE(merger.unspilled());
  Hash base = Tree::build(nodes, {{"z", "9"}}).root();
  EXPECT_THROW(merger.finish(base), Error);
  Hash root = merger.finish();
  EXPECT_EQ(log.restarts, 0);
  EXPECT_EQ(contents(nodes, root), (std::map<std::string, std::string>{{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(log.visited.size(), 2u);
}

}  // namespace
}  // namespace omnigraph::prolly
