// Graph::cleanup: the retention rule (keep_versions / older_than), what
// stays readable (branch heads, retained history, merge bases), what a
// pruned commit reads as, and that the sweep removes exactly the chunks
// nothing retained reaches (on RocksDB and in memory).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/ulid.h"
#include "omnigraph/graph.h"
#include "store/store.h"

namespace omnigraph {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSchema = R"(
node Person {
  name: String @key
  age: I32? @index
}
edge Knows: Person -> Person
)";

constexpr const char* kPeople =
    "query q() { match { $p: Person } return { $p.name, $p.age } order { $p.name } }";

std::string set_age(const std::string& name, int age) {
  return "query s() { update Person set { age: " + std::to_string(age) + " } where name = \"" +
         name + "\" }";
}

class CleanupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("og-cleanup-test-" + Ulid::generate().str());
    graph_ = Graph::init(dir_, kSchema);
    std::string data;
    for (int i = 0; i < 300; ++i) {
      data += R"({"type": "Person", "data": {"name": "p)" + std::to_string(i) + R"(", "age": )" +
              std::to_string(i % 90) + "}}\n";
    }
    data += R"({"edge": "Knows", "from": "p1", "to": "p2"})"
            "\n";
    std::istringstream in(data);
    graph_->load(in, {});
  }
  void TearDown() override {
    graph_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string change(const std::string& source, const std::string& branch = kMainBranch) {
    ChangeRequest request;
    request.query_source = source;
    request.branch = branch;
    return graph_->change(request).commit_id;
  }

  ReadResult read_at(const std::optional<std::string>& snapshot,
                     const std::string& branch = kMainBranch) {
    ReadRequest request;
    request.query_source = kPeople;
    request.branch = branch;
    request.snapshot = snapshot;
    return graph_->read(request);
  }

  int64_t age_of(const ReadResult& result, const std::string& name) {
    for (const auto& row : result.rows) {
      if (row[0].as_string() == name) return row[1].as_int();
    }
    ADD_FAILURE() << name << " not found";
    return -1;
  }

  fs::path dir_;
  std::unique_ptr<Graph> graph_;
};

TEST_F(CleanupTest, NeedsARetentionRule) {
  try {
    graph_->cleanup({});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
    EXPECT_STREQ(e.what(), "cleanup requires at least one of keep_versions or older_than");
  }
}

TEST_F(CleanupTest, KeepVersionsPrunesOlderCommitsData) {
  std::vector<std::string> ids;
  for (int age = 10; age < 15; ++age) ids.push_back(change(set_age("p1", age)));
  const ReadResult before = read_at(std::nullopt);
  const uint64_t commits_before = graph_->commit_list().size();

  CleanupStats stats = graph_->cleanup({.keep_versions = 1});
  EXPECT_GT(stats.chunks_removed, 0u);
  EXPECT_GT(stats.bytes_removed, 0u);
  EXPECT_EQ(stats.commits_retained, 2u) << "the head and one ancestor";
  EXPECT_EQ(stats.commits_retained + stats.commits_pruned, commits_before);
  EXPECT_LT(stats.chunks_removed, stats.chunks_scanned);

  // The head reads as before; history is intact.
  const ReadResult after = read_at(std::nullopt);
  EXPECT_EQ(after.rows.size(), before.rows.size());
  EXPECT_EQ(age_of(after, "p1"), 14);
  EXPECT_EQ(graph_->commit_list().size(), commits_before);
  // The kept ancestor still reads; the one before it does not.
  EXPECT_EQ(age_of(read_at(ids[3]), "p1"), 13);
  try {
    read_at(ids[2]);
    FAIL() << "a pruned commit must not read";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_EQ(std::string(e.what()),
              "commit '" + ids[2] + "' is no longer readable: its data was removed by cleanup");
  }

  // Writing goes on, and a second cleanup with the same rule finds only
  // what the new write left behind.
  change(set_age("p1", 99));
  EXPECT_EQ(age_of(read_at(std::nullopt), "p1"), 99);
  CleanupStats again = graph_->cleanup({.keep_versions = 1});
  EXPECT_EQ(again.commits_retained, 2u);
  CleanupStats idle = graph_->cleanup({.keep_versions = 1});
  EXPECT_EQ(idle.chunks_removed, 0u);
  EXPECT_EQ(idle.bytes_removed, 0u);
}

TEST_F(CleanupTest, SurvivesReopeningTheStore) {
  for (int age = 10; age < 13; ++age) change(set_age("p2", age));
  CleanupStats stats = graph_->cleanup({.keep_versions = 0});
  EXPECT_EQ(stats.commits_retained, 1u);
  graph_.reset();
  graph_ = Graph::open(dir_);
  EXPECT_EQ(age_of(read_at(std::nullopt), "p2"), 12);
  EXPECT_EQ(read_at(std::nullopt).rows.size(), 300u);
  // Nothing the head needs was removed: a full export, an indexed filter and
  // a traversal (adjacency trees) still work.
  std::ostringstream out;
  EXPECT_EQ(graph_->export_jsonl(out), 301u);
  ReadRequest filter;
  filter.query_source =
      "query f() { match { $p: Person\n $p.age = 12 } return { $p.name } order { $p.name } }";
  const ReadResult filtered = graph_->read(filter);
  ASSERT_FALSE(filtered.rows.empty());
  EXPECT_EQ(filtered.rows.front()[0].as_string(), "p102");
  ReadRequest hop;
  hop.query_source =
      "query h() { match { $a: Person { name: \"p1\" }\n $a knows $b } return { $b.name } }";
  const ReadResult hopped = graph_->read(hop);
  ASSERT_EQ(hopped.rows.size(), 1u);
  EXPECT_EQ(hopped.rows[0][0].as_string(), "p2");
}

TEST_F(CleanupTest, OlderThanKeepsRecentCommits) {
  for (int age = 10; age < 13; ++age) change(set_age("p3", age));
  const uint64_t commits = graph_->commit_list().size();
  CleanupStats stats = graph_->cleanup({.older_than = std::chrono::hours(24)});
  EXPECT_EQ(stats.commits_pruned, 0u) << "every commit is younger than a day";
  EXPECT_EQ(stats.commits_retained, commits);
  // Both rules: removed only when beyond `keep` and older than the cutoff.
  stats = graph_->cleanup({.keep_versions = 0, .older_than = std::chrono::hours(24)});
  EXPECT_EQ(stats.commits_pruned, 0u);
  stats = graph_->cleanup({.keep_versions = 0, .older_than = std::chrono::seconds(0)});
  EXPECT_EQ(stats.commits_retained, 1u);
}

TEST_F(CleanupTest, BranchHeadsAndMergeBasesStayReadable) {
  graph_->branch_create("feature");
  const std::string base = graph_->commit_list().back().graph_commit_id;
  for (int age = 20; age < 24; ++age) change(set_age("p4", age));
  for (int age = 30; age < 34; ++age) change(set_age("p5", age), "feature");

  graph_->cleanup({.keep_versions = 0});
  // Each head reads its own state.
  EXPECT_EQ(age_of(read_at(std::nullopt), "p4"), 23);
  EXPECT_EQ(age_of(read_at(std::nullopt, "feature"), "p5"), 33);
  EXPECT_EQ(age_of(read_at(std::nullopt, "feature"), "p4"), 4);
  // The fork point is the merge base: kept, so the three-way merge works.
  EXPECT_EQ(read_at(base).rows.size(), 300u);
  MergeResult merged = graph_->branch_merge("feature", kMainBranch);
  EXPECT_EQ(merged.outcome, MergeOutcome::kMerged);
  const ReadResult result = read_at(std::nullopt);
  EXPECT_EQ(age_of(result, "p4"), 23);
  EXPECT_EQ(age_of(result, "p5"), 33);
}

TEST(CleanupMemory, InMemoryGraphsCollectToo) {
  auto graph = Graph::init_in_memory(kSchema);
  std::istringstream data(R"({"type": "Person", "data": {"name": "a", "age": 1}})"
                          "\n");
  graph->load(data, {});
  for (int age = 2; age < 6; ++age) {
    ChangeRequest request;
    request.query_source = set_age("a", age);
    graph->change(request);
  }
  CleanupStats stats = graph->cleanup({.keep_versions = 0});
  EXPECT_EQ(stats.commits_retained, 1u);
  EXPECT_GT(stats.chunks_removed, 0u);
  ReadRequest read;
  read.query_source = kPeople;
  EXPECT_EQ(graph->read(read).rows.at(0)[1].as_int(), 5);
}

}  // namespace
}  // namespace omnigraph
