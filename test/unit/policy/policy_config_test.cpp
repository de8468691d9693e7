// Parsing and validation of policy.yaml: every validation error of the
// reference with its exact text, and the shape errors of our parser.
#include <gtest/gtest.h>

#include <string>

#include "common/error.h"
#include "policy/policy.h"
#include "policy/policy_config.h"

namespace omnigraph::policy {
namespace {

// The message of the kBadRequest error that compiling `yaml` raises.
std::string compile_error(const std::string& yaml) {
  try {
    Policy::from_yaml(yaml);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadRequest) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "policy compiled but should not have:\n" << yaml;
  return {};
}

// A one-rule policy around `allow` (indented as the body of allow:).
std::string one_rule(const std::string& allow, const std::string& id = "r1") {
  return "version: 1\n"
         "groups:\n"
         "  team: [act-a]\n"
         "protected_branches: [main]\n"
         "rules:\n"
         "  - id: " +
         id + "\n    allow:\n" + allow;
}

TEST(PolicyConfig, ParsesAFullPolicy) {
  PolicyConfig config = parse_policy_config(R"(
version: 1
groups:
  team: [act-andrew, act-bruno]
  admins: ["act-andrew"]
protected_branches: [main, release]
rules:
  - id: team-read
    allow:
      actors: { group: team }
      actions: [read, export]
      branch_scope: any
  - id: admins-merge
    allow:
      actors: { group: admins }
      actions: [branch_merge]
      target_branch_scope: protected
)");
  validate_policy_config(config);
  EXPECT_EQ(config.version, 1u);
  ASSERT_EQ(config.groups.size(), 2u);
  EXPECT_EQ(config.groups.at("team"), (std::vector<std::string>{"act-andrew", "act-bruno"}));
  EXPECT_EQ(config.protected_branches, (std::vector<std::string>{"main", "release"}));
  ASSERT_EQ(config.rules.size(), 2u);
  EXPECT_EQ(config.rules[0].id, "team-read");
  EXPECT_EQ(config.rules[0].group, "team");
  EXPECT_EQ(config.rules[0].actions, (std::vector<Action>{Action::kRead, Action::kExport}));
  EXPECT_EQ(config.rules[0].branch_scope, BranchScope::kAny);
  EXPECT_FALSE(config.rules[0].target_branch_scope.has_value());
  EXPECT_EQ(config.rules[1].target_branch_scope, BranchScope::kProtected);
}

TEST(PolicyConfig, GroupsProtectedBranchesAndRulesAreOptional) {
  PolicyConfig config = parse_policy_config("version: 1\n");
  validate_policy_config(config);
  EXPECT_TRUE(config.groups.empty());
  EXPECT_TRUE(config.protected_branches.empty());
  EXPECT_TRUE(config.rules.empty());
  EXPECT_EQ(Policy::compile(config).known_actor_count(), 0u);
}

TEST(PolicyConfig, EveryActionNameParses) {
  for (Action action : kAllActions) {
    EXPECT_EQ(parse_action(action_name(action)), action);
    EXPECT_EQ(parse_cli_action(action_cli_name(action)), action);
    EXPECT_EQ(parse_cli_action(action_name(action)), action);
  }
  EXPECT_EQ(action_cli_name(Action::kSchemaApply), "schema-apply");
  EXPECT_FALSE(parse_action("schema-apply").has_value());
  EXPECT_FALSE(parse_action("Read").has_value());
  EXPECT_EQ(resource_kind(Action::kGraphList), ResourceKind::kServer);
  EXPECT_EQ(resource_kind(Action::kGraphCreate), ResourceKind::kServer);
  EXPECT_EQ(resource_kind(Action::kAdmin), ResourceKind::kGraph);
}

// --- the reference's validation errors, exact texts -----------------------

TEST(PolicyValidation, VersionMustBeOne) {
  EXPECT_EQ(compile_error("version: 2\n"), "policy version must be 1");
  EXPECT_EQ(compile_error("version: 0\n"), "policy version must be 1");
}

TEST(PolicyValidation, GroupNamesMustNotBeBlank) {
  EXPECT_EQ(compile_error("version: 1\ngroups:\n  \"  \": [act-a]\n"),
            "policy group names must not be blank");
  EXPECT_EQ(compile_error("version: 1\ngroups:\n  \"\": [act-a]\n"),
            "policy group names must not be blank");
}

TEST(PolicyValidation, GroupsMustNotBeEmpty) {
  EXPECT_EQ(compile_error("version: 1\ngroups:\n  team: []\n"),
            "policy group 'team' must not be empty");
  EXPECT_EQ(compile_error("version: 1\ngroups:\n  team:\n"),
            "policy group 'team' must not be empty");
}

TEST(PolicyValidation, GroupMembersMustNotBeBlank) {
  EXPECT_EQ(compile_error("version: 1\ngroups:\n  team: [act-a, \" \"]\n"),
            "policy group 'team' contains a blank actor id");
}

TEST(PolicyValidation, GroupsAreCheckedInNameOrder) {
  // Like the reference's sorted map: 'alpha' is reported before 'zeta'.
  EXPECT_EQ(compile_error("version: 1\ngroups:\n  zeta: []\n  alpha: []\n"),
            "policy group 'alpha' must not be empty");
}

TEST(PolicyValidation, ProtectedBranchNamesMustNotBeBlank) {
  EXPECT_EQ(compile_error("version: 1\nprotected_branches: [main, \"\"]\n"),
            "protected branch names must not be blank");
}

TEST(PolicyValidation, RuleIdsMustNotBeBlank) {
  EXPECT_EQ(
      compile_error(one_rule("      actors: { group: team }\n      actions: [read]\n", "\" \"")),
      "policy rule ids must not be blank");
}

TEST(PolicyValidation, RuleIdsMustBeUnique) {
  EXPECT_EQ(compile_error(R"(
version: 1
groups:
  team: [act-andrew]
rules:
  - id: same
    allow:
      actors: { group: team }
      actions: [read]
      branch_scope: any
  - id: same
    allow:
      actors: { group: team }
      actions: [export]
      branch_scope: any
)"),
            "duplicate policy rule id 'same'");
}

TEST(PolicyValidation, RuleMustReferenceANonBlankGroup) {
  EXPECT_EQ(compile_error(one_rule("      actors: { group: \"\" }\n      actions: [read]\n")),
            "policy rule 'r1' must reference a non-blank group");
}

TEST(PolicyValidation, RuleMustReferenceAKnownGroup) {
  EXPECT_EQ(compile_error(one_rule("      actors: { group: admins }\n      actions: [read]\n")),
            "policy rule 'r1' references unknown group 'admins'");
}

TEST(PolicyValidation, RuleMustHaveAnAction) {
  EXPECT_EQ(compile_error(one_rule("      actors: { group: team }\n      actions: []\n")),
            "policy rule 'r1' must include at least one action");
}

TEST(PolicyValidation, RuleMayNotUseBothScopes) {
  EXPECT_EQ(compile_error(one_rule("      actors: { group: team }\n      actions: [read]\n"
                                   "      branch_scope: any\n      target_branch_scope: any\n")),
            "policy rule 'r1' may specify branch_scope or target_branch_scope, not both");
}

TEST(PolicyValidation, BranchScopeOnlyWithReadExportChange) {
  for (const char* action : {"schema_apply", "branch_create", "branch_delete", "branch_merge",
                             "admin", "invoke_query", "graph_list", "graph_create"}) {
    EXPECT_EQ(
        compile_error(one_rule(std::string("      actors: { group: team }\n      actions: [") +
                               action + "]\n      branch_scope: protected\n")),
        std::string("policy rule 'r1' uses branch_scope with unsupported action '") + action + "'");
  }
  // The first offending action is named.
  EXPECT_EQ(compile_error(one_rule("      actors: { group: team }\n"
                                   "      actions: [read, branch_merge, admin]\n"
                                   "      branch_scope: any\n")),
            "policy rule 'r1' uses branch_scope with unsupported action 'branch_merge'");
}

TEST(PolicyValidation, TargetBranchScopeOnlyWithBranchAndSchemaActions) {
  for (const char* action :
       {"read", "export", "change", "admin", "invoke_query", "graph_list", "graph_create"}) {
    EXPECT_EQ(
        compile_error(one_rule(std::string("      actors: { group: team }\n      actions: [") +
                               action + "]\n      target_branch_scope: unprotected\n")),
        std::string("policy rule 'r1' uses target_branch_scope with unsupported action '") +
            action + "'");
  }
}

TEST(PolicyValidation, ServerActionsMayNotMixWithGraphActions) {
  const std::string expected =
      "policy rule 'mixed' mixes server-scoped actions (graph_create, graph_list) with per-graph "
      "actions; split into separate rules";
  EXPECT_EQ(compile_error(one_rule(
                "      actors: { group: team }\n      actions: [graph_list, read]\n", "mixed")),
            expected);
  EXPECT_EQ(compile_error(one_rule(
                "      actors: { group: team }\n      actions: [admin, graph_create]\n", "mixed")),
            expected);
}

TEST(PolicyValidation, ServerActionsHaveNoBranchContext) {
  // The scope checks come first, so a scope on a server action is reported
  // as an unsupported scope action (as in the reference).
  EXPECT_EQ(compile_error(one_rule("      actors: { group: team }\n      actions: [graph_list]\n"
                                   "      branch_scope: any\n")),
            "policy rule 'r1' uses branch_scope with unsupported action 'graph_list'");
  EXPECT_EQ(compile_error(one_rule("      actors: { group: team }\n      actions: [graph_create]\n"
                                   "      target_branch_scope: protected\n")),
            "policy rule 'r1' uses target_branch_scope with unsupported action 'graph_create'");
}

TEST(PolicyValidation, ServerOnlyRulesAreValid) {
  Policy policy = Policy::from_yaml(
      one_rule("      actors: { group: team }\n      actions: [graph_create, graph_list]\n"));
  EXPECT_TRUE(policy.allows("act-a", Action::kGraphCreate));
  EXPECT_TRUE(policy.allows("act-a", Action::kGraphList));
}

TEST(PolicyValidation, ARepeatedActionInOneRuleIsRejected) {
  EXPECT_EQ(compile_error(one_rule("      actors: { group: team }\n      actions: [read, read]\n")),
            "policy rule 'r1' lists action 'read' more than once");
}

TEST(PolicyValidation, FirstProblemInFileOrderWins) {
  // version is checked before groups, groups before rules.
  EXPECT_EQ(compile_error("version: 3\ngroups:\n  team: []\n"), "policy version must be 1");
  EXPECT_EQ(compile_error("version: 1\ngroups:\n  team: []\nrules:\n  - id: \"\"\n    allow:\n"
                          "      actors: { group: team }\n      actions: [read]\n"),
            "policy group 'team' must not be empty");
}

TEST(PolicyValidation, LoadPolicyConfigValidates) {
  EXPECT_THROW(load_policy_config("/nonexistent/policy.yaml"), Error);
}

// --- shape errors: clear, located messages ---------------------------------

TEST(PolicyShape, MissingVersion) {
  EXPECT_EQ(compile_error("groups: {}\n"), "missing field `version` at line 1 column 1");
  EXPECT_EQ(compile_error(""), "missing field `version`");
}

TEST(PolicyShape, VersionMustBeANumber) {
  EXPECT_EQ(
      compile_error("version: one\n"),
      "version: invalid type: scalar `one`, expected an unsigned integer at line 1 column 10");
  EXPECT_NE(compile_error("version: \"1\"\n").find("expected an unsigned integer"),
            std::string::npos);
  EXPECT_NE(compile_error("version: -1\n").find("expected an unsigned integer"), std::string::npos);
}

TEST(PolicyShape, UnknownActionIsNamedWithItsPath) {
  EXPECT_EQ(
      compile_error(one_rule("      actors: { group: team }\n      actions: [read, frobnicate]\n")),
      "rules[0].allow.actions[1]: unknown policy action 'frobnicate' at line 9 column 23");
}

TEST(PolicyShape, UnknownScopeValue) {
  EXPECT_EQ(compile_error(one_rule("      actors: { group: team }\n      actions: [read]\n"
                                   "      branch_scope: sometimes\n")),
            "rules[0].allow.branch_scope: unknown branch scope 'sometimes', expected one of any, "
            "protected, unprotected at line 10 column 21");
}

TEST(PolicyShape, MissingRuleFields) {
  EXPECT_NE(compile_error("version: 1\ngroups: {team: [a]}\nrules:\n  - allow:\n"
                          "      actors: { group: team }\n      actions: [read]\n")
                .find("rules[0]: missing field `id`"),
            std::string::npos);
  EXPECT_NE(
      compile_error("version: 1\nrules:\n  - id: x\n").find("rules[0]: missing field `allow`"),
      std::string::npos);
  EXPECT_NE(compile_error(one_rule("      actions: [read]\n"))
                .find("rules[0].allow: missing field `actors`"),
            std::string::npos);
  EXPECT_NE(compile_error(one_rule("      actors: { group: team }\n"))
                .find("rules[0].allow: missing field `actions`"),
            std::string::npos);
  EXPECT_NE(compile_error(one_rule("      actors: {}\n      actions: [read]\n"))
                .find("rules[0].allow.actors: missing field `group`"),
            std::string::npos);
}

TEST(PolicyShape, MisspeltRuleKeysAreRejected) {
  // A typo would otherwise turn a scoped rule into an unconditional one.
  std::string error = compile_error(one_rule(
      "      actors: { group: team }\n      actions: [read]\n      branch_scop: protected\n"));
  EXPECT_NE(error.find("rules[0].allow: unknown field `branch_scop`"), std::string::npos) << error;
  EXPECT_NE(
      compile_error(one_rule("      actors: { group: team, role: x }\n      actions: [read]\n"))
          .find("unknown field `role`"),
      std::string::npos);
}

TEST(PolicyShape, UnknownTopLevelKeysAreIgnored) {
  // As in the reference (cookbook files carry e.g. `kind: server`).
  Policy policy = Policy::from_yaml("version: 1\nkind: server\ndescription: x\n");
  EXPECT_EQ(policy.known_actor_count(), 0u);
}

TEST(PolicyShape, WrongContainerTypes) {
  EXPECT_NE(compile_error("version: 1\ngroups: [a, b]\n")
                .find("groups: invalid type: a sequence, expected a mapping"),
            std::string::npos);
  EXPECT_NE(compile_error("version: 1\nrules: {a: b}\n")
                .find("rules: invalid type: a mapping, expected a sequence"),
            std::string::npos);
  EXPECT_NE(compile_error("version: 1\ngroups:\n  team: act-a\n").find("groups.team: invalid type"),
            std::string::npos);
  EXPECT_NE(compile_error("version: 1\nprotected_branches: main\n")
                .find("protected_branches: invalid type"),
            std::string::npos);
  EXPECT_NE(compile_error("- 1\n- 2\n").find("expected a mapping"), std::string::npos);
}

TEST(PolicyShape, DuplicateKeys) {
  EXPECT_NE(compile_error("version: 1\ngroups:\n  team: [a]\n  team: [b]\n")
                .find("groups: duplicate entry with key `team`"),
            std::string::npos);
  EXPECT_NE(compile_error("version: 1\nversion: 1\n").find("duplicate entry with key `version`"),
            std::string::npos);
}

TEST(PolicyShape, SyntaxErrorsNameTheLine) {
  std::string error = compile_error("version: 1\ngroups: {team: [a\n");
  EXPECT_EQ(error.rfind("invalid YAML at line", 0), 0u) << error;
}

}  // namespace
}  // namespace omnigraph::policy
