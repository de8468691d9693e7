#include "policy/policy.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <numeric>

#include "common/error.h"
#include "policy/yaml_reader.h"

namespace omnigraph::policy {
namespace {

// Branch state within a context: 0 absent, 1 unprotected, 2 protected.
constexpr std::size_t kAbsent = 0;
constexpr std::size_t kUnprotected = 1;
constexpr std::size_t kProtected = 2;

bool scope_admits(std::optional<BranchScope> scope, std::size_t state) {
  if (!scope) return true;  // a rule without a scope applies regardless of branch
  switch (*scope) {
    case BranchScope::kAny: return true;
    case BranchScope::kProtected: return state == kProtected;
    case BranchScope::kUnprotected: return state == kUnprotected;
  }
  return false;
}

std::optional<std::string_view> view(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  return std::string_view(*s);
}

}  // namespace

std::string deny_message(std::string_view actor, Action action,
                         std::optional<std::string_view> branch,
                         std::optional<std::string_view> target_branch) {
  std::string message = fmt::format("policy denied action '{}'", action_name(action));
  if (branch) message += fmt::format(" on branch '{}'", *branch);
  if (target_branch) message += fmt::format(" targeting branch '{}'", *target_branch);
  message += fmt::format(" for actor '{}'", actor);
  return message;
}

Policy Policy::compile(const PolicyConfig& config) {
  validate_policy_config(config);
  Policy policy;

  // Rank rules by id so "smallest matching id" is "smallest index".
  std::vector<std::size_t> order(config.rules.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return config.rules[a].id < config.rules[b].id; });

  // Per group: the best rule for every (action, context).
  std::map<std::string_view, ActorTable> group_tables;
  for (const auto& [group, members] : config.groups) {
    ActorTable table;
    table.fill(kNoRule);
    group_tables.emplace(group, table);
  }
  for (std::size_t rank = 0; rank < order.size(); ++rank) {
    const PolicyRule& rule = config.rules[order[rank]];
    policy.rule_ids_.push_back(rule.id);
    ActorTable& table = group_tables.at(rule.group);
    for (Action action : rule.actions) {
      for (std::size_t context = 0; context < kContexts; ++context) {
        if (!scope_admits(rule.branch_scope, context / 3)) continue;
        if (!scope_admits(rule.target_branch_scope, context % 3)) continue;
        RuleIndex& best = table[slot(action, context)];
        if (best == kNoRule) best = static_cast<RuleIndex>(rank);  // ranks ascend
      }
    }
  }

  // Per actor: the best rule over all of its groups.
  for (const auto& [group, members] : config.groups) {
    const ActorTable& group_table = group_tables.at(group);
    for (const std::string& actor : members) {
      auto [it, inserted] = policy.actor_tables_.try_emplace(actor);
      if (inserted) it->second.fill(kNoRule);
      for (std::size_t i = 0; i < group_table.size(); ++i) {
        RuleIndex candidate = group_table[i];
        RuleIndex& best = it->second[i];
        if (candidate != kNoRule && (best == kNoRule || candidate < best)) best = candidate;
      }
    }
  }

  policy.protected_branches_.insert(config.protected_branches.begin(),
                                    config.protected_branches.end());
  return policy;
}

Policy Policy::from_yaml(std::string_view yaml_text) {
  return compile(parse_policy_config(yaml_text));
}

Policy Policy::load(const std::filesystem::path& path) {
  return compile(parse_policy_config(yaml::read_file(path, "policy file")));
}

bool Policy::is_protected(std::string_view branch) const {
  return protected_branches_.find(branch) != protected_branches_.end();
}

std::size_t Policy::context_of(std::optional<std::string_view> branch,
                               std::optional<std::string_view> target_branch) const {
  auto state = [this](std::optional<std::string_view> b) {
    if (!b) return kAbsent;
    return is_protected(*b) ? kProtected : kUnprotected;
  };
  return state(branch) * 3 + state(target_branch);
}

const Policy::ActorTable* Policy::table_for(std::string_view actor) const {
  auto it = actor_tables_.find(actor);
  return it == actor_tables_.end() ? nullptr : &it->second;
}

bool Policy::allows(std::string_view actor, Action action, std::optional<std::string_view> branch,
                    std::optional<std::string_view> target_branch) const {
  const ActorTable* table = table_for(actor);
  if (table == nullptr) return false;
  return (*table)[slot(action, context_of(branch, target_branch))] != kNoRule;
}

Decision Policy::evaluate(std::string_view actor, Action action,
                          std::optional<std::string_view> branch,
                          std::optional<std::string_view> target_branch) const {
  const ActorTable* table = table_for(actor);
  if (table == nullptr) {
    return Decision{false, std::nullopt,
                    fmt::format("policy denied action '{}' for unknown actor '{}'",
                                action_name(action), actor)};
  }
  RuleIndex rule = (*table)[slot(action, context_of(branch, target_branch))];
  if (rule == kNoRule) {
    return Decision{false, std::nullopt, deny_message(actor, action, branch, target_branch)};
  }
  return Decision{
      true, rule_ids_[static_cast<std::size_t>(rule)],
      fmt::format("policy allowed action '{}' for actor '{}'", action_name(action), actor)};
}

Decision Policy::evaluate(std::string_view actor, const PolicyRequest& request) const {
  return evaluate(actor, request.action, view(request.branch), view(request.target_branch));
}

void Policy::authorize(std::string_view actor, Action action,
                       std::optional<std::string_view> branch,
                       std::optional<std::string_view> target_branch) const {
  if (allows(actor, action, branch, target_branch)) return;
  Decision decision = evaluate(actor, action, branch, target_branch);
  throw Error(ErrorCode::kForbidden, "policy denied: " + decision.message);
}

void Policy::authorize(std::string_view actor, const PolicyRequest& request) const {
  authorize(actor, request.action, view(request.branch), view(request.target_branch));
}

}  // namespace omnigraph::policy
