// policy.tests.yaml: parsing, validation errors, the runner's pass/fail
// report, and the industry-intel cookbook policies with their tests.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "common/error.h"
#include "policy/policy.h"
#include "policy/policy_tests.h"

namespace omnigraph::policy {
namespace {

namespace fs = std::filesystem;

std::string tests_error(const std::string& yaml) {
  try {
    parse_policy_tests(yaml);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
    return e.what();
  }
  ADD_FAILURE() << "tests parsed but should not have:\n" << yaml;
  return {};
}

const char* kPolicy = R"(
version: 1
groups:
  team: [act-andrew]
protected_branches: [main]
rules:
  - id: team-read
    allow:
      actors: { group: team }
      actions: [read]
      branch_scope: any
)";

TEST(PolicyTests, ParsesCases) {
  PolicyTestSuite suite = parse_policy_tests(R"(
version: 1
cases:
  - id: allow-read
    actor: act-andrew
    action: read
    branch: main
    expect: allow
  - id: deny-merge
    actor: act-andrew
    action: branch_merge
    branch: feature
    target_branch: main
    expect: deny
)");
  ASSERT_EQ(suite.cases.size(), 2u);
  EXPECT_EQ(suite.cases[0].id, "allow-read");
  EXPECT_EQ(suite.cases[0].action, Action::kRead);
  EXPECT_EQ(suite.cases[0].branch, "main");
  EXPECT_FALSE(suite.cases[0].target_branch.has_value());
  EXPECT_EQ(suite.cases[0].expect, Expectation::kAllow);
  EXPECT_EQ(suite.cases[1].target_branch, "main");
  EXPECT_EQ(suite.cases[1].expect, Expectation::kDeny);
  EXPECT_TRUE(parse_policy_tests("version: 1\n").cases.empty());
}

TEST(PolicyTests, ValidationErrors) {
  EXPECT_EQ(tests_error("version: 2\ncases: []\n"), "policy test version must be 1");
  EXPECT_EQ(
      tests_error("version: 1\ncases:\n  - {id: \" \", actor: a, action: read, expect: allow}\n"),
      "policy test case ids must not be blank");
  EXPECT_EQ(tests_error("version: 1\ncases:\n"
                        "  - {id: c, actor: a, action: read, expect: allow}\n"
                        "  - {id: c, actor: b, action: read, expect: deny}\n"),
            "duplicate policy test case id 'c'");
  EXPECT_EQ(
      tests_error("version: 1\ncases:\n  - {id: c, actor: \"\", action: read, expect: allow}\n"),
      "policy test case 'c' must not use a blank actor");
}

TEST(PolicyTests, ShapeErrors) {
  EXPECT_NE(tests_error("version: 1\ncases:\n  - {id: c, actor: a, action: fly, expect: allow}\n")
                .find("cases[0].action: unknown policy action 'fly'"),
            std::string::npos);
  EXPECT_NE(tests_error("version: 1\ncases:\n  - {id: c, actor: a, action: read, expect: maybe}\n")
                .find("cases[0].expect: unknown expectation 'maybe', expected allow or deny"),
            std::string::npos);
  EXPECT_NE(tests_error("version: 1\ncases:\n  - {id: c, actor: a, action: read}\n")
                .find("cases[0]: missing field `expect`"),
            std::string::npos);
  EXPECT_NE(tests_error("version: 1\ncases:\n  - {id: c, actor: a, action: read, expect: allow, "
                        "target_brnch: main}\n")
                .find("unknown field `target_brnch`"),
            std::string::npos);
  EXPECT_NE(tests_error("cases: []\n").find("missing field `version`"), std::string::npos);
}

TEST(PolicyTests, PassingSuiteReportsCaseCount) {
  Policy policy = Policy::from_yaml(kPolicy);
  PolicyTestSuite suite = parse_policy_tests(R"(
version: 1
cases:
  - {id: allow-read, actor: act-andrew, action: read, branch: main, expect: allow}
  - {id: deny-change, actor: act-andrew, action: change, branch: main, expect: deny}
  - {id: deny-unknown, actor: act-zed, action: read, branch: main, expect: deny}
)");
  PolicyTestReport report = run_policy_tests(policy, suite);
  EXPECT_TRUE(report.passed());
  EXPECT_EQ(report.cases, 3u);
  EXPECT_EQ(report.summary(), "policy tests passed: 3 cases");
  EXPECT_NO_THROW(check_policy_tests(policy, suite));
}

TEST(PolicyTests, FailingSuiteListsEveryMismatch) {
  Policy policy = Policy::from_yaml(kPolicy);
  PolicyTestSuite suite = parse_policy_tests(R"(
version: 1
cases:
  - {id: wrong-allow, actor: act-andrew, action: change, branch: main, expect: allow}
  - {id: right, actor: act-andrew, action: read, expect: allow}
  - {id: wrong-deny, actor: act-andrew, action: read, branch: feature, expect: deny}
)");
  PolicyTestReport report = run_policy_tests(policy, suite);
  EXPECT_FALSE(report.passed());
  EXPECT_EQ(report.failures, (std::vector<std::string>{"wrong-allow: expected Allow but got deny",
                                                       "wrong-deny: expected Deny but got allow"}));
  const std::string expected =
      "policy tests failed:\nwrong-allow: expected Allow but got deny\n"
      "wrong-deny: expected Deny but got allow";
  EXPECT_EQ(report.summary(), expected);
  try {
    check_policy_tests(policy, suite);
    FAIL() << "expected failure";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
    EXPECT_EQ(e.what(), expected);
  }
}

TEST(PolicyTests, TestsFileIsTheSiblingOfThePolicyFile) {
  EXPECT_EQ(policy_tests_path_for("/srv/graph/config/policy.yaml"),
            fs::path("/srv/graph/config/policy.tests.yaml"));
  EXPECT_EQ(policy_tests_path_for("/srv/graph/intel.policy.yaml"),
            fs::path("/srv/graph/policy.tests.yaml"));
}

fs::path cookbook_policies() {
  if (const char* env = std::getenv("OG_COOKBOOKS_DIR")) {
    return fs::path(env) / "industry-intel" / "policies";
  }
  return fs::path(OG_SOURCE_DIR) / ".." / "shared" / "workloads" / "cookbooks" / "industry-intel" /
         "policies";
}

fs::path cases_dir() {
  return fs::path(OG_SOURCE_DIR) / "test" / "cases" / "policy" / "industry-intel";
}

TEST(PolicyTests, CookbookGraphPolicyAndItsTestsRunGreen) {
  const fs::path file = cookbook_policies() / "intel.policy.yaml";
  if (!fs::exists(file)) GTEST_SKIP() << "cookbook policy not found at " << file;
  Policy policy = Policy::load(file);
  EXPECT_EQ(policy.known_actor_count(), 2u);
  PolicyTestSuite suite = load_policy_tests(cases_dir() / "intel.policy.tests.yaml");
  PolicyTestReport report = run_policy_tests(policy, suite);
  EXPECT_TRUE(report.passed()) << report.summary();
  EXPECT_EQ(report.cases, 16u);
  // The explained decision for an analyst writing to protected main.
  Decision d = policy.evaluate("act-analyst", Action::kChange, "main");
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.matched_rule_id, "analyst-writes");
}

TEST(PolicyTests, CookbookServerPolicyAndItsTestsRunGreen) {
  const fs::path file = cookbook_policies() / "server.policy.yaml";
  if (!fs::exists(file)) GTEST_SKIP() << "cookbook policy not found at " << file;
  Policy policy = Policy::load(file);
  EXPECT_EQ(policy.known_actor_count(), 1u);
  PolicyTestReport report =
      run_policy_tests(policy, load_policy_tests(cases_dir() / "server.policy.tests.yaml"));
  EXPECT_TRUE(report.passed()) << report.summary();
  EXPECT_EQ(report.cases, 4u);
}

TEST(PolicyTests, MissingFileIsAClearError) {
  try {
    load_policy_tests("/nonexistent/policy.tests.yaml");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "failed to read policy tests file '/nonexistent/policy.tests.yaml': No such file or "
              "directory");
  }
}

}  // namespace
}  // namespace omnigraph::policy
