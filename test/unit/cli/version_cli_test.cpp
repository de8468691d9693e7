// `omnigraph branch create|list|delete` and `omnigraph commit list|show`
// run as a user would: the built binary on a scratch graph directory,
// checking stdout, stderr and exit status, --json forms, the engine's
// refusals, and --as with a policy from omnigraph.yaml.
#include <gtest/gtest.h>

#include <rapidjson/document.h>
#include <stdlib.h>
#include <sys/wait.h>
#include "cli_test_util.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace omnigraph::cli_test;

const char* kSchema = R"(node Person {
    name: String @key
    age: I32?
}
)";

const char* kData = R"({"type": "Person", "data": {"name": "Alice", "age": 30}}
)";

const char* kQueries = R"(query names() {
    match {
        $p: Person
    }
    return { $p.name }
    order { $p.name asc }
}

query insert_person($name: String) {
    insert Person { name: $name }
}
)";

const char* kPolicy = R"(version: 1
groups:
  admins: [act-admin]
  writers: [act-writer]
rules:
  - id: admins-branches
    allow:
      actors: { group: admins }
      actions: [branch_create, branch_delete]
  - id: writers-change
    allow:
      actors: { group: writers }
      actions: [change]
      branch_scope: any
)";

class VersionCli : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    graph_ = (cwd_ / "people.og").string();
    write_file(cwd_ / "test.pg", kSchema);
    write_file(cwd_ / "test.jsonl", kData);
    write_file(cwd_ / "test.gq", kQueries);
    run_ok({"init", "--schema", "test.pg", graph_});
    run_ok({"load", "--data", "test.jsonl", graph_});
  }

  Result insert(const std::string& name, const std::string& branch,
                std::vector<std::string> extra = {}) {
    std::vector<std::string> args{
        "change",   graph_,          "--query",  "test.gq",
        "--name",   "insert_person", "--params", R"({"name":")" + name + R"("})",
        "--branch", branch};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }

  std::vector<std::string> names(const std::vector<std::string>& target) {
    std::vector<std::string> args{"read",   graph_,  "--query",  "test.gq",
                                  "--name", "names", "--format", "csv"};
    args.insert(args.end(), target.begin(), target.end());
    auto lines = lines_of(run_ok(args).out);
    if (!lines.empty()) lines.erase(lines.begin());  // the header
    return lines;
  }
};

TEST_F(VersionCli, BranchCreateListDelete) {
  Result r = run_ok({"branch", "create", "feature", graph_});
  EXPECT_EQ(r.out, "created branch feature from main\n");
  EXPECT_EQ(r.err, "");
  run_ok({"branch", "create", "--from", "feature", "child", graph_});
  r = run_ok({"branch", "create", "--uri", graph_, "alpha"});
  EXPECT_EQ(r.out, "created branch alpha from main\n");

  r = run_ok({"branch", "list", graph_});
  EXPECT_EQ(r.out, "alpha\nchild\nfeature\nmain\n");
  r = run_ok({"branch", "list", "--uri", graph_, "--json"});
  auto doc = parse_json(r.out);
  ASSERT_TRUE(doc["branches"].IsArray());
  ASSERT_EQ(doc["branches"].Size(), 4u);
  EXPECT_STREQ(doc["branches"][3].GetString(), "main");

  r = run_ok({"branch", "delete", "child", graph_});
  EXPECT_EQ(r.out, "deleted branch child\n");
  r = run_ok({"branch", "list", graph_});
  EXPECT_EQ(r.out, "alpha\nfeature\nmain\n");
}

TEST_F(VersionCli, BranchJsonOutputs) {
  Result r = run_ok({"branch", "create", "feature", graph_, "--json"});
  auto doc = parse_json(r.out);
  EXPECT_EQ(doc["uri"].GetString(), graph_);
  EXPECT_STREQ(doc["from"].GetString(), "main");
  EXPECT_STREQ(doc["name"].GetString(), "feature");
  EXPECT_TRUE(doc["actor_id"].IsNull());
  r = run_ok({"branch", "delete", "feature", graph_, "--json", "--as", "act-x"});
  doc = parse_json(r.out);
  EXPECT_EQ(doc["uri"].GetString(), graph_);
  EXPECT_STREQ(doc["name"].GetString(), "feature");
  EXPECT_STREQ(doc["actor_id"].GetString(), "act-x");
}

TEST_F(VersionCli, BranchRefusals) {
  run_ok({"branch", "create", "feature", graph_});
  Result r = run({"branch", "create", "feature", graph_});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "error: branch 'feature' already exists\n");
  r = run({"branch", "create", "main", graph_});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: cannot create branch 'main'\n");
  r = run({"branch", "create", "--from", "nope", "x", graph_});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: branch 'nope' not found\n");
  r = run({"branch", "delete", "main", graph_});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: cannot delete branch 'main'\n");
  r = run({"branch", "delete", "nope", graph_});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: branch 'nope' not found\n");
  r = run({"branch", "create", "__run__x", graph_});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: branch_create_from does not allow internal run ref '__run__x'\n");
  r = run({"branch", "list"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: URI must be provided via <URI>, --target, or config\n");
  r = run({"branch", "create", graph_});  // the name is missing: only one positional
  EXPECT_NE(r.status, 0);
  r = run({"branch"});
  EXPECT_EQ(r.status, 2);
}

TEST_F(VersionCli, WritesOnABranchStayThere) {
  run_ok({"branch", "create", "feature", graph_});
  Result r = insert("Bob", "feature");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(names({"--branch", "feature"}), (std::vector<std::string>{"Alice", "Bob"}));
  EXPECT_EQ(names({}), std::vector<std::string>{"Alice"});
  r = run_ok({"snapshot", graph_, "--branch", "feature"});
  EXPECT_TRUE(std::regex_search(r.out, std::regex("node:Person v[0-9]+ branch=feature rows=2\\n")))
      << r.out;
}

TEST_F(VersionCli, CommitListAndShow) {
  run_ok({"branch", "create", "feature", graph_});
  ASSERT_EQ(insert("Bob", "feature", {"--as", "act-bob"}).status, 0);

  Result r = run_ok({"commit", "list", graph_});
  auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;
  const std::regex main_line("([0-9A-Z]{26}) branch=main version=([0-9]+)");
  std::smatch m;
  ASSERT_TRUE(std::regex_match(lines[0], m, main_line)) << lines[0];
  const std::string genesis = m[1];
  EXPECT_EQ(m[2], "1");
  ASSERT_TRUE(std::regex_match(lines[1], m, main_line)) << lines[1];
  const std::string loaded = m[1];
  EXPECT_EQ(m[2], "2");

  r = run_ok({"commit", "list", graph_, "--branch", "feature"});
  lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  ASSERT_TRUE(std::regex_match(lines[2], m,
                               std::regex("([0-9A-Z]{26}) branch=feature version=3 actor=act-bob")))
      << lines[2];
  const std::string on_feature = m[1];

  r = run_ok({"commit", "list", graph_, "--branch", "feature", "--json"});
  auto doc = parse_json(r.out);
  ASSERT_EQ(doc["commits"].Size(), 3u);
  const auto& first = doc["commits"][0];
  EXPECT_EQ(first["graph_commit_id"].GetString(), genesis);
  EXPECT_TRUE(first["manifest_branch"].IsNull());
  EXPECT_EQ(first["manifest_version"].GetUint64(), 1u);
  EXPECT_TRUE(first["parent_commit_id"].IsNull());
  EXPECT_TRUE(first["merged_parent_commit_id"].IsNull());
  EXPECT_TRUE(first["actor_id"].IsNull());
  EXPECT_TRUE(first["created_at"].IsInt64());
  const auto& last = doc["commits"][2];
  EXPECT_STREQ(last["manifest_branch"].GetString(), "feature");
  EXPECT_EQ(last["parent_commit_id"].GetString(), loaded);
  EXPECT_STREQ(last["actor_id"].GetString(), "act-bob");
  const int64_t created_at = last["created_at"].GetInt64();

  r = run_ok({"commit", "show", on_feature, graph_});
  EXPECT_EQ(r.out,
            "graph_commit_id: " + on_feature +
                "\nmanifest_branch: feature\nmanifest_version: 3\nparent_commit_id: " + loaded +
                "\nactor_id: act-bob\ncreated_at: " + std::to_string(created_at) + "\n");
  r = run_ok({"commit", "show", genesis, graph_});
  EXPECT_EQ(r.out, "graph_commit_id: " + genesis +
                       "\nmanifest_branch: main\nmanifest_version: 1\ncreated_at: " +
                       lines_of(r.out).back().substr(12) + "\n");
  r = run_ok({"commit", "show", "--uri", graph_, on_feature, "--json"});
  doc = parse_json(r.out);
  EXPECT_EQ(doc["graph_commit_id"].GetString(), on_feature);
  EXPECT_STREQ(doc["manifest_branch"].GetString(), "feature");
  EXPECT_EQ(doc["manifest_version"].GetUint64(), 3u);
  EXPECT_EQ(doc["created_at"].GetInt64(), created_at);

  // A snapshot read at the old commit sees the state then.
  EXPECT_TRUE(names({"--snapshot", genesis}).empty());
  EXPECT_EQ(names({"--snapshot", on_feature}), (std::vector<std::string>{"Alice", "Bob"}));
}

TEST_F(VersionCli, BranchMerge) {
  run_ok({"branch", "create", "feature", graph_});
  ASSERT_EQ(insert("Bob", "feature").status, 0);
  Result r = run_ok({"branch", "merge", "feature", graph_});
  EXPECT_EQ(r.out, "merged feature into main: fast_forward\n");
  EXPECT_EQ(names({}), (std::vector<std::string>{"Alice", "Bob"}));
  r = run_ok({"branch", "merge", "feature", "--into", "main", graph_, "--json"});
  auto doc = parse_json(r.out);
  EXPECT_STREQ(doc["source"].GetString(), "feature");
  EXPECT_STREQ(doc["target"].GetString(), "main");
  EXPECT_STREQ(doc["outcome"].GetString(), "already_up_to_date");
  EXPECT_TRUE(doc["actor_id"].IsNull());

  // Both sides move: a merge commit with two parents.
  ASSERT_EQ(insert("Carol", "feature").status, 0);
  ASSERT_EQ(insert("Dave", "main").status, 0);
  r = run_ok({"branch", "merge", "feature", graph_, "--as", "act-merger"});
  EXPECT_EQ(r.out, "merged feature into main: merged\n");
  EXPECT_EQ(names({}), (std::vector<std::string>{"Alice", "Bob", "Carol", "Dave"}));
  doc = parse_json(run_ok({"commit", "list", graph_, "--json"}).out);
  const auto& commits = doc["commits"];
  const auto& merge = commits[commits.Size() - 1];
  EXPECT_TRUE(merge["merged_parent_commit_id"].IsString());
  EXPECT_STREQ(merge["actor_id"].GetString(), "act-merger");
  r = run_ok({"commit", "show", merge["graph_commit_id"].GetString(), graph_});
  EXPECT_NE(r.out.find(std::string("\nmerged_parent_commit_id: ") +
                       merge["merged_parent_commit_id"].GetString() + "\n"),
            std::string::npos)
      << r.out;

  r = run({"branch", "merge", "nope", graph_});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: branch 'nope' not found\n");
}

TEST_F(VersionCli, CommitErrors) {
  Result r = run({"commit", "show", "01ARZ3NDEKTSV4RRFFQ69G5FAV", graph_});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "error: commit '01ARZ3NDEKTSV4RRFFQ69G5FAV' not found\n");
  r = run({"commit", "list", graph_, "--branch", "nope"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: branch 'nope' not found\n");
}

TEST_F(VersionCli, PolicyGatesBranchCreateAndDelete) {
  write_file(cwd_ / "policy.yaml", kPolicy);
  write_file(cwd_ / "omnigraph.yaml", "policy:\n  file: ./policy.yaml\n");

  Result r = run({"branch", "create", "feature", graph_});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("no actor"), std::string::npos) << r.err;
  r = run({"branch", "create", "feature", graph_, "--as", "act-writer"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err.rfind("error: policy denied", 0), 0u) << r.err;
  EXPECT_EQ(run_ok({"branch", "list", graph_}).out, "main\n");

  r = run({"branch", "create", "feature", graph_, "--as", "act-admin", "--json"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_STREQ(parse_json(r.out)["actor_id"].GetString(), "act-admin");
  // The global --as, before the subcommand.
  r = run({"--as", "act-writer", "branch", "delete", "feature", graph_});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err.rfind("error: policy denied", 0), 0u) << r.err;
  r = run({"--as", "act-admin", "branch", "delete", "feature", graph_});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(run_ok({"branch", "list", graph_}).out, "main\n");

  // cli.actor is the default actor.
  write_file(cwd_ / "omnigraph.yaml", "cli:\n  actor: act-admin\npolicy:\n  file: ./policy.yaml\n");
  run_ok({"branch", "create", "again", graph_});
  EXPECT_EQ(run_ok({"branch", "list", graph_}).out, "again\nmain\n");
}

}  // namespace
