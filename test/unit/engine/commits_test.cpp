// Commit history (engine.md §1.6, §3): commit_list order and fields,
// commit_show, and reads pinned to an old commit id.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/error.h"
#include "omnigraph/graph.h"

namespace omnigraph {
namespace {

constexpr const char* kSchema = "node Person { name: String @key  age: I32? }\n";
constexpr const char* kInsert = "query add($name: String) { insert Person { name: $name } }\n";
constexpr const char* kNames = "query names() { match { $p: Person } return { $p.name } }\n";

class CommitsTest : public ::testing::Test {
 protected:
  CommitsTest() : graph_(Graph::init_in_memory(kSchema)) {}

  std::string insert(const std::string& name, const std::string& branch = kMainBranch,
                     std::optional<std::string> actor = std::nullopt) {
    ChangeRequest request;
    request.query_source = kInsert;
    request.params_json = R"({"name": ")" + name + "\"}";
    request.branch = branch;
    request.actor = std::move(actor);
    return graph_->change(request).commit_id;
  }

  std::vector<std::string> names_at(const std::string& commit_id) {
    ReadRequest request;
    request.query_source = kNames;
    request.snapshot = commit_id;
    ReadResult result = graph_->read(request);
    EXPECT_EQ(result.snapshot, commit_id);
    EXPECT_EQ(result.branch, std::nullopt);
    std::vector<std::string> out;
    for (const auto& row : result.rows) out.push_back(row.at(0).as_string());
    std::sort(out.begin(), out.end());
    return out;
  }

  std::unique_ptr<Graph> graph_;
};

TEST_F(CommitsTest, GenesisIsTheOnlyCommitOfAFreshGraph) {
  auto commits = graph_->commit_list();
  ASSERT_EQ(commits.size(), 1u);
  const CommitInfo& genesis = commits[0];
  EXPECT_EQ(genesis.graph_commit_id, graph_->snapshot().commit_id);
  EXPECT_EQ(genesis.graph_commit_id.size(), 26u);
  EXPECT_EQ(genesis.manifest_branch, std::nullopt);
  EXPECT_EQ(genesis.manifest_version, 1u);
  EXPECT_EQ(genesis.parent_commit_id, std::nullopt);
  EXPECT_EQ(genesis.merged_parent_commit_id, std::nullopt);
  EXPECT_EQ(genesis.actor_id, std::nullopt);
  EXPECT_GT(genesis.created_at, 1'600'000'000'000'000);  // microseconds, after 2020
}

TEST_F(CommitsTest, ListIsOldestFirstWithParentsAndActors) {
  std::string first = insert("Alice", kMainBranch, "act-alice");
  std::string second = insert("Bob");
  auto commits = graph_->commit_list();
  ASSERT_EQ(commits.size(), 3u);
  EXPECT_EQ(commits[1].graph_commit_id, first);
  EXPECT_EQ(commits[2].graph_commit_id, second);
  EXPECT_EQ(commits[1].parent_commit_id, commits[0].graph_commit_id);
  EXPECT_EQ(commits[2].parent_commit_id, first);
  EXPECT_EQ(commits[1].actor_id, "act-alice");
  EXPECT_EQ(commits[2].actor_id, std::nullopt);
  for (size_t i = 0; i < commits.size(); ++i) {
    EXPECT_EQ(commits[i].manifest_version, i + 1);
    EXPECT_EQ(commits[i].manifest_branch, std::nullopt);
    if (i > 0) {
      EXPECT_GE(commits[i].created_at, commits[i - 1].created_at);
    }
  }
}

TEST_F(CommitsTest, NoOpChangeAddsNoCommit) {
  insert("Alice");
  ChangeRequest request;
  request.query_source = "query noop() { update Person set { age: 1 } where name = \"Nobody\" }\n";
  graph_->change(request);
  EXPECT_EQ(graph_->commit_list().size(), 2u);
}

TEST_F(CommitsTest, BranchHistoryIsTheParentsUpToTheForkPlusItsOwn) {
  std::string base = insert("Alice");
  graph_->branch_create("feature");
  std::string on_feature = insert("Bob", "feature", "act-bob");
  std::string on_main = insert("Carol");

  auto feature = graph_->commit_list("feature");
  ASSERT_EQ(feature.size(), 3u);
  EXPECT_EQ(feature[1].graph_commit_id, base);
  EXPECT_EQ(feature[2].graph_commit_id, on_feature);
  EXPECT_EQ(feature[2].manifest_branch, "feature");
  EXPECT_EQ(feature[2].manifest_version, 3u);
  EXPECT_EQ(feature[2].parent_commit_id, base);
  EXPECT_EQ(feature[2].actor_id, "act-bob");

  auto main = graph_->commit_list();
  ASSERT_EQ(main.size(), 3u);
  EXPECT_EQ(main[2].graph_commit_id, on_main);
  for (const CommitInfo& commit : main) EXPECT_NE(commit.graph_commit_id, on_feature);
}

TEST_F(CommitsTest, ListOfAnUnknownBranch) {
  try {
    graph_->commit_list("nope");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_EQ(std::string(e.what()), "branch 'nope' not found");
  }
}

TEST_F(CommitsTest, ShowFindsCommitsOfEveryBranch) {
  graph_->branch_create("feature");
  std::string on_feature = insert("Bob", "feature", "act-bob");
  CommitInfo shown = graph_->commit_show(on_feature);
  EXPECT_EQ(shown.graph_commit_id, on_feature);
  EXPECT_EQ(shown.manifest_branch, "feature");
  EXPECT_EQ(shown.actor_id, "act-bob");
  EXPECT_EQ(shown.parent_commit_id, graph_->commit_list()[0].graph_commit_id);
  // The same record as in the list.
  CommitInfo listed = graph_->commit_list("feature").back();
  EXPECT_EQ(listed.graph_commit_id, shown.graph_commit_id);
  EXPECT_EQ(listed.created_at, shown.created_at);
  EXPECT_EQ(listed.manifest_version, shown.manifest_version);
  // Still found after its branch is gone: commits are immutable.
  graph_->branch_delete("feature");
  EXPECT_EQ(graph_->commit_show(on_feature).graph_commit_id, on_feature);
}

TEST_F(CommitsTest, ShowOfAnUnknownId) {
  for (std::string id : {std::string("01ARZ3NDEKTSV4RRFFQ69G5FAV"), std::string("not-a-ulid")}) {
    try {
      graph_->commit_show(id);
      FAIL() << id;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kNotFound);
      EXPECT_EQ(std::string(e.what()), "commit '" + id + "' not found");
    }
  }
}

TEST_F(CommitsTest, SnapshotReadsSeeTheStateAtAnOldCommit) {
  std::string genesis = graph_->snapshot().commit_id;
  std::string first = insert("Alice");
  graph_->branch_create("feature");
  std::string on_feature = insert("Bob", "feature");
  insert("Carol");
  EXPECT_TRUE(names_at(genesis).empty());
  EXPECT_EQ(names_at(first), std::vector<std::string>{"Alice"});
  EXPECT_EQ(names_at(on_feature), (std::vector<std::string>{"Alice", "Bob"}));
  // After the branch is deleted its commits stay readable by id.
  graph_->branch_delete("feature");
  EXPECT_EQ(names_at(on_feature), (std::vector<std::string>{"Alice", "Bob"}));
}

TEST_F(CommitsTest, MergeCommitsNameBothParentsAndBringTheSourceHistory) {
  graph_->branch_create("feature");
  std::string on_feature = insert("Bob", "feature");
  std::string on_main = insert("Carol");
  MergeResult merged = graph_->branch_merge("feature", kMainBranch, "act-merger");
  ASSERT_EQ(merged.outcome, MergeOutcome::kMerged);
  ASSERT_TRUE(merged.commit_id.has_value());

  CommitInfo shown = graph_->commit_show(*merged.commit_id);
  EXPECT_EQ(shown.manifest_branch, std::nullopt);
  EXPECT_EQ(shown.parent_commit_id, on_main);
  EXPECT_EQ(shown.merged_parent_commit_id, on_feature);
  EXPECT_EQ(shown.actor_id, "act-merger");

  // main's history now holds every ancestor: genesis, both sides, the merge.
  auto commits = graph_->commit_list();
  ASSERT_EQ(commits.size(), 4u);
  std::set<std::string> ids;
  for (const CommitInfo& commit : commits) ids.insert(commit.graph_commit_id);
  EXPECT_TRUE(ids.count(on_feature));
  EXPECT_TRUE(ids.count(on_main));
  EXPECT_EQ(commits.back().graph_commit_id, *merged.commit_id);
  for (size_t i = 1; i < commits.size(); ++i) {
    EXPECT_LE(commits[i - 1].manifest_version, commits[i].manifest_version);
  }
}

TEST_F(CommitsTest, IdsAreUniqueAndIncreasing) {
  for (int i = 0; i < 5; ++i) insert("P" + std::to_string(i));
  auto commits = graph_->commit_list();
  std::set<std::string> ids;
  for (size_t i = 0; i < commits.size(); ++i) {
    ids.insert(commits[i].graph_commit_id);
    if (i > 0) {
      EXPECT_LT(commits[i - 1].graph_commit_id, commits[i].graph_commit_id);
    }
  }
  EXPECT_EQ(ids.size(), commits.size());
}

}  // namespace
}  // namespace omnigraph
