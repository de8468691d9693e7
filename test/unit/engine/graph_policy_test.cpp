// Engine-layer policy enforcement (engine.md §8): with a policy installed,
// every write checks the actor first; a denied actor or a missing actor is
// refused and nothing is written.
#include <gtest/gtest.h>

#include <sstream>

#include "common/error.h"
#include "omnigraph/graph.h"
#include "policy/policy.h"

namespace omnigraph {
namespace {

constexpr const char* kSchema = "node Person { name: String @key  age: I32? }\n";
constexpr const char* kInsert = "query add($name: String) { insert Person { name: $name } }\n";

constexpr const char* kPolicy = R"(
version: 1
groups:
  writers: [act-writer]
  readers: [act-reader]
protected_branches: [main]
rules:
  - id: writers-change-main
    allow:
      actors: { group: writers }
      actions: [change]
      branch_scope: any
  - id: readers-read
    allow:
      actors: { group: readers }
      actions: [read]
      branch_scope: any
)";

class GraphPolicyTest : public ::testing::Test {
 protected:
  GraphPolicyTest() : graph_(Graph::init_in_memory(kSchema)) {
    graph_->set_policy(std::make_shared<policy::Policy>(policy::Policy::from_yaml(kPolicy)));
  }

  ChangeRequest insert(std::optional<std::string> actor) {
    ChangeRequest request;
    request.query_source = kInsert;
    request.params_json = R"({"name": "Alice"})";
    request.actor = std::move(actor);
    return request;
  }

  uint64_t people() {
    for (const auto& table : graph_->snapshot().tables) {
      if (table.table_key == "node:Person") return table.row_count;
    }
    return 0;
  }

  std::unique_ptr<Graph> graph_;
};

TEST_F(GraphPolicyTest, AllowedActorWrites) {
  ChangeResult result = graph_->change(insert("act-writer"));
  EXPECT_EQ(result.affected_nodes, 1u);
  EXPECT_EQ(people(), 1u);
}

TEST_F(GraphPolicyTest, DeniedActorIsRefusedAndNothingIsWritten) {
  std::string before = graph_->snapshot().commit_id;
  try {
    graph_->change(insert("act-reader"));
    FAIL() << "a reader was allowed to change main";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden);
    EXPECT_NE(std::string(e.what()).find("policy"), std::string::npos) << e.what();
  }
  EXPECT_EQ(graph_->snapshot().commit_id, before);
  EXPECT_EQ(people(), 0u);
}

TEST_F(GraphPolicyTest, MissingActorIsRefusedNotBypassed) {
  try {
    graph_->change(insert(std::nullopt));
    FAIL() << "a write without an actor passed a policy";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden);
    EXPECT_NE(std::string(e.what()).find("actor"), std::string::npos) << e.what();
  }
  EXPECT_EQ(people(), 0u);
}

TEST_F(GraphPolicyTest, LoadsAreCheckedLikeChanges) {
  std::istringstream data(R"({"type": "Person", "data": {"name": "Bob"}})");
  LoadRequest request;
  request.actor = "act-reader";
  EXPECT_THROW(graph_->load(data, request), Error);
  EXPECT_EQ(people(), 0u);
}

TEST_F(GraphPolicyTest, WithoutPolicyAnyoneWritesAndTheActorIsRecorded) {
  graph_->set_policy(nullptr);
  ChangeResult result = graph_->change(insert(std::nullopt));
  EXPECT_EQ(result.affected_nodes, 1u);
  EXPECT_FALSE(result.actor.has_value());
}

}  // namespace
}  // namespace omnigraph
