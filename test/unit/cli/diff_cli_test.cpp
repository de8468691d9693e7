// `omnigraph diff FROM TO` run as a user would: branches and commit ids as
// either end, the --kind/--type/--op filters, --json, and refusals.
#include <gtest/gtest.h>

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli_test_util.h"

namespace {

namespace fs = std::filesystem;
using namespace omnigraph::cli_test;

const char* kSchema = R"(node Person {
    name: String @key
    age: I32?
}
node Team {
    name: String @key
}
edge MemberOf: Person -> Team
)";

const char* kData = R"({"type": "Person", "data": {"name": "Alice", "age": 30}}
{"type": "Person", "data": {"name": "Bob", "age": 25}}
{"type": "Team", "data": {"name": "Core"}}
)";

const char* kQueries = R"(query add_person($name: String, $age: I32) {
    insert Person { name: $name, age: $age }
}
query set_age($name: String, $age: I32) {
    update Person set { age: $age } where name = $name
}
query remove_person($name: String) {
    delete Person where name = $name
}
query join($name: String, $team: String) {
    insert MemberOf { from: $name, to: $team }
}
)";

class DiffCli : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    graph_ = (cwd_ / "g.og").string();
    write_file(cwd_ / "s.pg", kSchema);
    write_file(cwd_ / "d.jsonl", kData);
    write_file(cwd_ / "q.gq", kQueries);
    run_ok({"init", "--schema", "s.pg", graph_});
    run_ok({"load", "--data", "d.jsonl", graph_});
  }
  void change(const std::string& name, const std::string& params, const std::string& branch) {
    run_ok({"change", graph_, "--query", "q.gq", "--name", name, "--params", params, "--branch",
            branch});
  }
  std::string head(const std::string& branch) {
    auto doc = parse_json(run_ok({"commit", "list", graph_, "--branch", branch, "--json"}).out);
    const auto& commits = doc["commits"];
    return commits[commits.Size() - 1]["graph_commit_id"].GetString();
  }
};

TEST_F(DiffCli, BranchToBranchListsEveryChange) {
  run_ok({"branch", "create", "feature", graph_});
  change("add_person", R"({"name": "Carol", "age": 41})", "feature");
  change("set_age", R"({"name": "Alice", "age": 31})", "feature");
  change("remove_person", R"({"name": "Bob"})", "feature");
  change("join", R"({"name": "Alice", "team": "Core"})", "feature");

  Result r = run_ok({"diff", "main", "feature", graph_});
  std::vector<std::string> lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 5u) << r.out;
  EXPECT_EQ(lines[0].rfind("insert edge:MemberOf ", 0), 0u) << lines[0];
  EXPECT_NE(lines[0].find(" Alice -> Core"), std::string::npos) << lines[0];
  EXPECT_EQ(lines[1], "update node:Person Alice");
  EXPECT_EQ(lines[2], "delete node:Person Bob");
  EXPECT_EQ(lines[3], "insert node:Person Carol");
  EXPECT_EQ(lines[4], "2 inserts, 1 updates, 1 deletes (MemberOf, Person)");
  EXPECT_EQ(r.err, "");

  // Reversed, the same changes undo each other.
  r = run_ok({"diff", "feature", "main", graph_});
  EXPECT_NE(r.out.find("delete node:Person Carol\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("insert node:Person Bob\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 inserts, 1 updates, 2 deletes"), std::string::npos) << r.out;
}

TEST_F(DiffCli, CommitIdsAndFilters) {
  std::string before = head("main");
  change("add_person", R"({"name": "Carol", "age": 41})", "main");
  std::string middle = head("main");
  change("set_age", R"({"name": "Carol", "age": 42})", "main");
  change("join", R"({"name": "Carol", "team": "Core"})", "main");

  Result r = run_ok({"diff", before, middle, graph_});
  EXPECT_EQ(r.out, "insert node:Person Carol\n1 inserts, 0 updates, 0 deletes (Person)\n");
  // A commit id against a branch head.
  r = run_ok({"diff", middle, "main", "--uri", graph_});
  EXPECT_NE(r.out.find("update node:Person Carol\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("insert edge:MemberOf "), std::string::npos) << r.out;

  r = run_ok({"diff", before, "main", graph_, "--kind", "edge"});
  EXPECT_EQ(lines_of(r.out).size(), 2u) << r.out;
  EXPECT_EQ(r.out.rfind("insert edge:MemberOf ", 0), 0u) << r.out;
  r = run_ok({"diff", before, "main", graph_, "--type", "Person", "--op", "insert"});
  EXPECT_EQ(r.out, "insert node:Person Carol\n1 inserts, 0 updates, 0 deletes (Person)\n");
  r = run_ok({"diff", before, "main", graph_, "--op", "delete"});
  EXPECT_EQ(r.out, "0 inserts, 0 updates, 0 deletes\n");
  r = run_ok({"diff", "main", "main", graph_});
  EXPECT_EQ(r.out, "0 inserts, 0 updates, 0 deletes\n");
}

TEST_F(DiffCli, JsonOutput) {
  std::string before = head("main");
  change("join", R"({"name": "Bob", "team": "Core"})", "main");
  change("set_age", R"({"name": "Bob", "age": 26})", "main");
  Result r = run_ok({"diff", before, "main", graph_, "--json"});
  auto doc = parse_json(r.out);
  EXPECT_STREQ(doc["from"].GetString(), before.c_str());
  EXPECT_STREQ(doc["to"].GetString(), "main");
  ASSERT_TRUE(doc["changes"].IsArray());
  ASSERT_EQ(doc["changes"].Size(), 2u);
  const auto& edge = doc["changes"][0];
  EXPECT_STREQ(edge["table_key"].GetString(), "edge:MemberOf");
  EXPECT_STREQ(edge["kind"].GetString(), "edge");
  EXPECT_STREQ(edge["type_name"].GetString(), "MemberOf");
  EXPECT_STREQ(edge["op"].GetString(), "insert");
  EXPECT_STREQ(edge["endpoints"]["src"].GetString(), "Bob");
  EXPECT_STREQ(edge["endpoints"]["dst"].GetString(), "Core");
  const auto& node = doc["changes"][1];
  EXPECT_STREQ(node["id"].GetString(), "Bob");
  EXPECT_STREQ(node["op"].GetString(), "update");
  EXPECT_TRUE(node["endpoints"].IsNull());
  EXPECT_TRUE(node["manifest_version"].IsUint64());
  EXPECT_EQ(doc["stats"]["inserts"].GetUint64(), 1u);
  EXPECT_EQ(doc["stats"]["updates"].GetUint64(), 1u);
  EXPECT_EQ(doc["stats"]["deletes"].GetUint64(), 0u);
  ASSERT_EQ(doc["stats"]["types_affected"].Size(), 2u);
  EXPECT_STREQ(doc["stats"]["types_affected"][0].GetString(), "MemberOf");
}

TEST_F(DiffCli, Refusals) {
  Result r = run({"diff", "main", "nope", graph_});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("error: "), std::string::npos) << r.err;
  r = run({"diff", "main", "01ARZ3NDEKTSV4RRFFQ69G5FAV", graph_});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("not found"), std::string::npos) << r.err;
  r = run({"diff", "main", "main", graph_, "--op", "upsert"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: invalid --op 'upsert' (expected one of: insert, update, delete)\n");
  r = run({"diff", "main", "main", graph_, "--kind", "vertex"});
  EXPECT_EQ(r.status, 1);
  r = run({"diff", "main"});
  EXPECT_EQ(r.status, 2);  // usage: TO is required
  r = run({"diff", "main", "main"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("URI must be provided"), std::string::npos) << r.err;
}

}  // namespace
