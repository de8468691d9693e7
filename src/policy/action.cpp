#include "policy/action.h"

namespace omnigraph::policy {
namespace {

struct ActionNames {
  std::string_view yaml;
  std::string_view cli;
};

constexpr std::array<ActionNames, kActionCount> kNames = {{
    {"read", "read"},
    {"export", "export"},
    {"change", "change"},
    {"schema_apply", "schema-apply"},
    {"branch_create", "branch-create"},
    {"branch_delete", "branch-delete"},
    {"branch_merge", "branch-merge"},
    {"admin", "admin"},
    {"graph_create", "graph-create"},
    {"graph_list", "graph-list"},
    {"invoke_query", "invoke-query"},
}};

std::string_view trim(std::string_view s) {
  constexpr std::string_view kBlank = " \t\r\n\f\v";
  auto begin = s.find_first_not_of(kBlank);
  if (begin == std::string_view::npos) return {};
  auto end = s.find_last_not_of(kBlank);
  return s.substr(begin, end - begin + 1);
}

}  // namespace

std::string_view action_name(Action action) {
  return kNames[action_index(action)].yaml;
}

std::string_view action_cli_name(Action action) {
  return kNames[action_index(action)].cli;
}

std::optional<Action> parse_action(std::string_view text) {
  text = trim(text);
  for (Action action : kAllActions) {
    if (kNames[action_index(action)].yaml == text) return action;
  }
  return std::nullopt;
}

std::optional<Action> parse_cli_action(std::string_view text) {
  for (Action action : kAllActions) {
    const auto& names = kNames[action_index(action)];
    if (names.cli == text || names.yaml == text) return action;
  }
  return std::nullopt;
}

ResourceKind resource_kind(Action action) {
  switch (action) {
    case Action::kGraphCreate:
    case Action::kGraphList: return ResourceKind::kServer;
    default: return ResourceKind::kGraph;
  }
}

bool uses_branch_scope(Action action) {
  return action == Action::kRead || action == Action::kExport || action == Action::kChange;
}

bool uses_target_branch_scope(Action action) {
  return action == Action::kBranchCreate || action == Action::kSchemaApply ||
         action == Action::kBranchDelete || action == Action::kBranchMerge;
}

}  // namespace omnigraph::policy
