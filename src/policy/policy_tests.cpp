#include "policy/policy_tests.h"

#include <fmt/format.h>

#include <set>

#include "common/error.h"
#include "policy/yaml_reader.h"

namespace omnigraph::policy {
namespace {

bool is_blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

PolicyTestCase parse_case(const YAML::Node& node, const std::string& path) {
  if (!node.IsMap()) yaml::fail(node, path, "invalid type: expected a mapping");
  // A misspelt `target_brnch` would silently change what the case checks.
  yaml::check_keys(node, path, {"id", "actor", "action", "branch", "target_branch", "expect"});
  PolicyTestCase test;
  test.id = yaml::as_string(yaml::require(node, path, "id"), yaml::child_path(path, "id"));
  test.actor = yaml::as_string(yaml::require(node, path, "actor"), yaml::child_path(path, "actor"));

  const std::string action_path = yaml::child_path(path, "action");
  YAML::Node action_node = yaml::require(node, path, "action");
  std::string action_text = yaml::as_string(action_node, action_path);
  std::optional<Action> action = parse_action(action_text);
  if (!action) {
    yaml::fail(action_node, action_path, fmt::format("unknown policy action '{}'", action_text));
  }
  test.action = *action;

  test.branch =
      yaml::as_optional_string(yaml::get(node, "branch"), yaml::child_path(path, "branch"));
  test.target_branch = yaml::as_optional_string(yaml::get(node, "target_branch"),
                                                yaml::child_path(path, "target_branch"));

  const std::string expect_path = yaml::child_path(path, "expect");
  YAML::Node expect_node = yaml::require(node, path, "expect");
  std::string expect = yaml::as_string(expect_node, expect_path);
  if (expect == "allow") {
    test.expect = Expectation::kAllow;
  } else if (expect == "deny") {
    test.expect = Expectation::kDeny;
  } else {
    yaml::fail(expect_node, expect_path,
               fmt::format("unknown expectation '{}', expected allow or deny", expect));
  }
  return test;
}

}  // namespace

PolicyTestSuite parse_policy_tests(std::string_view yaml_text) {
  YAML::Node root = yaml::parse_document(yaml_text);
  yaml::expect_map(root, "");
  yaml::check_no_duplicate_keys(root, "");

  PolicyTestSuite suite;
  suite.version = yaml::as_u32(yaml::require(root, "", "version"), "version");
  YAML::Node cases = yaml::get(root, "cases");
  yaml::expect_sequence(cases, "cases");
  if (cases.IsSequence()) {
    for (std::size_t i = 0; i < cases.size(); ++i) {
      suite.cases.push_back(parse_case(cases[i], yaml::index_path("cases", i)));
    }
  }

  if (suite.version != 1) throw_bad_request("policy test version must be 1");
  std::set<std::string_view> seen;
  for (const auto& test : suite.cases) {
    if (is_blank(test.id)) throw_bad_request("policy test case ids must not be blank");
    if (!seen.insert(test.id).second) {
      throw_bad_request(fmt::format("duplicate policy test case id '{}'", test.id));
    }
    if (is_blank(test.actor)) {
      throw_bad_request(fmt::format("policy test case '{}' must not use a blank actor", test.id));
    }
  }
  return suite;
}

PolicyTestSuite load_policy_tests(const std::filesystem::path& path) {
  return parse_policy_tests(yaml::read_file(path, "policy tests file"));
}

std::filesystem::path policy_tests_path_for(const std::filesystem::path& policy_file) {
  return policy_file.parent_path() / "policy.tests.yaml";
}

std::string PolicyTestReport::summary() const {
  if (passed()) return fmt::format("policy tests passed: {} cases", cases);
  std::string text = "policy tests failed:";
  for (const auto& line : failures) text += "\n" + line;
  return text;
}

PolicyTestReport run_policy_tests(const Policy& policy, const PolicyTestSuite& suite) {
  if (suite.version != 1) throw_bad_request("policy test version must be 1");
  PolicyTestReport report;
  report.cases = suite.cases.size();
  for (const auto& test : suite.cases) {
    bool allowed = policy.allows(test.actor, test.action, test.branch, test.target_branch);
    bool expected = test.expect == Expectation::kAllow;
    if (allowed != expected) {
      report.failures.push_back(fmt::format("{}: expected {} but got {}", test.id,
                                            expected ? "Allow" : "Deny",
                                            allowed ? "allow" : "deny"));
    }
  }
  return report;
}

void check_policy_tests(const Policy& policy, const PolicyTestSuite& suite) {
  PolicyTestReport report = run_policy_tests(policy, suite);
  if (!report.passed()) throw_bad_request(report.summary());
}

}  // namespace omnigraph::policy
