// Concurrent writers on one branch (DESIGN.md §4 "Concurrent writers"):
// writers stage against the head they read and are rebased row by row when
// it moved; a row two writers touched fails the later one with a manifest
// conflict (http-contract.md §1.7), and nothing of it is written.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/error.h"
#include "common/ulid.h"
#include "engine/graph_impl.h"
#include "omnigraph/graph.h"

namespace omnigraph {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSchema = R"(
node Person {
  name: String @key
  age: I32?
  email: String? @unique
}
node Item {
  name: String @key
  n: I32?
}
edge Knows: Person -> Person
edge Manages: Person -> Person @card(0..1)
)";

constexpr const char* kAgeOf =
    "query q($n: String) { match { $p: Person { name: $n } } return { $p.age } }";
constexpr const char* kItemOf =
    "query q($n: String) { match { $i: Item { name: $n } } return { $i.n } }";

class ConcurrencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("og-concurrency-test-" + Ulid::generate().str());
    graph_ = Graph::init(dir_, kSchema);
  }
  void TearDown() override {
    graph_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  ChangeResult change(const std::string& query, const std::string& params = "",
                      const std::string& branch = kMainBranch) {
    ChangeRequest request;
    request.query_source = query;
    request.params_json = params;
    request.branch = branch;
    return graph_->change(request);
  }

  // The value column of the one row `query` returns for name `name` at a
  // commit (or the branch head); nullopt when there is no such row.
  std::optional<int64_t> value_at(const char* query, const std::string& name,
                                  const std::optional<std::string>& snapshot = std::nullopt) {
    ReadRequest request;
    request.query_source = query;
    request.params_json = R"({"n": ")" + name + "\"}";
    request.snapshot = snapshot;
    ReadResult result = graph_->read(request);
    if (result.rows.empty()) return std::nullopt;
    EXPECT_EQ(result.rows.size(), 1u);
    const engine::Value& value = result.rows.at(0).at(0);
    return value.is_null() ? std::optional<int64_t>(-1) : value.as_int();
  }

  void load(const std::string& jsonl) {
    std::istringstream in(jsonl);
    LoadRequest request;
    request.mode = engine::LoadMode::kMerge;
    graph_->load(in, request);
  }

  // Runs `hook` in every writer between staging and publishing.
  void set_hook(std::function<void()> hook) {
    Graph::Impl& impl = GraphInternals::impl(*graph_);
    std::lock_guard lock(impl.mutex);
    impl.before_publish_hook = std::move(hook);
  }

  fs::path dir_;
  std::unique_ptr<Graph> graph_;
};

enum class WriteKind { kInsertPerson, kInsertItem, kOwnRow, kSharedRow };

struct Attempt {
  WriteKind kind;
  std::string name;
  int64_t value;
  std::optional<std::string> commit_id;  // acknowledged
  std::optional<ManifestConflict> conflict;
};

// The acceptance scenario of issue 5: 8 threads write concurrently, mixing
// inserts into two tables, updates of a row only that thread touches, and
// updates of one row every thread touches.
TEST_F(ConcurrencyTest, EveryAcknowledgedWriteIsVisibleAndEveryRejectedOneLeftNoTrace) {
  const int threads = 8;
  const int per_thread = std::getenv("OG_TEST_SCALE") ? 60 : 500;
  std::string seed = R"({"type": "Person", "data": {"name": "shared", "age": 0}})"
                     "\n";
  for (int t = 0; t < threads; ++t) {
    seed += R"({"type": "Person", "data": {"name": "own-)" + std::to_string(t) +
            R"(", "age": 0}})"
            "\n";
  }
  load(seed);
  const size_t setup_commits = graph_->commit_list().size();

  std::vector<std::vector<Attempt>> attempts(threads);
  std::vector<std::thread> workers;
  std::atomic<int> unexpected{0};
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        Attempt a;
        std::string query;
        std::string params;
        switch (i % 4) {
          case 0:
            a = {WriteKind::kInsertPerson, "p-" + std::to_string(t) + "-" + std::to_string(i), i};
            query = "query q($n: String, $v: I32) { insert Person { name: $n, age: $v } }";
            break;
          case 1:
            a = {WriteKind::kInsertItem, "i-" + std::to_string(t) + "-" + std::to_string(i), i};
            query = "query q($n: String, $v: I32) { insert Item { name: $n, n: $v } }";
            break;
          case 2:
            a = {WriteKind::kOwnRow, "own-" + std::to_string(t), i};
            query =
                "query q($n: String, $v: I32) { update Person set { age: $v } where name = $n }";
            break;
          default:
            a = {WriteKind::kSharedRow, "shared", int64_t{t} * 100000 + i};
            query =
                "query q($n: String, $v: I32) { update Person set { age: $v } where name = $n }";
            break;
        }
        params = R"({"n": ")" + a.name + R"(", "v": )" + std::to_string(a.value) + "}";
        try {
          a.commit_id = change(query, params).commit_id;
        } catch (const Error& e) {
          if (e.code() != ErrorCode::kConflict || !e.manifest_conflict()) {
            ADD_FAILURE() << "unexpected error: " << e.what();
            ++unexpected;
          } else {
            a.conflict = *e.manifest_conflict();
            std::string expected_message =
                "stale view of '" + a.conflict->table_key + "': expected manifest table version " +
                std::to_string(a.conflict->expected) + " but current is " +
                std::to_string(a.conflict->actual) + " — refresh and retry";
            EXPECT_EQ(e.what(), expected_message);
          }
        }
        attempts[t].push_back(std::move(a));
      }
    });
  }
  for (auto& worker : workers) worker.join();
  ASSERT_EQ(unexpected.load(), 0);

  std::set<std::string> acknowledged;
  std::set<int64_t> rejected_shared_values;
  std::map<std::string, int64_t> shared_value_by_commit;
  size_t conflicts = 0;
  for (const auto& list : attempts) {
    for (const Attempt& a : list) {
      if (a.commit_id) {
        EXPECT_TRUE(acknowledged.insert(*a.commit_id).second) << "commit id reused";
        if (a.kind == WriteKind::kSharedRow) shared_value_by_commit[*a.commit_id] = a.value;
        continue;
      }
      ++conflicts;
      // Only writes to the row every thread touches may be refused.
      EXPECT_EQ(a.kind, WriteKind::kSharedRow) << a.name;
      EXPECT_EQ(a.conflict->table_key, "node:Person");
      EXPECT_GT(a.conflict->actual, a.conflict->expected);
      rejected_shared_values.insert(a.value);
    }
  }
  EXPECT_EQ(acknowledged.size() + conflicts, size_t(threads) * per_thread);
  RecordProperty("acknowledged", static_cast<int>(acknowledged.size()));
  RecordProperty("conflicts", static_cast<int>(conflicts));

  // The chain is linear and complete: one commit per acknowledged write,
  // each the child of the one before, manifest versions strictly +1.
  std::vector<CommitInfo> chain = graph_->commit_list();
  ASSERT_EQ(chain.size(), setup_commits + acknowledged.size());
  std::set<std::string> published;
  for (size_t k = 1; k < chain.size(); ++k) {
    EXPECT_EQ(chain[k].parent_commit_id, chain[k - 1].graph_commit_id);
    EXPECT_EQ(chain[k].merged_parent_commit_id, std::nullopt);
    EXPECT_EQ(chain[k].manifest_version, chain[k - 1].manifest_version + 1);
    if (k >= setup_commits) published.insert(chain[k].graph_commit_id);
  }
  EXPECT_EQ(published, acknowledged);

  // Every acknowledged write is visible at its own commit ...
  for (const auto& list : attempts) {
    for (const Attempt& a : list) {
      if (!a.commit_id) continue;
      const char* query = a.kind == WriteKind::kInsertItem ? kItemOf : kAgeOf;
      EXPECT_EQ(value_at(query, a.name, a.commit_id), a.value) << a.name;
    }
  }
  // ... and at the head: inserts all there, each own row at its thread's
  // last value, the shared row at the last acknowledged shared write.
  for (int t = 0; t < threads; ++t) {
    int64_t last_own = -1;
    for (const Attempt& a : attempts[t]) {
      if (a.kind == WriteKind::kOwnRow) last_own = a.value;
      if (a.kind == WriteKind::kInsertPerson) {
        EXPECT_EQ(value_at(kAgeOf, a.name), a.value);
      }
      if (a.kind == WriteKind::kInsertItem) {
        EXPECT_EQ(value_at(kItemOf, a.name), a.value);
      }
    }
    EXPECT_EQ(value_at(kAgeOf, "own-" + std::to_string(t)), last_own);
  }
  std::optional<int64_t> last_shared = 0;
  for (const CommitInfo& commit : chain) {
    auto it = shared_value_by_commit.find(commit.graph_commit_id);
    if (it != shared_value_by_commit.end()) last_shared = it->second;
  }
  EXPECT_EQ(value_at(kAgeOf, "shared"), last_shared);

  // A refused write left no trace: its value is at no commit of the chain.
  for (size_t k = setup_commits; k < chain.size(); ++k) {
    std::optional<int64_t> shared = value_at(kAgeOf, "shared", chain[k].graph_commit_id);
    ASSERT_TRUE(shared.has_value());
    EXPECT_FALSE(rejected_shared_values.contains(*shared)) << *shared;
  }
}

// Two writers staged against the same head, published in turn: the
// deterministic core of the rebase (no thread timing involved). The second
// writer is staged by a load racing a change through a second branch head.
class RebaseTest : public ConcurrencyTest {
 protected:
  void SetUp() override {
    ConcurrencyTest::SetUp();
    load(R"({"type": "Person", "data": {"name": "Alice", "age": 30}}
{"type": "Person", "data": {"name": "Bob", "age": 25}}
{"type": "Person", "data": {"name": "Carol", "age": 40}}
{"edge": "Knows", "from": "Bob", "to": "Carol"}
)");
  }

  // Runs `first` and `second` as two writers that both read the same head:
  // `second` starts staging, then `first` commits, then `second` publishes.
  // Returns the second writer's error, if any.
  std::optional<Error> race(const std::string& first, const std::string& second) {
    std::optional<Error> error;
    bool fired = false;  // hooks are copied per write: the flag lives here
    set_hook([&] {
      if (fired) return;
      fired = true;
      change(first);
    });
    try {
      change(second);
    } catch (const Error& e) {
      error = e;
    }
    set_hook(nullptr);
    return error;
  }

  std::string head() { return graph_->snapshot().commit_id; }
};

TEST_F(RebaseTest, InsertsOfDifferentRowsBothLand) {
  auto error = race("query q() { insert Person { name: \"Dan\", age: 50 } }",
                    "query q() { insert Person { name: \"Eve\", age: 22 } }");
  ASSERT_FALSE(error) << error->what();
  EXPECT_EQ(value_at(kAgeOf, "Dan"), 50);
  EXPECT_EQ(value_at(kAgeOf, "Eve"), 22);
  auto chain = graph_->commit_list();
  EXPECT_EQ(chain.back().manifest_version, chain[chain.size() - 2].manifest_version + 1);
}

TEST_F(RebaseTest, UpdatesOfDifferentRowsBothLand) {
  auto error = race("query q() { update Person set { age: 31 } where name = \"Alice\" }",
                    "query q() { update Person set { age: 26 } where name = \"Bob\" }");
  ASSERT_FALSE(error) << error->what();
  EXPECT_EQ(value_at(kAgeOf, "Alice"), 31);
  EXPECT_EQ(value_at(kAgeOf, "Bob"), 26);
}

TEST_F(RebaseTest, DifferentTablesAreTakenAsWritten) {
  auto error = race("query q() { insert Item { name: \"hammer\", n: 1 } }",
                    "query q() { update Person set { age: 26 } where name = \"Bob\" }");
  ASSERT_FALSE(error) << error->what();
  EXPECT_EQ(value_at(kItemOf, "hammer"), 1);
  EXPECT_EQ(value_at(kAgeOf, "Bob"), 26);
  // The table the second writer changed moved past the version it read.
  SnapshotInfo info = graph_->snapshot();
  for (const TableInfo& table : info.tables) {
    if (table.table_key == "node:Person") {
      EXPECT_EQ(table.table_version, 3u);
    }
    if (table.table_key == "node:Item") {
      EXPECT_EQ(table.table_version, 2u);
    }
  }
}

TEST_F(RebaseTest, SameRowIsAManifestConflictAndWritesNothing) {
  std::string before;
  auto error = race("query q() { update Person set { age: 31 } where name = \"Alice\" }",
                    "query q() { update Person set { age: 32 } where name = \"Alice\" }");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code(), ErrorCode::kConflict);
  ASSERT_TRUE(error->manifest_conflict());
  EXPECT_EQ(error->manifest_conflict()->table_key, "node:Person");
  EXPECT_EQ(error->manifest_conflict()->expected, 2u);
  EXPECT_EQ(error->manifest_conflict()->actual, 3u);
  EXPECT_STREQ(error->what(),
               "stale view of 'node:Person': expected manifest table version 2 but current is 3 "
               "— refresh and retry");
  EXPECT_EQ(value_at(kAgeOf, "Alice"), 31);
  EXPECT_EQ(graph_->commit_list().size(), 3u);  // init, load, the first writer
}

TEST_F(RebaseTest, DeleteAgainstUpdateOfTheSameRowConflicts) {
  auto error = race("query q() { delete Person where name = \"Alice\" }",
                    "query q() { update Person set { age: 32 } where name = \"Alice\" }");
  ASSERT_TRUE(error);
  ASSERT_TRUE(error->manifest_conflict());
  EXPECT_EQ(value_at(kAgeOf, "Alice"), std::nullopt);
}

TEST_F(RebaseTest, EdgeToANodeTheOtherWriterDeletedIsRefused) {
  auto error = race("query q() { delete Person where name = \"Alice\" }",
                    "query q() { insert Knows { from: \"Bob\", to: \"Alice\" } }");
  ASSERT_TRUE(error);
  ASSERT_TRUE(error->manifest_conflict());
  // Reported on the table the first writer changed under the second.
  EXPECT_EQ(error->manifest_conflict()->table_key, "node:Person");
  EXPECT_GT(error->manifest_conflict()->actual, error->manifest_conflict()->expected);
  ReadRequest request;
  request.query_source =
      "query q() { match { $a: Person $a knows $b } return { $a.name, $b.name } }";
  EXPECT_EQ(graph_->read(request).rows.size(), 1u);  // only Bob -> Carol
}

TEST_F(RebaseTest, DeletingANodeTheOtherWriterLinkedIsRefused) {
  auto error = race("query q() { insert Knows { from: \"Bob\", to: \"Alice\" } }",
                    "query q() { delete Person where name = \"Alice\" }");
  ASSERT_TRUE(error);
  ASSERT_TRUE(error->manifest_conflict());
  EXPECT_EQ(error->manifest_conflict()->table_key, "edge:Knows");
  EXPECT_EQ(value_at(kAgeOf, "Alice"), 30);
}

TEST_F(RebaseTest, SameUniqueValueFromBothWritersIsRefused) {
  auto error = race("query q() { update Person set { email: \"x@y\" } where name = \"Alice\" }",
                    "query q() { update Person set { email: \"x@y\" } where name = \"Bob\" }");
  ASSERT_TRUE(error);
  ASSERT_TRUE(error->manifest_conflict());
  EXPECT_EQ(error->manifest_conflict()->table_key, "node:Person");
}

TEST_F(RebaseTest, CardinalityBothWritersPushedIsRefused) {
  auto error = race("query q() { insert Manages { from: \"Alice\", to: \"Bob\" } }",
                    "query q() { insert Manages { from: \"Alice\", to: \"Carol\" } }");
  ASSERT_TRUE(error);
  ASSERT_TRUE(error->manifest_conflict());
  EXPECT_EQ(error->manifest_conflict()->table_key, "edge:Manages");
  // Different sources stay within their bounds and both land.
  auto ok = race("query q() { insert Manages { from: \"Bob\", to: \"Carol\" } }",
                 "query q() { insert Manages { from: \"Carol\", to: \"Alice\" } }");
  EXPECT_FALSE(ok) << ok->what();
}

TEST_F(RebaseTest, ALoadIsRebasedRatherThanLost) {
  bool fired = false;
  set_hook([&] {
    if (fired) return;
    fired = true;
    change("query q() { update Person set { age: 31 } where name = \"Alice\" }");
  });
  load(R"({"type": "Person", "data": {"name": "Zed", "age": 9}}
{"type": "Item", "data": {"name": "saw", "n": 2}}
)");
  set_hook(nullptr);
  EXPECT_EQ(value_at(kAgeOf, "Alice"), 31);
  EXPECT_EQ(value_at(kAgeOf, "Zed"), 9);
  EXPECT_EQ(value_at(kItemOf, "saw"), 2);
}

}  // namespace
}  // namespace omnigraph
