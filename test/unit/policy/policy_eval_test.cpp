// Policy evaluation: scopes, unknown actors, default deny, the matched rule,
// the messages, the engine gate; and the compiled tables checked against a
// direct reading of the rules on random policies.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <random>
#include <set>
#include <string>

#include "common/error.h"
#include "policy/policy.h"

namespace omnigraph::policy {
namespace {

using std::nullopt;

const char* kTeamPolicy = R"(
version: 1
groups:
  team: [act-andrew, act-bruno]
  admins: [act-andrew]
protected_branches: [main]
rules:
  - id: team-read
    allow:
      actors: { group: team }
      actions: [read, export]
      branch_scope: any
  - id: team-write
    allow:
      actors: { group: team }
      actions: [change]
      branch_scope: unprotected
  - id: admins-promote
    allow:
      actors: { group: admins }
      actions: [branch_delete, branch_merge]
      target_branch_scope: protected
)";

TEST(PolicyEval, BranchAndTargetRules) {
  Policy policy = Policy::from_yaml(kTeamPolicy);
  EXPECT_EQ(policy.known_actor_count(), 2u);

  Decision allow = policy.evaluate("act-bruno", Action::kChange, "feature");
  EXPECT_TRUE(allow.allowed);
  EXPECT_EQ(allow.matched_rule_id, "team-write");
  EXPECT_EQ(allow.message, "policy allowed action 'change' for actor 'act-bruno'");

  Decision deny = policy.evaluate("act-bruno", Action::kBranchDelete, nullopt, "main");
  EXPECT_FALSE(deny.allowed);
  EXPECT_FALSE(deny.matched_rule_id.has_value());
  EXPECT_EQ(deny.message,
            "policy denied action 'branch_delete' targeting branch 'main' for actor 'act-bruno'");

  Decision admin = policy.evaluate("act-andrew", Action::kBranchDelete, nullopt, "main");
  EXPECT_TRUE(admin.allowed);
  EXPECT_EQ(admin.matched_rule_id, "admins-promote");
}

// One rule per scope value, on one action each, so each cell is isolated.
const char* kScopePolicy = R"(
version: 1
groups:
  g: [act]
protected_branches: [main, release]
rules:
  - id: read-any
    allow: { actors: { group: g }, actions: [read], branch_scope: any }
  - id: export-protected
    allow: { actors: { group: g }, actions: [export], branch_scope: protected }
  - id: change-unprotected
    allow: { actors: { group: g }, actions: [change], branch_scope: unprotected }
  - id: create-any
    allow: { actors: { group: g }, actions: [branch_create], target_branch_scope: any }
  - id: delete-protected
    allow: { actors: { group: g }, actions: [branch_delete], target_branch_scope: protected }
  - id: merge-unprotected
    allow: { actors: { group: g }, actions: [branch_merge], target_branch_scope: unprotected }
  - id: schema-unscoped
    allow: { actors: { group: g }, actions: [schema_apply] }
)";

TEST(PolicyEval, BranchScopeAny) {
  Policy p = Policy::from_yaml(kScopePolicy);
  EXPECT_TRUE(p.allows("act", Action::kRead, "main"));
  EXPECT_TRUE(p.allows("act", Action::kRead, "feature"));
  // `any` compiles to `true`: it also matches a request without a branch.
  EXPECT_TRUE(p.allows("act", Action::kRead));
  EXPECT_TRUE(p.allows("act", Action::kRead, nullopt, "main"));
}

TEST(PolicyEval, BranchScopeProtected) {
  Policy p = Policy::from_yaml(kScopePolicy);
  EXPECT_TRUE(p.allows("act", Action::kExport, "main"));
  EXPECT_TRUE(p.allows("act", Action::kExport, "release"));
  EXPECT_FALSE(p.allows("act", Action::kExport, "feature"));
  EXPECT_FALSE(p.allows("act", Action::kExport));  // needs a branch
  // The target branch does not count for branch_scope.
  EXPECT_FALSE(p.allows("act", Action::kExport, nullopt, "main"));
  EXPECT_FALSE(p.allows("act", Action::kExport, "feature", "main"));
  EXPECT_TRUE(p.allows("act", Action::kExport, "main", "feature"));
}

TEST(PolicyEval, BranchScopeUnprotected) {
  Policy p = Policy::from_yaml(kScopePolicy);
  EXPECT_TRUE(p.allows("act", Action::kChange, "feature"));
  EXPECT_TRUE(p.allows("act", Action::kChange, ""));  // present, not protected
  EXPECT_FALSE(p.allows("act", Action::kChange, "main"));
  EXPECT_FALSE(p.allows("act", Action::kChange));
  // Names are matched exactly: "Main" is not the protected "main".
  EXPECT_TRUE(p.allows("act", Action::kChange, "Main"));
  EXPECT_TRUE(p.allows("act", Action::kChange, "main2"));
}

TEST(PolicyEval, TargetScopeAny) {
  Policy p = Policy::from_yaml(kScopePolicy);
  EXPECT_TRUE(p.allows("act", Action::kBranchCreate, "main", "feature"));
  EXPECT_TRUE(p.allows("act", Action::kBranchCreate, nullopt, "main"));
  EXPECT_TRUE(p.allows("act", Action::kBranchCreate));
}

TEST(PolicyEval, TargetScopeProtected) {
  Policy p = Policy::from_yaml(kScopePolicy);
  EXPECT_TRUE(p.allows("act", Action::kBranchDelete, nullopt, "release"));
  EXPECT_FALSE(p.allows("act", Action::kBranchDelete, nullopt, "feature"));
  EXPECT_FALSE(p.allows("act", Action::kBranchDelete));
  EXPECT_FALSE(p.allows("act", Action::kBranchDelete, "main"));  // source does not count
}

TEST(PolicyEval, TargetScopeUnprotected) {
  Policy p = Policy::from_yaml(kScopePolicy);
  EXPECT_TRUE(p.allows("act", Action::kBranchMerge, "main", "feature"));
  EXPECT_FALSE(p.allows("act", Action::kBranchMerge, "feature", "main"));
  EXPECT_FALSE(p.allows("act", Action::kBranchMerge, "feature"));
}

TEST(PolicyEval, UnscopedRuleAppliesRegardlessOfBranch) {
  Policy p = Policy::from_yaml(kScopePolicy);
  EXPECT_TRUE(p.allows("act", Action::kSchemaApply));
  EXPECT_TRUE(p.allows("act", Action::kSchemaApply, nullopt, "main"));
  EXPECT_TRUE(p.allows("act", Action::kSchemaApply, "x", "feature"));
}

TEST(PolicyEval, DefaultDenyForUngrantedActions) {
  Policy p = Policy::from_yaml(kScopePolicy);
  Decision d = p.evaluate("act", Action::kAdmin);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.message, "policy denied action 'admin' for actor 'act'");
  EXPECT_FALSE(p.allows("act", Action::kGraphList));
  EXPECT_FALSE(p.allows("act", Action::kInvokeQuery));

  Policy empty = Policy::from_yaml("version: 1\ngroups:\n  g: [act]\n");
  for (Action action : kAllActions) {
    EXPECT_FALSE(empty.allows("act", action, "main", "feature")) << action_name(action);
  }
}

TEST(PolicyEval, UnknownActorsAreDenied) {
  Policy p = Policy::from_yaml(kScopePolicy);
  Decision d = p.evaluate("act-mallory", Action::kRead, "main");
  EXPECT_FALSE(d.allowed);
  EXPECT_FALSE(d.matched_rule_id.has_value());
  // No branch in the unknown-actor message.
  EXPECT_EQ(d.message, "policy denied action 'read' for unknown actor 'act-mallory'");
  EXPECT_FALSE(p.allows("", Action::kRead, "main"));
  EXPECT_FALSE(p.allows("ACT", Action::kRead, "main")) << "actor ids are matched exactly";
  // A group name is not an actor.
  EXPECT_FALSE(p.allows("g", Action::kRead, "main"));
}

TEST(PolicyEval, DenyMessages) {
  Policy p = Policy::from_yaml(kScopePolicy);
  EXPECT_EQ(p.evaluate("act", Action::kChange, "main").message,
            "policy denied action 'change' on branch 'main' for actor 'act'");
  EXPECT_EQ(p.evaluate("act", Action::kBranchMerge, "feature", "main").message,
            "policy denied action 'branch_merge' on branch 'feature' targeting branch 'main' for "
            "actor 'act'");
  EXPECT_EQ(p.evaluate("act", Action::kBranchDelete, nullopt, "feature").message,
            "policy denied action 'branch_delete' targeting branch 'feature' for actor 'act'");
  EXPECT_EQ(deny_message("a", Action::kGraphCreate, nullopt, nullopt),
            "policy denied action 'graph_create' for actor 'a'");
}

TEST(PolicyEval, MatchedRuleIsTheSmallestMatchingId) {
  Policy p = Policy::from_yaml(R"(
version: 1
groups:
  readers: [act-r, act-both]
  writers: [act-w, act-both]
protected_branches: [main]
rules:
  - id: zz-readers
    allow: { actors: { group: readers }, actions: [read] }
  - id: mm-writers
    allow: { actors: { group: writers }, actions: [read, change], branch_scope: any }
  - id: aa-writers-protected
    allow: { actors: { group: writers }, actions: [read], branch_scope: protected }
)");
  EXPECT_EQ(p.evaluate("act-r", Action::kRead, "main").matched_rule_id, "zz-readers");
  EXPECT_EQ(p.evaluate("act-w", Action::kRead, "feature").matched_rule_id, "mm-writers");
  EXPECT_EQ(p.evaluate("act-w", Action::kRead, "main").matched_rule_id, "aa-writers-protected");
  // An actor in two groups gets the smallest id over both groups' rules.
  EXPECT_EQ(p.evaluate("act-both", Action::kRead, "feature").matched_rule_id, "mm-writers");
  EXPECT_EQ(p.evaluate("act-both", Action::kRead, "main").matched_rule_id, "aa-writers-protected");
  EXPECT_EQ(p.evaluate("act-both", Action::kChange, "main").matched_rule_id, "mm-writers");
}

TEST(PolicyEval, ServerScopedActions) {
  Policy p = Policy::from_yaml(R"(
version: 1
groups:
  admins: [act-andrew]
  viewers: [act-bruno]
rules:
  - id: admins-list-graphs
    allow:
      actors: { group: admins }
      actions: [graph_list]
  - id: viewers-read
    allow:
      actors: { group: viewers }
      actions: [read]
)");
  Decision allow = p.evaluate("act-andrew", Action::kGraphList);
  EXPECT_TRUE(allow.allowed);
  EXPECT_EQ(allow.matched_rule_id, "admins-list-graphs");
  EXPECT_FALSE(p.allows("act-bruno", Action::kGraphList));
  EXPECT_FALSE(p.allows("act-andrew", Action::kGraphCreate));
  EXPECT_EQ(p.evaluate("act-andrew", Action::kGraphCreate).message,
            "policy denied action 'graph_create' for actor 'act-andrew'");
  // Graph rules keep working beside server rules.
  EXPECT_TRUE(p.allows("act-bruno", Action::kRead, "main"));
}

TEST(PolicyEval, AuthorizeThrowsForbiddenWithTheDecisionMessage) {
  Policy p = Policy::from_yaml(kTeamPolicy);
  EXPECT_NO_THROW(p.authorize("act-bruno", Action::kChange, "feature"));
  try {
    p.authorize("act-bruno", Action::kChange, "main");
    FAIL() << "expected a denial";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden);
    EXPECT_STREQ(e.what(),
                 "policy denied: policy denied action 'change' on branch 'main' for actor "
                 "'act-bruno'");
  }
  PolicyRequest request{Action::kBranchMerge, "feature", "main"};
  EXPECT_NO_THROW(p.authorize("act-andrew", request));
  EXPECT_THROW(p.authorize("act-bruno", request), Error);
  EXPECT_TRUE(p.evaluate("act-andrew", request).allowed);
}

TEST(PolicyEval, ActorInManyGroupsIsCountedOnce) {
  Policy p = Policy::from_yaml("version: 1\ngroups:\n  a: [x, y]\n  b: [y, z]\n  c: [x, x]\n");
  EXPECT_EQ(p.known_actor_count(), 3u);
}

// ---------------------------------------------------------------------------
// Model check: the compiled tables against a direct reading of the rules.

bool naive_scope(std::optional<BranchScope> scope, const std::optional<std::string>& branch,
                 const std::set<std::string>& protected_branches) {
  if (!scope) return true;
  switch (*scope) {
    case BranchScope::kAny: return true;
    case BranchScope::kProtected: return branch && protected_branches.contains(*branch);
    case BranchScope::kUnprotected: return branch && !protected_branches.contains(*branch);
  }
  return false;
}

std::optional<std::string> naive_match(const PolicyConfig& config, const std::string& actor,
                                       Action action, const std::optional<std::string>& branch,
                                       const std::optional<std::string>& target) {
  std::set<std::string> protected_branches(config.protected_branches.begin(),
                                           config.protected_branches.end());
  std::optional<std::string> best;
  for (const auto& rule : config.rules) {
    const auto& members = config.groups.at(rule.group);
    if (std::find(members.begin(), members.end(), actor) == members.end()) continue;
    if (std::find(rule.actions.begin(), rule.actions.end(), action) == rule.actions.end()) continue;
    if (!naive_scope(rule.branch_scope, branch, protected_branches)) continue;
    if (!naive_scope(rule.target_branch_scope, target, protected_branches)) continue;
    if (!best || rule.id < *best) best = rule.id;
  }
  return best;
}

PolicyConfig random_policy(std::mt19937& rng) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  PolicyConfig config;
  config.version = 1;
  const int groups = 1 + pick(5);
  for (int g = 0; g < groups; ++g) {
    std::vector<std::string> members;
    const int n = 1 + pick(4);
    for (int i = 0; i < n; ++i) members.push_back("act-" + std::to_string(pick(8)));
    config.groups["group-" + std::to_string(g)] = members;
  }
  for (const char* b : {"main", "release"}) {
    if (pick(2) == 0) config.protected_branches.push_back(b);
  }
  const int rules = pick(12);
  for (int r = 0; r < rules; ++r) {
    PolicyRule rule;
    rule.id = "rule-" + std::to_string(pick(1000)) + "-" + std::to_string(r);
    rule.group = "group-" + std::to_string(pick(groups));
    const int kind = pick(4);
    std::vector<Action> pool;
    if (kind == 0) {
      pool = {Action::kRead, Action::kExport, Action::kChange};
      rule.branch_scope = static_cast<BranchScope>(pick(3));
    } else if (kind == 1) {
      pool = {Action::kSchemaApply, Action::kBranchCreate, Action::kBranchDelete,
              Action::kBranchMerge};
      rule.target_branch_scope = static_cast<BranchScope>(pick(3));
    } else if (kind == 2) {
      pool = {Action::kGraphCreate, Action::kGraphList};
    } else {
      pool = {Action::kRead, Action::kChange, Action::kAdmin, Action::kInvokeQuery,
              Action::kBranchMerge};
    }
    for (Action a : pool) {
      if (pick(2) == 0) rule.actions.push_back(a);
    }
    if (rule.actions.empty()) rule.actions.push_back(pool[0]);
    config.rules.push_back(rule);
  }
  return config;
}

TEST(PolicyEval, CompiledTablesMatchADirectReadingOfTheRules) {
  const int policies = std::getenv("OG_TEST_SCALE") ? 60 : 400;
  std::mt19937 rng(20240601);
  const std::vector<std::optional<std::string>> branches = {nullopt, "main", "release", "feature",
                                                            ""};
  long checked = 0;
  for (int i = 0; i < policies; ++i) {
    PolicyConfig config = random_policy(rng);
    Policy policy = Policy::compile(config);
    for (int a = 0; a < 9; ++a) {
      const std::string actor = "act-" + std::to_string(a);
      for (Action action : kAllActions) {
        for (const auto& branch : branches) {
          for (const auto& target : branches) {
            auto expected = naive_match(config, actor, action, branch, target);
            Decision d = policy.evaluate(actor, PolicyRequest{action, branch, target});
            ASSERT_EQ(d.allowed, expected.has_value())
                << "policy " << i << " actor " << actor << " action " << action_name(action);
            ASSERT_EQ(d.matched_rule_id, expected);
            ++checked;
          }
        }
      }
    }
  }
  EXPECT_GT(checked, 0);
}

TEST(PolicyEval, DecisionCostDoesNotGrowWithRuleCount) {
  // 2000 groups x 1 rule each; the decision is still a table lookup.
  std::string yaml = "version: 1\nprotected_branches: [main]\ngroups:\n";
  for (int g = 0; g < 2000; ++g)
    yaml += "  g" + std::to_string(g) + ": [act-" + std::to_string(g) + "]\n";
  yaml += "rules:\n";
  for (int g = 0; g < 2000; ++g) {
    yaml += "  - id: r" + std::to_string(g) + "\n    allow: { actors: { group: g" +
            std::to_string(g) + " }, actions: [read, change], branch_scope: unprotected }\n";
  }
  Policy policy = Policy::from_yaml(yaml);
  EXPECT_EQ(policy.known_actor_count(), 2000u);
  const int iterations = std::getenv("OG_TEST_SCALE") ? 20000 : 200000;
  auto start = std::chrono::steady_clock::now();
  int allowed = 0;
  for (int i = 0; i < iterations; ++i) {
    allowed += policy.allows("act-1999", Action::kChange, (i & 1) ? "feature" : "main");
  }
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(allowed, iterations / 2);
  // Generous bound (sanitizer builds included): well under 10 us a decision.
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count(),
            iterations / 100);
}

}  // namespace
}  // namespace omnigraph::policy
