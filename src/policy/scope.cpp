#include "policy/scope.h"

#include <fmt/format.h>

#include "common/error.h"

namespace omnigraph::policy {
namespace {

enum class Use { kNone, kOptional, kRequired };

struct ScopeRule {
  std::string_view name;
  Action action;
  Use branch;
  Use target_branch;
};

ScopeRule rule_for(Operation operation) {
  switch (operation) {
    case Operation::kRead: return {"read", Action::kRead, Use::kOptional, Use::kNone};
    case Operation::kSnapshot: return {"snapshot", Action::kRead, Use::kOptional, Use::kNone};
    case Operation::kCommitList: return {"commit list", Action::kRead, Use::kOptional, Use::kNone};
    case Operation::kSchemaGet: return {"schema get", Action::kRead, Use::kNone, Use::kNone};
    case Operation::kBranchList: return {"branch list", Action::kRead, Use::kNone, Use::kNone};
    case Operation::kCommitShow: return {"commit show", Action::kRead, Use::kNone, Use::kNone};
    case Operation::kExport: return {"export", Action::kExport, Use::kRequired, Use::kNone};
    case Operation::kChange: return {"change", Action::kChange, Use::kRequired, Use::kNone};
    case Operation::kLoad: return {"load", Action::kChange, Use::kRequired, Use::kNone};
    case Operation::kIngest: return {"ingest", Action::kChange, Use::kRequired, Use::kNone};
    case Operation::kSchemaApply:
      return {"schema apply", Action::kSchemaApply, Use::kNone, Use::kNone};
    case Operation::kBranchCreate:
      return {"branch create", Action::kBranchCreate, Use::kOptional, Use::kRequired};
    case Operation::kBranchDelete:
      return {"branch delete", Action::kBranchDelete, Use::kNone, Use::kRequired};
    case Operation::kBranchMerge:
      return {"branch merge", Action::kBranchMerge, Use::kRequired, Use::kRequired};
    case Operation::kGraphList: return {"graph list", Action::kGraphList, Use::kNone, Use::kNone};
    case Operation::kGraphCreate:
      return {"graph create", Action::kGraphCreate, Use::kNone, Use::kNone};
    case Operation::kInvokeQuery:
      return {"invoke query", Action::kInvokeQuery, Use::kNone, Use::kNone};
  }
  throw_internal("scope_for: unknown operation");
}

std::optional<std::string> take(std::string_view operation, std::string_view field, Use use,
                                std::optional<std::string_view> value) {
  if (use == Use::kNone && value) {
    throw_internal(fmt::format("scope_for({}): the operation takes no {}", operation, field));
  }
  if (use == Use::kRequired && !value) {
    throw_internal(fmt::format("scope_for({}): {} is required", operation, field));
  }
  if (!value) return std::nullopt;
  return std::string(*value);
}

}  // namespace

std::string_view operation_name(Operation operation) {
  return rule_for(operation).name;
}

PolicyRequest scope_for(Operation operation, std::optional<std::string_view> branch,
                        std::optional<std::string_view> target_branch) {
  const ScopeRule rule = rule_for(operation);
  PolicyRequest request;
  request.action = rule.action;
  request.branch = take(rule.name, "branch", rule.branch, branch);
  request.target_branch = take(rule.name, "target branch", rule.target_branch, target_branch);
  // Schema apply always changes the schema seen from main, whatever the
  // caller's context, so protected-main rules govern it.
  if (operation == Operation::kSchemaApply) request.target_branch = "main";
  return request;
}

}  // namespace omnigraph::policy
