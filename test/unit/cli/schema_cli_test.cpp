// `omnigraph schema plan|apply|show` run as a user would: the built binary
// on a scratch graph directory — human and --json output, --branch,
// --allow-data-loss, refusals and their exit status, --as with a policy —
// and every example of docs/schema-evolution.md.
#include <gtest/gtest.h>

#include <rapidjson/document.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
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
)";

const char* kNext = R"(node Person {
    name: String @key
    years: I32? @rename_from("age")
    email: String?
}
node Team {
    label: String @key
}
)";

const char* kData = R"({"type": "Person", "data": {"name": "Alice", "age": 30}}
{"type": "Person", "data": {"name": "Bob", "age": 25}}
)";

const char* kQueries = R"(query ages() {
    match { $p: Person }
    return { $p.name, $p.age }
    order { $p.name asc }
}
)";

class SchemaCli : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    graph_ = (cwd_ / "people.og").string();
    write_file(cwd_ / "test.pg", kSchema);
    write_file(cwd_ / "next.pg", kNext);
    write_file(cwd_ / "test.jsonl", kData);
    write_file(cwd_ / "test.gq", kQueries);
  }
  void init() {
    run_ok({"init", "--schema", "test.pg", graph_});
    run_ok({"load", "--data", "test.jsonl", graph_});
  }
};

TEST_F(SchemaCli, PlanPrintsStepsAndChangesNothing) {
  init();
  Result r = run_ok({"schema", "plan", "--schema", "next.pg", graph_});
  EXPECT_EQ(r.out, "schema plan for " + graph_ +
                       "\n"
                       "supported: yes\n"
                       "- add property 'Person.email' (String?) on node 'Person'\n"
                       "- rename property 'Person.age' -> 'Person.years' on node 'Person'\n"
                       "- add node type 'Team'\n");
  EXPECT_EQ(run_ok({"schema", "show", graph_}).out, std::string(kSchema) + "\n");

  r = run_ok({"schema", "plan", "--schema", "test.pg", "--uri", graph_});
  EXPECT_EQ(r.out, "schema plan for " + graph_ + "\nsupported: yes\nno schema changes\n");
}

TEST_F(SchemaCli, PlanJson) {
  init();
  write_file(cwd_ / "drop.pg", "node Person {\n    name: String @key\n}\n");
  Result r = run_ok({"schema", "plan", "--schema", "drop.pg", "--json", graph_});
  auto doc = parse_json(r.out);
  EXPECT_STREQ(doc["uri"].GetString(), graph_.c_str());
  EXPECT_TRUE(doc["supported"].GetBool());
  EXPECT_EQ(doc["step_count"].GetUint64(), 1u);
  const auto& step = doc["steps"][0];
  EXPECT_STREQ(step["kind"].GetString(), "drop_property");
  EXPECT_STREQ(step["type_kind"].GetString(), "node");
  EXPECT_STREQ(step["type_name"].GetString(), "Person");
  EXPECT_STREQ(step["property_name"].GetString(), "age");
  EXPECT_STREQ(step["mode"].GetString(), "soft");

  r = run_ok({"schema", "plan", "--schema", "drop.pg", "--json", "--allow-data-loss", graph_});
  EXPECT_STREQ(parse_json(r.out)["steps"][0]["mode"].GetString(), "hard");
}

TEST_F(SchemaCli, UnsupportedPlanAndApply) {
  init();
  write_file(cwd_ / "bad.pg", "node Person {\n    name: String @key\n    age: I64?\n}\n");
  Result r = run_ok({"schema", "plan", "--schema", "bad.pg", graph_});
  EXPECT_EQ(r.out, "schema plan for " + graph_ +
                       "\nsupported: no\n"
                       "- unsupported change on node:Person.age [OG-MF-106, destructive]: changing "
                       "property type for 'Person.age' is not supported in schema migration v1\n");
  r = run_ok({"schema", "plan", "--schema", "bad.pg", "--json", graph_});
  auto doc = parse_json(r.out);
  EXPECT_FALSE(doc["supported"].GetBool());
  EXPECT_STREQ(doc["steps"][0]["kind"].GetString(), "unsupported_change");
  EXPECT_STREQ(doc["steps"][0]["entity"].GetString(), "node:Person.age");
  EXPECT_STREQ(doc["steps"][0]["code"].GetString(), "OG-MF-106");

  r = run({"schema", "apply", "--schema", "bad.pg", graph_});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "error: [OG-MF-106] changing property type for 'Person.age' is not supported in "
            "schema migration v1\n");
  EXPECT_EQ(run_ok({"schema", "show", graph_}).out, std::string(kSchema) + "\n");

  r = run({"schema", "plan", "--schema", "missing.pg", graph_});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("cannot read schema file 'missing.pg'"), std::string::npos) << r.err;
  r = run({"schema", "plan", graph_});
  EXPECT_EQ(r.status, 2) << "--schema is required";
}

TEST_F(SchemaCli, ApplyHumanAndJson) {
  init();
  Result r = run_ok({"schema", "apply", "--schema", "next.pg", graph_});
  EXPECT_EQ(r.out, "schema apply for " + graph_ +
                       "\n"
                       "supported: yes\n"
                       "applied: yes\n"
                       "manifest_version: 3\n"
                       "- add property 'Person.email' (String?) on node 'Person'\n"
                       "- rename property 'Person.age' -> 'Person.years' on node 'Person'\n"
                       "- add node type 'Team'\n");
  EXPECT_EQ(run_ok({"schema", "get", graph_}).out, std::string(kNext) + "\n");
  auto doc = parse_json(run_ok({"schema", "show", "--json", graph_}).out);
  EXPECT_STREQ(doc["schema_source"].GetString(), kNext);

  r = run_ok({"schema", "apply", "--schema", "next.pg", "--json", graph_});
  doc = parse_json(r.out);
  EXPECT_TRUE(doc["supported"].GetBool());
  EXPECT_FALSE(doc["applied"].GetBool());
  EXPECT_EQ(doc["step_count"].GetUint64(), 0u);
  EXPECT_EQ(doc["manifest_version"].GetUint64(), 3u);
  EXPECT_TRUE(doc["steps"].IsArray());
  EXPECT_STREQ(doc["branch"].GetString(), "main");

  write_file(cwd_ / "years.gq",
             "query q() { match { $p: Person } return { $p.name, $p.years } order { $p.name } }");
  r = run_ok({"read", graph_, "--query", "years.gq", "--format", "csv"});
  EXPECT_EQ(r.out, "p.name,p.years\nAlice,30\nBob,25\n");
}

TEST_F(SchemaCli, HardDropHidesOlderCommits) {
  init();
  auto commits = parse_json(run_ok({"commit", "list", graph_, "--json"}).out);
  ASSERT_TRUE(commits["commits"].IsArray());
  std::string before =
      commits["commits"][commits["commits"].Size() - 1]["graph_commit_id"].GetString();
  write_file(cwd_ / "drop.pg", "node Person {\n    name: String @key\n}\n");

  Result r = run_ok({"schema", "apply", "--schema", "drop.pg", "--allow-data-loss", graph_});
  EXPECT_NE(r.out.find("- drop property 'Person.age' of node 'Person' (hard mode)"),
            std::string::npos)
      << r.out;
  r = run({"read", graph_, "--query", "test.gq", "--snapshot", before, "--format", "csv"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("age"), std::string::npos) << r.err;
}

TEST_F(SchemaCli, SoftDropStaysReadableAtOlderCommits) {
  init();
  auto commits = parse_json(run_ok({"commit", "list", graph_, "--json"}).out);
  std::string before =
      commits["commits"][commits["commits"].Size() - 1]["graph_commit_id"].GetString();
  write_file(cwd_ / "drop.pg", "node Person {\n    name: String @key\n}\n");
  run_ok({"schema", "apply", "--schema", "drop.pg", graph_});
  Result r =
      run_ok({"read", graph_, "--query", "test.gq", "--snapshot", before, "--format", "csv"});
  EXPECT_EQ(r.out, "p.name,p.age\nAlice,30\nBob,25\n");
  r = run({"read", graph_, "--query", "test.gq", "--format", "csv"});
  EXPECT_EQ(r.status, 1);
}

TEST_F(SchemaCli, BranchApplyAndMerge) {
  init();
  run_ok({"branch", "create", "feature", graph_});
  Result r = run_ok({"schema", "apply", "--schema", "next.pg", "--branch", "feature", graph_});
  EXPECT_NE(r.out.find("applied: yes"), std::string::npos);
  EXPECT_EQ(run_ok({"schema", "show", graph_}).out, std::string(kSchema) + "\n");
  EXPECT_EQ(run_ok({"schema", "show", "--branch", "feature", graph_}).out,
            std::string(kNext) + "\n");
  r = run_ok({"schema", "plan", "--schema", "next.pg", "--branch", "feature", graph_});
  EXPECT_NE(r.out.find("no schema changes"), std::string::npos) << r.out;

  run_ok({"branch", "merge", "feature", "--into", "main", graph_});
  EXPECT_EQ(run_ok({"schema", "show", graph_}).out, std::string(kNext) + "\n");
}

TEST_F(SchemaCli, DivergedSchemasRefuseToMerge) {
  init();
  run_ok({"branch", "create", "feature", graph_});
  run_ok({"schema", "apply", "--schema", "next.pg", "--branch", "feature", graph_});
  write_file(cwd_ / "other.pg", std::string(kSchema) + "node Tag {\n    label: String @key\n}\n");
  run_ok({"schema", "apply", "--schema", "other.pg", graph_});
  Result r = run({"branch", "merge", "feature", "--into", "main", graph_});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("both branches changed the schema since their merge base"),
            std::string::npos)
      << r.err;
}

TEST_F(SchemaCli, ApplyChecksThePolicyForTheActor) {
  init();
  write_file(cwd_ / "policy.yaml", R"(version: 1
groups:
  admins: [act-admin]
rules:
  - id: admins-schema
    allow:
      actors: { group: admins }
      actions: [schema_apply]
      target_branch_scope: any
)");
  write_file(cwd_ / "omnigraph.yaml", "policy:\n  file: policy.yaml\n");
  Result r = run({"schema", "apply", "--schema", "next.pg", "--as", "act-other", graph_});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("act-other"), std::string::npos) << r.err;
  r = run_ok({"schema", "apply", "--schema", "next.pg", "--as", "act-admin", graph_});
  EXPECT_NE(r.out.find("applied: yes"), std::string::npos);
}

// ---- docs/schema-evolution.md ------------------------------------------------------

std::vector<std::string> split_words(const std::string& s) {
  std::vector<std::string> words;
  std::istringstream in(s);
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

TEST_F(SchemaCli, DocsExamplesRun) {
  std::ifstream in(fs::path(OG_SOURCE_DIR) / "docs" / "schema-evolution.md");
  ASSERT_TRUE(in);
  struct Command {
    std::vector<std::string> args;
    std::string expected;
    int line = 0;
  };
  std::string line;
  int number = 0, files = 0, commands = 0;
  while (std::getline(in, line)) {
    ++number;
    size_t file_at = line.find(" file=");
    if (line.rfind("```", 0) == 0 && file_at != std::string::npos) {
      const std::string name = line.substr(file_at + 6);
      std::string body;
      while (std::getline(in, line) && line != "```") {
        ++number;
        body += line + "\n";
      }
      ++number;
      write_file(cwd_ / name, body);
      ++files;
    } else if (line == "```console") {
      std::vector<Command> block;
      while (std::getline(in, line) && line != "```") {
        ++number;
        if (line.rfind("$ omnigraph ", 0) == 0) {
          block.push_back(Command{split_words(line.substr(12)), "", number});
        } else {
          ASSERT_FALSE(block.empty()) << "docs/schema-evolution.md:" << number;
          block.back().expected += line + "\n";
        }
      }
      ++number;
      // Blocks run in document order: each builds on the graph the earlier
      // ones left.
      for (const Command& command : block) {
        SCOPED_TRACE("docs/schema-evolution.md:" + std::to_string(command.line));
        Result r = run(command.args);
        EXPECT_EQ(r.out + r.err, command.expected);
        EXPECT_EQ(r.status, command.expected.rfind("error:", 0) == 0 ? 1 : 0);
        ++commands;
      }
    }
  }
  EXPECT_GE(files, 6);
  EXPECT_GE(commands, 12);
}

}  // namespace
