// Declarative policy tests (`policy.tests.yaml`, the sibling of the policy
// file): cases of (actor, action, branch?, target_branch?) with the
// expected decision, run against a compiled policy.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/action.h"
#include "policy/policy.h"

namespace omnigraph::policy {

enum class Expectation { kAllow, kDeny };

struct PolicyTestCase {
  std::string id;
  std::string actor;
  Action action = Action::kRead;
  std::optional<std::string> branch;
  std::optional<std::string> target_branch;
  Expectation expect = Expectation::kAllow;
};

struct PolicyTestSuite {
  std::uint32_t version = 0;
  std::vector<PolicyTestCase> cases;
};

// Parses and validates (`policy test version must be 1`, blank or
// duplicate case ids, blank actors); throws kBadRequest.
PolicyTestSuite parse_policy_tests(std::string_view yaml_text);
PolicyTestSuite load_policy_tests(const std::filesystem::path& path);

// The file the CLI reads: `policy.tests.yaml` next to the policy file.
std::filesystem::path policy_tests_path_for(const std::filesystem::path& policy_file);

struct PolicyTestReport {
  std::size_t cases = 0;
  // One line per mismatch: `<id>: expected Allow but got deny`.
  std::vector<std::string> failures;

  bool passed() const { return failures.empty(); }
  // `policy tests passed: N cases` or `policy tests failed:\n<lines>`.
  std::string summary() const;
};

PolicyTestReport run_policy_tests(const Policy& policy, const PolicyTestSuite& suite);

// Runs the suite and throws kBadRequest with the failure summary if any
// case mismatches.
void check_policy_tests(const Policy& policy, const PolicyTestSuite& suite);

}  // namespace omnigraph::policy
