// A compiled policy: answers (actor, action, branch?, target_branch?) with
// allow or deny. Compilation folds every rule into per-actor decision
// tables indexed by action and branch context, so a decision costs one hash
// lookup of the actor plus one per named branch, whatever the rule count.
// Immutable once built; safe to share between threads.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "policy/action.h"
#include "policy/policy_config.h"
#include "policy/policy_request.h"

namespace omnigraph::policy {

struct Decision {
  bool allowed = false;
  // The lexicographically smallest id among the rules that allow the
  // request; empty on deny.
  std::optional<std::string> matched_rule_id;
  // `policy allowed action 'a' for actor 'x'` or the deny message.
  std::string message;
};

class Policy {
 public:
  // Validates `config` (same errors as validate_policy_config) and compiles it.
  static Policy compile(const PolicyConfig& config);
  // Parses, validates and compiles YAML text.
  static Policy from_yaml(std::string_view yaml_text);
  // Reads, parses, validates and compiles a policy file.
  static Policy load(const std::filesystem::path& path);

  // The full decision with its message, as shown by `policy explain` and
  // returned on HTTP 403.
  Decision evaluate(std::string_view actor, const PolicyRequest& request) const;
  Decision evaluate(std::string_view actor, Action action,
                    std::optional<std::string_view> branch = std::nullopt,
                    std::optional<std::string_view> target_branch = std::nullopt) const;

  // The cheap yes/no: no strings are built.
  bool allows(std::string_view actor, Action action,
              std::optional<std::string_view> branch = std::nullopt,
              std::optional<std::string_view> target_branch = std::nullopt) const;

  // Engine-layer gate: returns on allow, throws Error(kForbidden,
  // "policy denied: <decision message>") on deny.
  void authorize(std::string_view actor, Action action,
                 std::optional<std::string_view> branch = std::nullopt,
                 std::optional<std::string_view> target_branch = std::nullopt) const;
  void authorize(std::string_view actor, const PolicyRequest& request) const;

  // Distinct actor ids across all groups (`policy validate` reports it).
  std::size_t known_actor_count() const { return actor_tables_.size(); }

  bool is_protected(std::string_view branch) const;

 private:
  // A branch is absent, present and unprotected, or present and protected:
  // 3 x 3 contexts for (branch, target_branch).
  static constexpr std::size_t kContexts = 9;
  // Index into rule_ids_ of the best (smallest id) allowing rule, or kNoRule.
  using RuleIndex = std::int32_t;
  static constexpr RuleIndex kNoRule = -1;
  using ActorTable = std::array<RuleIndex, kActionCount * kContexts>;
  static std::size_t slot(Action action, std::size_t context) {
    return action_index(action) * kContexts + context;
  }

  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  std::size_t context_of(std::optional<std::string_view> branch,
                         std::optional<std::string_view> target_branch) const;
  // nullptr for an actor listed in no group.
  const ActorTable* table_for(std::string_view actor) const;

  std::vector<std::string> rule_ids_;  // sorted; a RuleIndex points here
  std::unordered_map<std::string, ActorTable, StringHash, std::equal_to<>> actor_tables_;
  std::unordered_set<std::string, StringHash, std::equal_to<>> protected_branches_;
};

// `policy denied action 'a'[ on branch 'b'][ targeting branch 't'] for actor 'x'`.
std::string deny_message(std::string_view actor, Action action,
                         std::optional<std::string_view> branch,
                         std::optional<std::string_view> target_branch);

}  // namespace omnigraph::policy
