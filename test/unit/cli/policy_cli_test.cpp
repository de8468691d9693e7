// `omnigraph policy validate|test|explain` run as a user would: the built
// binary in a scratch directory, checking stdout, stderr and exit status.
// Also runs every console example of docs/policy.md.
#include <gtest/gtest.h>

#include <stdlib.h>
#include <sys/wait.h>
#include "cli_test_util.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace omnigraph::cli_test;

class PolicyCli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "og-policy-cli-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    dir_ = root_ / "graph";
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(root_); }

  // Runs `omnigraph <args>` with `cwd` as working directory.
  Result run(const std::vector<std::string>& args, const fs::path& cwd = {}) {
    return run_omnigraph(cwd.empty() ? dir_ : cwd, root_, args);
  }

  fs::path root_;
  fs::path dir_;
};

const char* kPolicy = R"(version: 1
groups:
  team: [act-andrew, act-bruno]
  admins: [act-andrew]
protected_branches: [main]
rules:
  - id: team-read
    allow:
      actors: { group: team }
      actions: [read, export]
      branch_scope: any
  - id: team-write
    allow:
      actors: { group: team }
      actions: [change]
      branch_scope: unprotected
  - id: admins-promote
    allow:
      actors: { group: admins }
      actions: [branch_delete, branch_merge]
      target_branch_scope: protected
)";

TEST_F(PolicyCli, ValidateReportsPathAndActorCount) {
  write_file(dir_ / "omnigraph.yaml", "policy:\n  file: ./policy.yaml\n");
  write_file(dir_ / "policy.yaml", kPolicy);
  Result r = run({"policy", "validate"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "policy valid: " + (dir_ / "policy.yaml").string() + " [2 actors]\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(PolicyCli, ValidateRejectsAnInvalidPolicy) {
  write_file(dir_ / "omnigraph.yaml", "policy:\n  file: policy.yaml\n");
  write_file(dir_ / "policy.yaml", "version: 2\n");
  Result r = run({"policy", "validate"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "error: policy version must be 1\n");

  write_file(dir_ / "policy.yaml",
             "version: 1\ngroups:\n  team: [a]\nrules:\n  - id: r\n    allow:\n"
             "      actors: { group: admins }\n      actions: [read]\n");
  r = run({"policy", "validate"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: policy rule 'r' references unknown group 'admins'\n");
}

TEST_F(PolicyCli, PolicyFileMustBeConfigured) {
  Result r = run({"policy", "validate"});  // no omnigraph.yaml at all
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: policy.file must be set in omnigraph.yaml\n");

  write_file(dir_ / "omnigraph.yaml", "project:\n  name: demo\n");
  r = run({"policy", "test"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: policy.file must be set in omnigraph.yaml\n");

  write_file(dir_ / "omnigraph.yaml", "policy:\n  file: missing.yaml\n");
  r = run({"policy", "validate"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: failed to read policy file '" + (dir_ / "missing.yaml").string() +
                       "': No such file or directory\n");
}

TEST_F(PolicyCli, ConfigFlagResolvesPolicyRelativeToTheConfig) {
  write_file(dir_ / "conf" / "omnigraph.yaml", "policy:\n  file: ../policies/p.yaml\n");
  write_file(dir_ / "policies" / "p.yaml", kPolicy);
  // Run from elsewhere with a relative --config.
  Result r = run({"policy", "validate", "--config", "graph/conf/omnigraph.yaml"}, root_);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "policy valid: " + (dir_ / "policies" / "p.yaml").string() + " [2 actors]\n");

  // An absolute policy.file is used as is.
  write_file(dir_ / "abs.yaml",
             "policy:\n  file: " + (dir_ / "policies" / "p.yaml").string() + "\n");
  r = run({"policy", "validate", "--config", (dir_ / "abs.yaml").string()}, root_);
  EXPECT_EQ(r.status, 0) << r.err;

  r = run({"policy", "validate", "--config", "nope.yaml"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: failed to read config file 'nope.yaml': No such file or directory\n");
}

TEST_F(PolicyCli, ExplainPrintsTheDecision) {
  write_file(dir_ / "omnigraph.yaml", "policy:\n  file: policy.yaml\n");
  write_file(dir_ / "policy.yaml", kPolicy);

  Result r = run({"policy", "explain", "--actor", "act-andrew", "--action", "branch-merge",
                  "--branch", "feature", "--target-branch", "main"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "decision: allow\nactor: act-andrew\naction: branch_merge\nbranch: feature\n"
            "target_branch: main\nmatched_rule: admins-promote\n"
            "message: policy allowed action 'branch_merge' for actor 'act-andrew'\n");

  r = run({"policy", "explain", "--actor", "act-bruno", "--action", "branch_merge", "--branch",
           "feature", "--target-branch", "main"});
  EXPECT_EQ(r.status, 0) << r.err;  // a deny is an answer, not a failure
  EXPECT_EQ(r.out,
            "decision: deny\nactor: act-bruno\naction: branch_merge\nbranch: feature\n"
            "target_branch: main\nmessage: policy denied action 'branch_merge' on branch "
            "'feature' targeting branch 'main' for actor 'act-bruno'\n");

  r = run({"policy", "explain", "--actor", "ghost", "--action", "read"});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out,
            "decision: deny\nactor: ghost\naction: read\n"
            "message: policy denied action 'read' for unknown actor 'ghost'\n");
}

TEST_F(PolicyCli, UsageErrorsExitWithTwo) {
  write_file(dir_ / "omnigraph.yaml", "policy:\n  file: policy.yaml\n");
  write_file(dir_ / "policy.yaml", kPolicy);
  Result r = run({"policy", "explain", "--action", "read"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--actor"), std::string::npos) << r.err;

  r = run({"policy", "explain", "--actor", "a", "--action", "fly"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("invalid value 'fly'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("schema-apply"), std::string::npos) << r.err;

  r = run({"policy"});
  EXPECT_EQ(r.status, 2);
  r = run({"policy", "validate", "--bogus"});
  EXPECT_EQ(r.status, 2);
}

TEST_F(PolicyCli, TestReportsPassAndFailure) {
  write_file(dir_ / "omnigraph.yaml", "policy:\n  file: policy.yaml\n");
  write_file(dir_ / "policy.yaml", kPolicy);

  Result r = run({"policy", "test"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: failed to read policy tests file '" +
                       (dir_ / "policy.tests.yaml").string() + "': No such file or directory\n");

  write_file(
      dir_ / "policy.tests.yaml",
      "version: 1\ncases:\n"
      "  - {id: read-main, actor: act-bruno, action: read, branch: main, expect: allow}\n"
      "  - {id: write-main, actor: act-bruno, action: change, branch: main, expect: deny}\n");
  r = run({"policy", "test"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "policy tests passed: 2 cases\n");

  write_file(dir_ / "policy.tests.yaml",
             "version: 1\ncases:\n"
             "  - {id: write-main, actor: act-bruno, action: change, branch: main, expect: allow}\n"
             "  - {id: read-main, actor: act-bruno, action: read, branch: main, expect: allow}\n"
             "  - {id: delete-main, actor: act-andrew, action: branch_delete, target_branch: main, "
             "expect: deny}\n");
  r = run({"policy", "test"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "error: policy tests failed:\nwrite-main: expected Allow but got deny\n"
            "delete-main: expected Deny but got allow\n");

  write_file(dir_ / "policy.tests.yaml",
             "version: 1\ncases:\n  - {id: x, actor: \"\", action: read, expect: allow}\n");
  r = run({"policy", "test"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "error: policy test case 'x' must not use a blank actor\n");
}

fs::path cookbook_policies() {
  if (const char* env = std::getenv("OG_COOKBOOKS_DIR")) {
    return fs::path(env) / "industry-intel" / "policies";
  }
  return fs::path(OG_SOURCE_DIR) / ".." / "shared" / "workloads" / "cookbooks" / "industry-intel" /
         "policies";
}

TEST_F(PolicyCli, CookbookPoliciesValidateAndTheirTestsPass) {
  const fs::path cookbook = cookbook_policies();
  if (!fs::exists(cookbook / "intel.policy.yaml")) GTEST_SKIP() << "no cookbook at " << cookbook;
  const fs::path cases = fs::path(OG_SOURCE_DIR) / "test" / "cases" / "policy" / "industry-intel";

  struct Pair {
    const char* policy;
    const char* tests;
    int actors;
    int cases;
  };
  for (const Pair& pair : {Pair{"intel.policy.yaml", "intel.policy.tests.yaml", 2, 16},
                           Pair{"server.policy.yaml", "server.policy.tests.yaml", 1, 4}}) {
    SCOPED_TRACE(pair.policy);
    fs::path work = dir_ / pair.policy;
    fs::create_directories(work);
    fs::copy_file(cookbook / pair.policy, work / pair.policy);
    fs::copy_file(cases / pair.tests, work / "policy.tests.yaml");
    write_file(work / "omnigraph.yaml", std::string("policy:\n  file: ") + pair.policy + "\n");

    Result r = run({"policy", "validate"}, work);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "policy valid: " + (work / pair.policy).string() + " [" +
                         std::to_string(pair.actors) + " actors]\n");
    r = run({"policy", "test"}, work);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "policy tests passed: " + std::to_string(pair.cases) + " cases\n");
  }
}

// --- docs/policy.md ---------------------------------------------------------
// ```yaml blocks starting with `# file: <path>` are written into the graph
// directory (in order); ```console blocks are run: `$ omnigraph ...` lines
// are commands, the lines after them the expected stdout+stderr, with
// /srv/graph standing for the graph directory. Output starting with
// `error:` means exit status 1.

struct Command {
  std::vector<std::string> args;
  std::string expected;
  int line = 0;
};

std::vector<std::string> split_words(const std::string& s) {
  std::vector<std::string> words;
  std::istringstream in(s);
  std::string word;
  while (in >> word) words.push_back(word);
  return words;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) {
    s.replace(pos, from.size(), to);
  }
  return s;
}

TEST_F(PolicyCli, DocsConsoleExamplesMatchTheBinary) {
  std::ifstream in(fs::path(OG_SOURCE_DIR) / "docs" / "policy.md");
  ASSERT_TRUE(in);
  std::string line;
  int number = 0;
  int files = 0, commands = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.rfind("```yaml", 0) == 0) {
      std::string body;
      while (std::getline(in, line) && line != "```") {
        ++number;
        body += line + "\n";
      }
      ++number;
      const std::string header = "# file: ";
      if (body.rfind(header, 0) != 0) continue;
      write_file(dir_ / body.substr(header.size(), body.find('\n') - header.size()), body);
      ++files;
    } else if (line == "```console") {
      std::vector<Command> block;
      while (std::getline(in, line) && line != "```") {
        ++number;
        if (line.rfind("$ omnigraph ", 0) == 0) {
          block.push_back(Command{split_words(line.substr(12)), "", number});
        } else {
          ASSERT_FALSE(block.empty()) << "docs/policy.md:" << number << ": output before command";
          block.back().expected += line + "\n";
        }
      }
      ++number;
      for (const Command& command : block) {
        SCOPED_TRACE("docs/policy.md:" + std::to_string(command.line));
        Result r = run(command.args);
        const std::string actual = replace_all(r.out + r.err, dir_.string(), "/srv/graph");
        EXPECT_EQ(actual, command.expected);
        EXPECT_EQ(r.status, command.expected.rfind("error:", 0) == 0 ? 1 : 0);
        ++commands;
      }
    }
  }
  EXPECT_GE(files, 6);
  EXPECT_GE(commands, 8);
}

}  // namespace
