// The policy file (`policy.yaml`) as written by users: groups of actors,
// protected branches and allow rules. Parsing checks the shape; validation
// enforces the rules of the format with the reference's exact messages.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/action.h"

namespace omnigraph::policy {

enum class BranchScope { kAny, kProtected, kUnprotected };

std::string_view branch_scope_name(BranchScope scope);

// One `rules[]` entry; `allow` is the only rule form (there is no deny).
struct PolicyRule {
  std::string id;
  std::string group;  // allow.actors.group
  std::vector<Action> actions;
  std::optional<BranchScope> branch_scope;
  std::optional<BranchScope> target_branch_scope;
};

struct PolicyConfig {
  std::uint32_t version = 0;
  // Sorted by group name, so validation reports the same group first as
  // the reference (which keeps groups in a sorted map).
  std::map<std::string, std::vector<std::string>> groups;
  std::vector<std::string> protected_branches;
  std::vector<PolicyRule> rules;
};

// Parses YAML text into a PolicyConfig without validating it. Throws
// kBadRequest naming the field on malformed YAML, wrong types, missing
// fields, unknown actions or scopes, and unknown keys inside a rule.
// Unknown top-level keys are ignored.
PolicyConfig parse_policy_config(std::string_view yaml_text);

// Enforces the format's rules; throws kBadRequest with the first problem
// (e.g. `policy version must be 1`, `duplicate policy rule id 'x'`).
void validate_policy_config(const PolicyConfig& config);

// Reads, parses and validates a policy file.
PolicyConfig load_policy_config(const std::filesystem::path& path);

}  // namespace omnigraph::policy
