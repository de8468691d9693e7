// One typed suite run against every backend, plus RocksDB-only checks
// (durability across reopen, group commit, open errors).
#include "store/store.h"

#include <gtest/gtest.h>

#include <rocksdb/db.h>
#include <map>

#include <atomic>
#include <barrier>
#include <chrono>
#include <fstream>
#include <thread>

#include "common/error.h"
#include "store/rocksdb_db.h"
#include "temp_dir.h"

namespace omnigraph::store {
namespace {

using omnigraph::testing::TempDir;

struct MemoryBackend {
  static constexpr bool kDurable = false;
  Store open() { return open_memory_store(); }
};

struct RocksDbBackend {
  static constexpr bool kDurable = true;
  TempDir dir{"og_rocksdb_test"};
  Store open() { return open_rocksdb_store(dir.path() / "graph"); }
};

template <typename Backend>
class StoreTest : public ::testing::Test {
 protected:
  Backend backend_;
  Store store_ = backend_.open();
  ChunkStore& chunks() { return *store_.chunks; }
  RefStore& refs() { return *store_.refs; }
};

using Backends = ::testing::Types<MemoryBackend, RocksDbBackend>;
class BackendNames {
 public:
  template <typename T>
  static std::string GetName(int) {
    return std::is_same_v<T, MemoryBackend> ? "Memory" : "RocksDb";
  }
};
TYPED_TEST_SUITE(StoreTest, Backends, BackendNames);

Hash h(const std::string& s) {
  return Hash::of(s);
}

TYPED_TEST(StoreTest, PutGetHas) {
  ChunkStore& c = this->chunks();
  Hash a = c.put("alpha");
  EXPECT_EQ(a, Hash::of("alpha"));
  EXPECT_EQ(c.get(a), std::optional<std::string>("alpha"));
  EXPECT_TRUE(c.has(a));
  EXPECT_FALSE(c.has(h("missing")));
  EXPECT_EQ(c.get(h("missing")), std::nullopt);
  // Re-putting an existing chunk is harmless.
  EXPECT_EQ(c.put("alpha"), a);
  EXPECT_EQ(c.get(a), std::optional<std::string>("alpha"));
}

TYPED_TEST(StoreTest, EnumerateAndEraseChunks) {
  ChunkStore& c = this->chunks();
  Hash a = c.put("alpha");
  Hash b = c.put("bravo!");
  Hash d = c.put(std::string(100000, 'x'));
  std::map<std::string, size_t> seen;
  c.for_each_chunk([&](const Hash& hash, size_t size) { seen[hash.hex()] = size; });
  EXPECT_EQ(seen, (std::map<std::string, size_t>{{a.hex(), 5}, {b.hex(), 6}, {d.hex(), 100000}}));
  c.erase_many({a, d, h("never stored")});
  EXPECT_FALSE(c.has(a));
  EXPECT_TRUE(c.has(b));
  EXPECT_FALSE(c.has(d));
  seen.clear();
  c.for_each_chunk([&](const Hash& hash, size_t size) { seen[hash.hex()] = size; });
  EXPECT_EQ(seen, (std::map<std::string, size_t>{{b.hex(), 6}}));
}

TYPED_TEST(StoreTest, BinaryAndLargeChunks) {
  ChunkStore& c = this->chunks();
  std::string binary("a\0b\xff\0", 5);
  std::string large(1 << 20, 'x');
  for (size_t i = 0; i < large.size(); i += 97) large[i] = static_cast<char>(i);
  Hash hb = c.put(binary);
  Hash hl = c.put(large);
  EXPECT_EQ(c.get(hb), std::optional<std::string>(binary));
  EXPECT_EQ(c.get(hl), std::optional<std::string>(large));
  std::string empty;
  Hash he = c.put(empty);
  EXPECT_EQ(c.get(he), std::optional<std::string>(""));
}

TYPED_TEST(StoreTest, GetManyAndHasManyKeepOrder) {
  ChunkStore& c = this->chunks();
  std::vector<Chunk> batch;
  for (int i = 0; i < 100; ++i) {
    std::string data = "chunk-" + std::to_string(i);
    batch.push_back({Hash::of(data), data});
  }
  c.put_many(batch);
  std::vector<Hash> want;
  for (int i = 99; i >= 0; --i) {
    want.push_back(batch[i].hash);
    if (i % 10 == 0) want.push_back(h("absent-" + std::to_string(i)));
  }
  auto got = c.get_many(want);
  auto has = c.has_many(want);
  ASSERT_EQ(got.size(), want.size());
  ASSERT_EQ(has.size(), want.size());
  size_t k = 0;
  for (int i = 99; i >= 0; --i) {
    EXPECT_EQ(got[k], std::optional<std::string>("chunk-" + std::to_string(i)));
    EXPECT_TRUE(has[k]);
    ++k;
    if (i % 10 == 0) {
      EXPECT_EQ(got[k], std::nullopt);
      EXPECT_FALSE(has[k]);
      ++k;
    }
  }
  EXPECT_TRUE(c.get_many({}).empty());
  EXPECT_TRUE(c.has_many({}).empty());
  c.put_many({});
}

TYPED_TEST(StoreTest, CompareAndSwap) {
  RefStore& r = this->refs();
  EXPECT_EQ(r.get("branch/main"), std::nullopt);
  // Create-if-absent.
  EXPECT_TRUE(r.compare_and_swap("branch/main", std::nullopt, h("1")));
  EXPECT_EQ(r.get("branch/main"), h("1"));
  // A second create loses and changes nothing.
  EXPECT_FALSE(r.compare_and_swap("branch/main", std::nullopt, h("2")));
  EXPECT_EQ(r.get("branch/main"), h("1"));
  // Wrong expectation loses.
  EXPECT_FALSE(r.compare_and_swap("branch/main", h("other"), h("2")));
  EXPECT_EQ(r.get("branch/main"), h("1"));
  // Right expectation wins.
  EXPECT_TRUE(r.compare_and_swap("branch/main", h("1"), h("2")));
  EXPECT_EQ(r.get("branch/main"), h("2"));
  // Expecting a value on an absent ref loses.
  EXPECT_FALSE(r.compare_and_swap("branch/none", h("2"), h("3")));
  EXPECT_EQ(r.get("branch/none"), std::nullopt);
  // Setting to the same value is a successful CAS.
  EXPECT_TRUE(r.compare_and_swap("branch/main", h("2"), h("2")));
}

TYPED_TEST(StoreTest, CompareAndDelete) {
  RefStore& r = this->refs();
  EXPECT_FALSE(r.compare_and_delete("branch/x", h("1")));
  ASSERT_TRUE(r.compare_and_swap("branch/x", std::nullopt, h("1")));
  EXPECT_FALSE(r.compare_and_delete("branch/x", h("2")));
  EXPECT_EQ(r.get("branch/x"), h("1"));
  EXPECT_TRUE(r.compare_and_delete("branch/x", h("1")));
  EXPECT_EQ(r.get("branch/x"), std::nullopt);
  EXPECT_FALSE(r.compare_and_delete("branch/x", h("1")));
  // A deleted ref can be created again.
  EXPECT_TRUE(r.compare_and_swap("branch/x", std::nullopt, h("3")));
  EXPECT_EQ(r.get("branch/x"), h("3"));
}

TYPED_TEST(StoreTest, UpdateAllIsAllOrNothing) {
  RefStore& r = this->refs();
  ASSERT_TRUE(r.compare_and_swap("branch/main", std::nullopt, h("1")));
  // One stale expectation: nothing of the group is written.
  EXPECT_FALSE(
      r.update_all({{"commit-id/a", std::nullopt, h("a")}, {"branch/main", h("stale"), h("2")}}));
  EXPECT_EQ(r.get("commit-id/a"), std::nullopt);
  EXPECT_EQ(r.get("branch/main"), h("1"));
  // All expectations hold: every update lands, deletes included.
  ASSERT_TRUE(r.compare_and_swap("branch/old", std::nullopt, h("x")));
  EXPECT_TRUE(r.update_all({{"commit-id/a", std::nullopt, h("a")},
                            {"commit-id/b", std::nullopt, h("b")},
                            {"branch/old", h("x"), std::nullopt},
                            {"branch/main", h("1"), h("2")}}));
  EXPECT_EQ(r.get("commit-id/a"), h("a"));
  EXPECT_EQ(r.get("commit-id/b"), h("b"));
  EXPECT_EQ(r.get("branch/old"), std::nullopt);
  EXPECT_EQ(r.get("branch/main"), h("2"));
  EXPECT_TRUE(r.update_all({}));
}

TYPED_TEST(StoreTest, ConcurrentUpdateAllGroupsLinearize) {
  // Threads extend one ref by groups that also create a per-step ref: the
  // winners form one chain and each winner's side ref exists, each loser's
  // does not.
  RefStore& r = this->refs();
  ASSERT_TRUE(r.compare_and_swap("branch/c", std::nullopt, h("0")));
  const int threads = 4, steps = std::getenv("OG_TEST_SCALE") ? 10 : 40;
  std::vector<std::thread> workers;
  std::atomic<int> wins{0};
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < steps; ++i) {
        std::optional<Hash> head = r.get("branch/c");
        std::string tag = std::to_string(t) + "-" + std::to_string(i);
        bool won =
            r.update_all({{"side/" + tag, std::nullopt, h(tag)}, {"branch/c", head, h(tag)}});
        EXPECT_EQ(r.get("side/" + tag).has_value(), won);
        wins += won;
      }
    });
  }
  for (auto& w : workers) w.join();
  EXPECT_GE(wins.load(), steps);
  EXPECT_EQ(r.list("side/").size(), static_cast<size_t>(wins.load()));
}

TYPED_TEST(StoreTest, ListByPrefixSorted) {
  RefStore& r = this->refs();
  for (const char* name : {"branch/zeta", "branch/alpha", "branchless", "commit-id/01", "branch/m",
                           "branch/alpha/sub", "a"}) {
    ASSERT_TRUE(r.compare_and_swap(name, std::nullopt, h(name)));
  }
  auto branches = r.list("branch/");
  std::vector<std::string> names;
  for (auto& [name, hash] : branches) {
    names.push_back(name);
    EXPECT_EQ(hash, h(name));
  }
  EXPECT_EQ(names, (std::vector<std::string>{"branch/alpha", "branch/alpha/sub", "branch/m",
                                             "branch/zeta"}));
  EXPECT_EQ(r.list("").size(), 7u);
  EXPECT_EQ(r.list("").begin()->first, "a");
  EXPECT_TRUE(r.list("zzz").empty());
  EXPECT_EQ(r.list("commit-id/").size(), 1u);
  ASSERT_TRUE(r.compare_and_delete("branch/m", h("branch/m")));
  EXPECT_EQ(r.list("branch/").size(), 3u);
}

// Every round, all threads race a CAS from the same current value: exactly
// one must win, and the ref must hold the winner's value.
TYPED_TEST(StoreTest, ConcurrentCasExactlyOneWinsPerRound) {
  RefStore& r = this->refs();
  constexpr int kThreads = 4;
  const int rounds = std::getenv("OG_TEST_SCALE") ? 20 : 50;
  std::atomic<int> wins{0};
  std::atomic<int> winner{-1};
  std::optional<Hash> round_start;
  int round = 0;
  bool ok = true;
  auto on_round_end = [&]() noexcept {
    if (wins.load() != 1) ok = false;
    if (winner.load() >= 0 &&
        r.get("branch/race") != h(std::to_string(round) + "/" + std::to_string(winner.load()))) {
      ok = false;
    }
    ++round;
    wins = 0;
    winner = -1;
    round_start = r.get("branch/race");
  };
  std::barrier start(kThreads);
  std::barrier finish(kThreads, on_round_end);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < rounds; ++i) {
        start.arrive_and_wait();
        Hash mine = h(std::to_string(i) + "/" + std::to_string(t));
        if (r.compare_and_swap("branch/race", round_start, mine)) {
          ++wins;
          winner = t;
        }
        finish.arrive_and_wait();
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_TRUE(ok);
  EXPECT_EQ(round, rounds);
}

// Threads on different refs never interfere (and, on RocksDB, share synced writes).
TYPED_TEST(StoreTest, ConcurrentCasOnDifferentRefsAllWin) {
  RefStore& r = this->refs();
  constexpr int kThreads = 6;
  const int steps = std::getenv("OG_TEST_SCALE") ? 20 : 60;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::string name = "branch/t" + std::to_string(t);
      std::optional<Hash> current;
      for (int i = 0; i < steps; ++i) {
        Hash next = h(name + "#" + std::to_string(i));
        if (!r.compare_and_swap(name, current, next)) ++failures;
        current = next;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  for (int t = 0; t < kThreads; ++t) {
    std::string name = "branch/t" + std::to_string(t);
    EXPECT_EQ(r.get(name), h(name + "#" + std::to_string(steps - 1)));
  }
}

// ---- RocksDB only ----

TEST(RocksDbStore, ReopenKeepsChunksAndRefs) {
  TempDir dir;
  auto path = dir.path() / "g";
  std::vector<Hash> hashes;
  {
    Store s = open_rocksdb_store(path);
    for (int i = 0; i < 50; ++i) hashes.push_back(s.chunks->put("c" + std::to_string(i)));
    ASSERT_TRUE(s.refs->compare_and_swap("branch/main", std::nullopt, hashes.back()));
    ASSERT_TRUE(s.refs->compare_and_swap("branch/dev", std::nullopt, hashes.front()));
    ASSERT_TRUE(s.refs->compare_and_delete("branch/dev", hashes.front()));
    ASSERT_TRUE(s.refs->compare_and_swap("commit-id/x", std::nullopt, hashes[3]));
  }
  Store s = open_rocksdb_store(path, RocksDbOptions{.create_if_missing = false});
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(s.chunks->get(hashes[i]), std::optional<std::string>("c" + std::to_string(i)));
  }
  EXPECT_EQ(s.refs->get("branch/main"), hashes.back());
  EXPECT_EQ(s.refs->get("branch/dev"), std::nullopt);
  EXPECT_EQ(s.refs->list("").size(), 2u);
}

TEST(RocksDbStore, StoresCanBeDroppedInAnyOrder) {
  TempDir dir;
  Store s = open_rocksdb_store(dir.path() / "g");
  Hash a = s.chunks->put("x");
  s.chunks.reset();  // the ref store keeps the database open
  EXPECT_TRUE(s.refs->compare_and_swap("r", std::nullopt, a));
  s.refs.reset();
  Store again = open_rocksdb_store(dir.path() / "g");
  EXPECT_EQ(again.refs->get("r"), a);
}

ErrorCode open_error(const std::filesystem::path& p, const RocksDbOptions& o = {},
                     std::string* message = nullptr) {
  try {
    open_rocksdb_store(p, o);
  } catch (const Error& e) {
    if (message) *message = e.what();
    return e.code();
  }
  ADD_FAILURE() << "opening " << p << " should fail";
  return ErrorCode::kInternal;
}

TEST(RocksDbStore, OpenErrors) {
  TempDir dir;
  std::string message;

  EXPECT_EQ(open_error(dir.path() / "missing", {.create_if_missing = false}, &message),
            ErrorCode::kNotFound);
  EXPECT_NE(message.find("no omnigraph store"), std::string::npos) << message;

  std::ofstream(dir.path() / "file") << "hello";
  EXPECT_EQ(open_error(dir.path() / "file", {}, &message), ErrorCode::kBadRequest);
  EXPECT_NE(message.find("not an omnigraph store"), std::string::npos) << message;

  std::filesystem::create_directories(dir.path() / "docs");
  std::ofstream(dir.path() / "docs" / "readme.txt") << "hello";
  EXPECT_EQ(open_error(dir.path() / "docs", {}, &message), ErrorCode::kBadRequest);
  EXPECT_NE(message.find("not empty"), std::string::npos) << message;
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "docs" / "readme.txt"));  // left alone

  // Somebody else's RocksDB database.
  {
    rocksdb::Options o;
    o.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(o, (dir.path() / "foreign").string(), &raw).ok());
    delete raw;
  }
  EXPECT_EQ(open_error(dir.path() / "foreign", {}, &message), ErrorCode::kBadRequest);
  EXPECT_NE(message.find("column families"), std::string::npos) << message;

  // An empty directory becomes a store.
  std::filesystem::create_directories(dir.path() / "empty");
  Store s = open_rocksdb_store(dir.path() / "empty");
  // A second open while the first is live is refused with RocksDB's reason.
  EXPECT_EQ(open_error(dir.path() / "empty", {}, &message), ErrorCode::kInternal);
  EXPECT_NE(message.find("already open"), std::string::npos) << message;
  // Creation leaves no staging directories behind.
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".creating"), std::string::npos);
  }
  // A trailing slash names the same store.
  Store s2 = open_rocksdb_store(dir.path() / "fresh/");
  ASSERT_TRUE(s2.refs->compare_and_swap("r", std::nullopt, h("v")));
  s2 = Store{};
  EXPECT_EQ(open_rocksdb_store(dir.path() / "fresh").refs->get("r"), h("v"));
}

// Bulk (unlogged) chunks hold compaction back and are flushed uncompressed
// until they are persisted, then the store's usual settings are back; the
// chunks survive a reopen.
TEST(RocksDbStore, BulkWritesDeferCompactionUntilPersisted) {
  TempDir dir;
  std::vector<Chunk> chunks;
  for (int i = 0; i < 100; ++i) {
    std::string data = "bulk chunk " + std::to_string(i);
    chunks.push_back({Hash::of(data), data});
  }
  {
    Store s = open_rocksdb_store(dir.path() / "g");
    const int usual = rocksdb_detail::chunk_l0_compaction_trigger(*s.chunks);
    const rocksdb::CompressionType usual_compression =
        rocksdb_detail::chunk_l0_compression(*s.chunks);
    s.chunks->put_many_unlogged(chunks);
    EXPECT_GT(rocksdb_detail::chunk_l0_compaction_trigger(*s.chunks), usual);
    EXPECT_EQ(rocksdb_detail::chunk_l0_compression(*s.chunks), rocksdb::kNoCompression);
    EXPECT_EQ(s.chunks->get(chunks[7].hash), chunks[7].data);
    s.chunks->persist_unlogged();
    EXPECT_EQ(rocksdb_detail::chunk_l0_compaction_trigger(*s.chunks), usual);
    EXPECT_EQ(rocksdb_detail::chunk_l0_compression(*s.chunks), usual_compression);
  }
  Store again = open_rocksdb_store(dir.path() / "g");
  for (const Chunk& c : chunks) EXPECT_EQ(again.chunks->get(c.hash), c.data);
}

// Calls that arrive while a synced write is in flight go out together in
// the next synced write, each with its own result.
TEST(RocksDbStore, GroupCommitBatchesWaitingCalls) {
  TempDir dir;
  Store s = open_rocksdb_store(dir.path() / "g");
  RefStore& r = *s.refs;
  std::atomic<bool> first_write_entered{false};
  std::atomic<bool> held_once{false};
  rocksdb_detail::set_before_sync_write_hook(r, [&] {
    if (held_once.exchange(true)) return;
    first_write_entered = true;
    // Hold the first write until the four other calls are queued behind it.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (rocksdb_detail::group_commit_stats(r).queued < 4 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  bool results[5] = {};
  std::thread first([&] { results[0] = r.compare_and_swap("g0", std::nullopt, h("0")); });
  while (!first_write_entered) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::vector<std::thread> others;
  for (int i = 1; i <= 3; ++i) {
    others.emplace_back([&, i] {
      results[i] = r.compare_and_swap("g" + std::to_string(i), std::nullopt, h(std::to_string(i)));
    });
  }
  // This one must lose: g0 will hold h("0"), never h("wrong").
  others.emplace_back([&] { results[4] = r.compare_and_swap("g0", h("wrong"), h("4")); });
  first.join();
  for (auto& t : others) t.join();
  rocksdb_detail::GroupCommitStats stats = rocksdb_detail::group_commit_stats(r);
  EXPECT_EQ(stats.operations, 5u);
  EXPECT_EQ(stats.synced_writes, 2u);  // the held write, then one for the three winners
  EXPECT_EQ(stats.queued, 0u);
  EXPECT_TRUE(results[0] && results[1] && results[2] && results[3]);
  EXPECT_FALSE(results[4]);
  for (int i = 0; i <= 3; ++i) EXPECT_EQ(r.get("g" + std::to_string(i)), h(std::to_string(i)));
  rocksdb_detail::set_before_sync_write_hook(r, nullptr);
}

TEST(RocksDbStore, CorruptRefValueIsAnInternalError) {
  TempDir dir;
  {
    Store s = open_rocksdb_store(dir.path() / "g");
    ASSERT_TRUE(s.refs->compare_and_swap("ok", std::nullopt, h("x")));
  }
  // Write a malformed ref value behind the store's back.
  {
    rocksdb::DBOptions o;
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs = {
        {rocksdb::kDefaultColumnFamilyName, {}}, {"chunks", {}}, {"refs", {}}};
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(o, (dir.path() / "g").string(), cfs, &handles, &raw).ok());
    ASSERT_TRUE(raw->Put(rocksdb::WriteOptions(), handles[2], "bad", "short").ok());
    for (auto* handle : handles) raw->DestroyColumnFamilyHandle(handle);
    delete raw;
  }
  Store s = open_rocksdb_store(dir.path() / "g");
  try {
    s.refs->get("bad");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInternal);
    EXPECT_NE(std::string(e.what()).find("corrupt ref 'bad'"), std::string::npos) << e.what();
  }
  EXPECT_EQ(s.refs->get("ok"), h("x"));
}

}  // namespace
}  // namespace omnigraph::store
