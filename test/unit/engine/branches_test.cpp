// Branch create, list and delete (engine.md §1.1, §1.3, §1.4, DESIGN.md §9):
// every refusal with its code and text, isolation of writes between
// branches, and engine-layer policy for branch create and delete.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "omnigraph/graph.h"
#include "policy/policy.h"
#include "store/store.h"
#include "version/commit_store.h"

namespace omnigraph {
namespace {

constexpr const char* kSchema = "node Person { name: String @key  age: I32? }\n";
constexpr const char* kInsert = "query add($name: String) { insert Person { name: $name } }\n";
constexpr const char* kNames = "query names() { match { $p: Person } return { $p.name } }\n";

// Runs `action` and checks it throws Error with `code` and exactly `message`.
void expect_error(const std::function<void()>& action, ErrorCode code, const std::string& message) {
  try {
    action();
    ADD_FAILURE() << "expected an error: " << message;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    EXPECT_EQ(std::string(e.what()), message);
  }
}

class BranchesTest : public ::testing::Test {
 protected:
  BranchesTest() : graph_(Graph::init_in_memory(kSchema)) {}

  std::string insert(const std::string& name, const std::string& branch = kMainBranch) {
    ChangeRequest request;
    request.query_source = kInsert;
    request.params_json = R"({"name": ")" + name + "\"}";
    request.branch = branch;
    return graph_->change(request).commit_id;
  }

  std::vector<std::string> names(const std::string& branch) {
    ReadRequest request;
    request.query_source = kNames;
    request.branch = branch;
    std::vector<std::string> out;
    for (const auto& row : graph_->read(request).rows) out.push_back(row.at(0).as_string());
    std::sort(out.begin(), out.end());
    return out;
  }

  std::unique_ptr<Graph> graph_;
};

TEST_F(BranchesTest, FreshGraphListsOnlyMain) {
  EXPECT_EQ(graph_->branch_list(), std::vector<std::string>{"main"});
}

TEST_F(BranchesTest, CreateForksAtTheSourceHeadWithoutACommit) {
  insert("Alice");
  std::string main_head = graph_->snapshot().commit_id;
  graph_->branch_create("feature");
  SnapshotInfo feature = graph_->snapshot("feature");
  EXPECT_EQ(feature.commit_id, main_head);
  EXPECT_EQ(feature.manifest_version, graph_->snapshot().manifest_version);
  EXPECT_EQ(names("feature"), std::vector<std::string>{"Alice"});
  EXPECT_EQ(graph_->commit_list("feature").size(), graph_->commit_list().size());
}

TEST_F(BranchesTest, ListIsSortedAndIncludesSlashNames) {
  graph_->branch_create("zeta");
  graph_->branch_create("alpha");
  graph_->branch_create("review/x");
  EXPECT_EQ(graph_->branch_list(), (std::vector<std::string>{"alpha", "main", "review/x", "zeta"}));
}

TEST(BranchListTest, InternalRefsAreHidden) {
  // Refs the engine keeps for itself, planted directly in the commit store.
  std::string pattern = (std::filesystem::temp_directory_path() / "og-branches-XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  std::filesystem::path dir = std::filesystem::path(pattern) / "g.og";
  Graph::init(dir, kSchema).reset();
  {
    store::Store store = store::open_rocksdb_store(dir);
    version::CommitStore commits(store);
    auto head = commits.head(kMainBranch);
    ASSERT_TRUE(head.has_value());
    ASSERT_TRUE(commits.create_branch("__run__123", *head));
    ASSERT_TRUE(commits.create_branch("__schema_apply_lock__", *head));
    ASSERT_TRUE(commits.create_branch("review", *head));
  }
  auto graph = Graph::open(dir);
  EXPECT_EQ(graph->branch_list(), (std::vector<std::string>{"main", "review"}));
  graph.reset();
  std::filesystem::remove_all(pattern);
}

TEST_F(BranchesTest, CreateFromAnotherBranch) {
  graph_->branch_create("feature");
  insert("Bob", "feature");
  graph_->branch_create("child", GraphTarget::at_branch("feature"));
  EXPECT_EQ(names("child"), std::vector<std::string>{"Bob"});
  EXPECT_EQ(graph_->snapshot("child").commit_id, graph_->snapshot("feature").commit_id);
  // A branch forked from `feature` inherits its table_branch entries.
  for (const TableInfo& table : graph_->snapshot("child").tables) {
    if (table.table_key == "node:Person") {
      EXPECT_EQ(table.table_branch, "feature");
    }
  }
}

TEST_F(BranchesTest, CreateRefusals) {
  graph_->branch_create("feature");
  expect_error([&] { graph_->branch_create("feature"); }, ErrorCode::kConflict,
               "branch 'feature' already exists");
  expect_error([&] { graph_->branch_create("main"); }, ErrorCode::kBadRequest,
               "cannot create branch 'main'");
  expect_error([&] { graph_->branch_create(""); }, ErrorCode::kBadRequest,
               "branch name cannot be empty");
  expect_error([&] { graph_->branch_create("  \t"); }, ErrorCode::kBadRequest,
               "branch name cannot be empty");
  expect_error([&] { graph_->branch_create("__run__abc"); }, ErrorCode::kBadRequest,
               "branch_create_from does not allow internal run ref '__run__abc'");
  expect_error([&] { graph_->branch_create("/__run__abc"); }, ErrorCode::kBadRequest,
               "branch_create_from does not allow internal run ref '/__run__abc'");
  expect_error([&] { graph_->branch_create("__schema_apply_lock__"); }, ErrorCode::kBadRequest,
               "branch_create_from does not allow internal system ref '__schema_apply_lock__'");
  expect_error([&] { graph_->branch_create("x", GraphTarget::at_branch("__schema_apply_lock__")); },
               ErrorCode::kBadRequest,
               "branch_create_from does not allow internal system ref '__schema_apply_lock__'");
  expect_error([&] { graph_->branch_create("x", GraphTarget::at_branch("nope")); },
               ErrorCode::kNotFound, "branch 'nope' not found");
  std::string head = graph_->snapshot().commit_id;
  expect_error([&] { graph_->branch_create("x", GraphTarget::at_commit(head)); },
               ErrorCode::kBadRequest,
               "branch creation from pinned snapshots is not supported yet");
  EXPECT_EQ(graph_->branch_list(), (std::vector<std::string>{"feature", "main"}));
}

TEST_F(BranchesTest, WritesOnABranchDoNotShowOnMain) {
  insert("Alice");
  graph_->branch_create("feature");
  std::string commit = insert("Bob", "feature");
  EXPECT_EQ(names("feature"), (std::vector<std::string>{"Alice", "Bob"}));
  EXPECT_EQ(names("main"), std::vector<std::string>{"Alice"});
  EXPECT_EQ(graph_->snapshot("feature").commit_id, commit);
  // The branch owns the table it wrote; main's entry is untouched.
  for (const TableInfo& table : graph_->snapshot("feature").tables) {
    if (table.table_key == "node:Person") {
      EXPECT_EQ(table.table_branch, "feature");
      EXPECT_EQ(table.row_count, 2u);
    }
  }
  for (const TableInfo& table : graph_->snapshot().tables) {
    EXPECT_EQ(table.table_branch, std::nullopt) << table.table_key;
  }
  // And writes on main do not show on the branch.
  insert("Carol");
  EXPECT_EQ(names("feature"), (std::vector<std::string>{"Alice", "Bob"}));
  EXPECT_EQ(names("main"), (std::vector<std::string>{"Alice", "Carol"}));
}

TEST_F(BranchesTest, DeleteRemovesTheBranchAndANewOneStartsFresh) {
  graph_->branch_create("feature");
  insert("Bob", "feature");
  graph_->branch_delete("feature");
  EXPECT_EQ(graph_->branch_list(), std::vector<std::string>{"main"});
  expect_error([&] { graph_->snapshot("feature"); }, ErrorCode::kNotFound,
               "branch 'feature' not found");
  graph_->branch_create("feature");
  EXPECT_TRUE(names("feature").empty());
}

TEST_F(BranchesTest, DeleteABranchOthersWereForkedFrom) {
  // Branches share immutable chunks, so nothing depends on a branch ref.
  graph_->branch_create("parent");
  insert("Bob", "parent");
  graph_->branch_create("child", GraphTarget::at_branch("parent"));
  graph_->branch_delete("parent");
  EXPECT_EQ(names("child"), std::vector<std::string>{"Bob"});
  insert("Carol", "child");
  EXPECT_EQ(names("child"), (std::vector<std::string>{"Bob", "Carol"}));
}

TEST_F(BranchesTest, DeleteRefusals) {
  expect_error([&] { graph_->branch_delete("main"); }, ErrorCode::kBadRequest,
               "cannot delete branch 'main'");
  expect_error([&] { graph_->branch_delete("nope"); }, ErrorCode::kNotFound,
               "branch 'nope' not found");
  expect_error([&] { graph_->branch_delete(" "); }, ErrorCode::kBadRequest,
               "branch name cannot be empty");
  expect_error([&] { graph_->branch_delete("__run__1"); }, ErrorCode::kBadRequest,
               "branch_delete does not allow internal run ref '__run__1'");
  expect_error([&] { graph_->branch_delete("__schema_apply_lock__"); }, ErrorCode::kBadRequest,
               "branch_delete does not allow internal system ref '__schema_apply_lock__'");
}

constexpr const char* kPolicy = R"(
version: 1
groups:
  admins: [act-admin]
  writers: [act-writer]
protected_branches: [main]
rules:
  - id: admins-branches
    allow:
      actors: { group: admins }
      actions: [branch_create, branch_delete]
  - id: writers-unprotected
    allow:
      actors: { group: writers }
      actions: [branch_create]
      target_branch_scope: unprotected
)";

class BranchPolicyTest : public BranchesTest {
 protected:
  BranchPolicyTest() {
    graph_->set_policy(std::make_shared<policy::Policy>(policy::Policy::from_yaml(kPolicy)));
  }
};

TEST_F(BranchPolicyTest, CreateAndDeleteAreChecked) {
  graph_->branch_create("feature", GraphTarget::at_branch(kMainBranch), "act-writer");
  EXPECT_EQ(graph_->branch_list(), (std::vector<std::string>{"feature", "main"}));
  try {
    graph_->branch_delete("feature", "act-writer");
    FAIL() << "a writer was allowed to delete a branch";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden);
    EXPECT_NE(std::string(e.what()).find("policy denied"), std::string::npos) << e.what();
  }
  EXPECT_EQ(graph_->branch_list(), (std::vector<std::string>{"feature", "main"}));
  graph_->branch_delete("feature", "act-admin");
  EXPECT_EQ(graph_->branch_list(), std::vector<std::string>{"main"});
}

TEST_F(BranchPolicyTest, PolicyIsCheckedBeforeTheNameRules) {
  // The denial wins over "cannot create branch 'main'" and over "exists".
  try {
    graph_->branch_create("main", GraphTarget::at_branch(kMainBranch), "act-writer");
    FAIL() << "creating a protected branch name was allowed";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden) << e.what();
  }
  try {
    graph_->branch_delete("nope", "act-writer");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden) << e.what();
  }
}

TEST_F(BranchPolicyTest, MissingActorIsRefused) {
  try {
    graph_->branch_create("feature");
    FAIL() << "a branch was created without an actor";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden);
  }
  EXPECT_EQ(graph_->branch_list(), std::vector<std::string>{"main"});
}

}  // namespace
}  // namespace omnigraph
