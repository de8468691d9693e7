// The policy action vocabulary: what an actor asks to do. Per-graph actions
// are checked against a graph's policy; server-scoped actions (graph_create,
// graph_list) against the server policy and never carry a branch.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace omnigraph::policy {

enum class Action : unsigned char {
  kRead,
  kExport,
  kChange,
  kSchemaApply,
  kBranchCreate,
  kBranchDelete,
  kBranchMerge,
  kAdmin,  // reserved for policy-management surfaces; no call site yet
  kGraphCreate,
  kGraphList,
  kInvokeQuery,  // stored-query invocation; see docs/policy.md
};

inline constexpr std::size_t kActionCount = 11;

inline constexpr std::array<Action, kActionCount> kAllActions = {
    Action::kRead,         Action::kExport,       Action::kChange,      Action::kSchemaApply,
    Action::kBranchCreate, Action::kBranchDelete, Action::kBranchMerge, Action::kAdmin,
    Action::kGraphCreate,  Action::kGraphList,    Action::kInvokeQuery,
};

// Which resource an action is authorized against.
enum class ResourceKind { kGraph, kServer };

// The snake_case name used in policy YAML, messages and explain output.
std::string_view action_name(Action action);

// Parses the YAML spelling (snake_case, surrounding blanks ignored).
std::optional<Action> parse_action(std::string_view text);

// Parses a command-line spelling: kebab-case (`schema-apply`, the reference
// CLI's form) or snake_case.
std::optional<Action> parse_cli_action(std::string_view text);

// The kebab-case command-line spelling of an action.
std::string_view action_cli_name(Action action);

ResourceKind resource_kind(Action action);

// Actions whose rules may carry `branch_scope` (they act on one branch).
bool uses_branch_scope(Action action);

// Actions whose rules may carry `target_branch_scope` (they create, change
// or remove a destination branch).
bool uses_target_branch_scope(Action action);

inline std::size_t action_index(Action action) {
  return static_cast<std::size_t>(action);
}

}  // namespace omnigraph::policy
