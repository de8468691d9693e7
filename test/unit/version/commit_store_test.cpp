#include "version/commit_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "../store/temp_dir.h"
#include "common/error.h"
#include "version/ancestry.h"

namespace omnigraph::version {
namespace {

Commit make(const std::string& branch, std::vector<Hash> parents, uint64_t version) {
  Commit c;
  c.root = Hash::of("root-" + std::to_string(version));
  c.parents = std::move(parents);
  c.time_us = now_us();
  c.branch = branch;
  c.graph_commit_id = Ulid::generate();
  c.manifest_version = version;
  c.actor = "tester";
  return c;
}

ErrorCode code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "expected an error";
  return ErrorCode::kInternal;
}

TEST(CommitStore, WriteReadAndGeneration) {
  store::Store s = store::open_memory_store();
  CommitStore cs(s);
  Commit genesis = make("main", {}, 1);
  genesis.generation = 99;  // overwritten from the (absent) parents
  Hash g = cs.write(genesis);
  EXPECT_EQ(genesis.generation, 1u);
  Commit next = make("main", {g}, 2);
  Hash n = cs.write(next);
  EXPECT_EQ(cs.read(n)->generation, 2u);
  EXPECT_EQ(*cs.read(n), next);
  EXPECT_EQ(n, Hash::of(encode_commit(next)));  // content-addressed
  EXPECT_EQ(code_of([&] { cs.read(Hash::of("nope")); }), ErrorCode::kNotFound);
  EXPECT_EQ(cs.try_read(Hash::of("nope")), std::nullopt);
  Commit orphan = make("main", {Hash::of("missing parent")}, 3);
  EXPECT_EQ(code_of([&] { cs.write(orphan); }), ErrorCode::kNotFound);
  // A chunk that is not a commit is reported as corrupt, naming the hash.
  Hash junk = s.chunks->put("definitely not a commit");
  try {
    cs.read(junk);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInternal);
    EXPECT_NE(std::string(e.what()).find(junk.hex()), std::string::npos);
  }
}

TEST(CommitStore, PublishMovesBranchAndIndexesId) {
  store::Store s = store::open_memory_store();
  CommitStore cs(s);
  Commit c1 = make("main", {}, 1);
  Hash h1 = cs.publish(c1, std::nullopt);
  EXPECT_EQ(cs.head("main"), h1);
  EXPECT_EQ(s.refs->get("branch/main"), h1);
  EXPECT_EQ(cs.find_by_id(c1.graph_commit_id), h1);
  EXPECT_EQ(cs.find_by_id(c1.graph_commit_id.str()), h1);
  EXPECT_EQ(s.refs->get("commit-id/" + c1.graph_commit_id.str()), h1);

  Commit c2 = make("main", {h1}, 2);
  Hash h2 = cs.publish(c2, h1);
  EXPECT_EQ(cs.head("main"), h2);

  // A writer that read the old head loses: nothing it wrote is reachable.
  Commit stale = make("main", {h1}, 2);
  EXPECT_EQ(cs.try_publish(stale, h1), std::nullopt);
  EXPECT_EQ(cs.head("main"), h2);
  EXPECT_EQ(cs.find_by_id(stale.graph_commit_id), std::nullopt);
  Commit stale2 = make("main", {h1}, 2);
  try {
    cs.publish(stale2, h1);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kConflict);
    EXPECT_NE(std::string(e.what()).find(h2.hex()), std::string::npos) << e.what();
  }
  // Creating a branch that exists through publish also loses.
  Commit again = make("main", {}, 1);
  EXPECT_EQ(cs.try_publish(again, std::nullopt), std::nullopt);

  // Reusing a commit id for a different commit is refused.
  Commit dup = make("main", {h2}, 3);
  dup.graph_commit_id = c1.graph_commit_id;
  EXPECT_EQ(code_of([&] { cs.publish(dup, h2); }), ErrorCode::kConflict);
  EXPECT_EQ(cs.head("main"), h2);

  EXPECT_EQ(code_of([&] { cs.find_by_id("not-a-ulid"); }), ErrorCode::kBadRequest);
  EXPECT_EQ(cs.find_by_id(Ulid::generate()), std::nullopt);
}

TEST(CommitStore, Branches) {
  store::Store s = store::open_memory_store();
  CommitStore cs(s);
  Commit c = make("main", {}, 1);
  Hash h = cs.publish(c, std::nullopt);
  EXPECT_TRUE(cs.create_branch("feature", h));
  EXPECT_FALSE(cs.create_branch("feature", h));
  EXPECT_EQ(code_of([&] { cs.create_branch("ghost", Hash::of("x")); }), ErrorCode::kNotFound);
  EXPECT_EQ(code_of([&] { cs.head(""); }), ErrorCode::kBadRequest);
  auto branches = cs.branches();
  ASSERT_EQ(branches.size(), 2u);
  EXPECT_EQ(branches.begin()->first, "feature");
  EXPECT_EQ(branches["main"], h);
  EXPECT_FALSE(cs.delete_branch("feature", Hash::of("other")));
  EXPECT_TRUE(cs.delete_branch("feature", h));
  EXPECT_EQ(cs.head("feature"), std::nullopt);
  EXPECT_EQ(cs.branches().size(), 1u);
}

// Writers race on one branch, replaying onto the new head when they lose:
// every commit lands exactly once, in one linear first-parent chain.
TEST(CommitStore, ConcurrentPublishersOnRocksDb) {
  omnigraph::testing::TempDir dir("og_version_test");
  const int kThreads = 4;
  const int per_thread = std::getenv("OG_TEST_SCALE") ? 8 : 25;
  std::vector<Ulid> ids[4];
  {
    store::Store s = store::open_rocksdb_store(dir.path() / "g");
    CommitStore cs(s);
    Commit genesis = make("main", {}, 0);
    cs.publish(genesis, std::nullopt);
    std::atomic<int> conflicts{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < per_thread; ++i) {
          while (true) {
            Hash head = *cs.head("main");
            Commit c = make("main", {head}, cs.read(head)->manifest_version + 1);
            if (cs.try_publish(c, head)) {
              ids[t].push_back(c.graph_commit_id);
              break;
            }
            ++conflicts;
          }
        }
      });
    }
    for (auto& th : threads) th.join();
  }
  // Reopen: everything published is there.
  store::Store s = store::open_rocksdb_store(dir.path() / "g");
  CommitStore cs(s);
  auto history = first_parent_history(cs, *cs.head("main"));
  ASSERT_EQ(history.size(), static_cast<size_t>(kThreads * per_thread + 1));
  for (size_t i = 0; i < history.size(); ++i) {
    EXPECT_EQ(history[i].commit->manifest_version, history.size() - 1 - i);
  }
  size_t indexed = 0;
  for (auto& v : ids) {
    for (const Ulid& id : v) {
      std::optional<Hash> h = cs.find_by_id(id);
      ASSERT_TRUE(h.has_value());
      EXPECT_EQ(cs.read(*h)->graph_commit_id, id);
      ++indexed;
    }
  }
  EXPECT_EQ(indexed, static_cast<size_t>(kThreads * per_thread));
  // Losers withdrew their index entries: only published commits are indexed.
  EXPECT_EQ(s.refs->list(std::string(kCommitIdRefPrefix)).size(), history.size());
}

}  // namespace
}  // namespace omnigraph::version
