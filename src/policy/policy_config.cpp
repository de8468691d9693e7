#include "policy/policy_config.h"

#include <fmt/format.h>

#include <set>

#include "common/error.h"
#include "policy/yaml_reader.h"

namespace omnigraph::policy {
namespace {

bool is_blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

std::optional<BranchScope> parse_scope(const YAML::Node& node, const std::string& path) {
  std::optional<std::string> text = yaml::as_optional_string(node, path);
  if (!text) return std::nullopt;
  if (*text == "any") return BranchScope::kAny;
  if (*text == "protected") return BranchScope::kProtected;
  if (*text == "unprotected") return BranchScope::kUnprotected;
  yaml::fail(
      node, path,
      fmt::format("unknown branch scope '{}', expected one of any, protected, unprotected", *text));
}

PolicyRule parse_rule(const YAML::Node& node, const std::string& path) {
  if (!node.IsMap())
    yaml::fail(node, path, "invalid type: expected a mapping with `id` and `allow`");
  yaml::check_keys(node, path, {"id", "allow"});
  PolicyRule rule;
  rule.id = yaml::as_string(yaml::require(node, path, "id"), yaml::child_path(path, "id"));

  const std::string allow_path = yaml::child_path(path, "allow");
  YAML::Node allow = yaml::require(node, path, "allow");
  if (!allow.IsMap()) yaml::fail(allow, allow_path, "invalid type: expected a mapping");
  yaml::check_keys(allow, allow_path, {"actors", "actions", "branch_scope", "target_branch_scope"});

  const std::string actors_path = yaml::child_path(allow_path, "actors");
  YAML::Node actors = yaml::require(allow, allow_path, "actors");
  if (!actors.IsMap()) yaml::fail(actors, actors_path, "invalid type: expected a mapping");
  yaml::check_keys(actors, actors_path, {"group"});
  rule.group = yaml::as_string(yaml::require(actors, actors_path, "group"),
                               yaml::child_path(actors_path, "group"));

  const std::string actions_path = yaml::child_path(allow_path, "actions");
  YAML::Node actions = yaml::require(allow, allow_path, "actions");
  yaml::expect_sequence(actions, actions_path);
  if (actions.IsSequence()) {
    for (std::size_t i = 0; i < actions.size(); ++i) {
      const std::string item_path = yaml::index_path(actions_path, i);
      std::string name = yaml::as_string(actions[i], item_path);
      std::optional<Action> action = parse_action(name);
      if (!action)
        yaml::fail(actions[i], item_path, fmt::format("unknown policy action '{}'", name));
      rule.actions.push_back(*action);
    }
  }
  rule.branch_scope =
      parse_scope(yaml::get(allow, "branch_scope"), yaml::child_path(allow_path, "branch_scope"));
  rule.target_branch_scope = parse_scope(yaml::get(allow, "target_branch_scope"),
                                         yaml::child_path(allow_path, "target_branch_scope"));
  return rule;
}

}  // namespace

std::string_view branch_scope_name(BranchScope scope) {
  switch (scope) {
    case BranchScope::kAny: return "any";
    case BranchScope::kProtected: return "protected";
    case BranchScope::kUnprotected: return "unprotected";
  }
  return "any";
}

PolicyConfig parse_policy_config(std::string_view yaml_text) {
  YAML::Node root = yaml::parse_document(yaml_text);
  yaml::expect_map(root, "");
  yaml::check_no_duplicate_keys(root, "");

  PolicyConfig config;
  config.version = yaml::as_u32(yaml::require(root, "", "version"), "version");

  YAML::Node groups = yaml::get(root, "groups");
  yaml::expect_map(groups, "groups");
  yaml::check_no_duplicate_keys(groups, "groups");
  if (groups.IsMap()) {
    for (const auto& entry : groups) {
      const std::string name = entry.first.Scalar();
      config.groups[name] = yaml::as_string_list(entry.second, yaml::child_path("groups", name));
    }
  }

  config.protected_branches =
      yaml::as_string_list(yaml::get(root, "protected_branches"), "protected_branches");

  YAML::Node rules = yaml::get(root, "rules");
  yaml::expect_sequence(rules, "rules");
  if (rules.IsSequence()) {
    for (std::size_t i = 0; i < rules.size(); ++i) {
      config.rules.push_back(parse_rule(rules[i], yaml::index_path("rules", i)));
    }
  }
  return config;
}

void validate_policy_config(const PolicyConfig& config) {
  if (config.version != 1) throw_bad_request("policy version must be 1");

  for (const auto& [group, members] : config.groups) {
    if (is_blank(group)) throw_bad_request("policy group names must not be blank");
    if (members.empty())
      throw_bad_request(fmt::format("policy group '{}' must not be empty", group));
    for (const auto& actor : members) {
      if (is_blank(actor)) {
        throw_bad_request(fmt::format("policy group '{}' contains a blank actor id", group));
      }
    }
  }

  for (const auto& branch : config.protected_branches) {
    if (is_blank(branch)) throw_bad_request("protected branch names must not be blank");
  }

  std::set<std::string_view> seen_ids;
  for (const auto& rule : config.rules) {
    const std::string& id = rule.id;
    if (is_blank(id)) throw_bad_request("policy rule ids must not be blank");
    if (!seen_ids.insert(id).second) {
      throw_bad_request(fmt::format("duplicate policy rule id '{}'", id));
    }
    if (is_blank(rule.group)) {
      throw_bad_request(fmt::format("policy rule '{}' must reference a non-blank group", id));
    }
    if (!config.groups.contains(rule.group)) {
      throw_bad_request(
          fmt::format("policy rule '{}' references unknown group '{}'", id, rule.group));
    }
    if (rule.actions.empty()) {
      throw_bad_request(fmt::format("policy rule '{}' must include at least one action", id));
    }
    if (rule.branch_scope && rule.target_branch_scope) {
      throw_bad_request(fmt::format(
          "policy rule '{}' may specify branch_scope or target_branch_scope, not both", id));
    }
    if (rule.branch_scope) {
      for (Action action : rule.actions) {
        if (!uses_branch_scope(action)) {
          throw_bad_request(
              fmt::format("policy rule '{}' uses branch_scope with unsupported action '{}'", id,
                          action_name(action)));
        }
      }
    }
    if (rule.target_branch_scope) {
      for (Action action : rule.actions) {
        if (!uses_target_branch_scope(action)) {
          throw_bad_request(
              fmt::format("policy rule '{}' uses target_branch_scope with unsupported action '{}'",
                          id, action_name(action)));
        }
      }
    }
    bool server_scoped = false;
    bool graph_scoped = false;
    for (Action action : rule.actions) {
      (resource_kind(action) == ResourceKind::kServer ? server_scoped : graph_scoped) = true;
    }
    if (server_scoped && graph_scoped) {
      throw_bad_request(fmt::format(
          "policy rule '{}' mixes server-scoped actions (graph_create, graph_list) with per-graph "
          "actions; split into separate rules",
          id));
    }
    if (server_scoped && (rule.branch_scope || rule.target_branch_scope)) {
      throw_bad_request(fmt::format(
          "policy rule '{}' uses branch_scope/target_branch_scope with a server-scoped action; "
          "server-scoped actions have no branch context",
          id));
    }
    // The reference compiles one permit per (rule, action) and refuses a
    // policy set with two permits of the same id, so a repeated action is an
    // error there too; we say so plainly.
    std::set<Action> seen_actions;
    for (Action action : rule.actions) {
      if (!seen_actions.insert(action).second) {
        throw_bad_request(fmt::format("policy rule '{}' lists action '{}' more than once", id,
                                      action_name(action)));
      }
    }
  }
}

PolicyConfig load_policy_config(const std::filesystem::path& path) {
  PolicyConfig config = parse_policy_config(yaml::read_file(path, "policy file"));
  validate_policy_config(config);
  return config;
}

}  // namespace omnigraph::policy
