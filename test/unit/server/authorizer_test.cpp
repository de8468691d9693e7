// Runtime states (http-contract §4.4) and the per-request decision (§4.3).
#include "server/auth/authorizer.h"

#include <gtest/gtest.h>

#include "policy/enforcement.h"
#include "server_test_support.h"

namespace omnigraph::server::auth {
namespace {

using policy::Operation;
using policy::RuntimeState;
using testing::thrown;

const char* kGraphPolicy = R"(
version: 1
groups:
  team: [act-andrew, act-bruno]
  admins: [act-ragnor]
protected_branches: [main]
rules:
  - id: team-read
    allow: { actors: { group: team }, actions: [read, export], branch_scope: any }
  - id: team-change
    allow: { actors: { group: team }, actions: [change], branch_scope: unprotected }
  - id: admins-all
    allow: { actors: { group: admins }, actions: [read, export, change], branch_scope: any }
  - id: admins-branches
    allow: { actors: { group: admins }, actions: [schema_apply, branch_create, branch_delete, branch_merge], target_branch_scope: any }
)";

const char* kServerPolicy = R"(
version: 1
groups:
  ops: [act-ragnor]
rules:
  - id: ops-graphs
    allow: { actors: { group: ops }, actions: [graph_list, graph_create] }
)";

TokenStore team_tokens() {
  return TokenStore::from_pairs(
      {{"act-andrew", "tok-andrew"}, {"act-ragnor", "tok-ragnor"}, {"act-zed", "tok-zed"}});
}

Authorizer make(bool tokens, bool policy, bool unauth, bool multi = false,
                std::shared_ptr<const policy::Policy> server_policy = nullptr) {
  return Authorizer(AuthorizerOptions{tokens ? team_tokens() : TokenStore(), policy, unauth, multi,
                                      std::move(server_policy)});
}

std::optional<std::string> bearer(std::string_view token) {
  return "Bearer " + std::string(token);
}

TEST(Authorizer, RefusesToStartOpenWithoutOptIn) {
  auto error = thrown([] { make(false, false, false); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, ErrorCode::kBadRequest);
  EXPECT_NE(error->message.find("no bearer tokens and no policy file"), std::string::npos);
  EXPECT_NE(error->message.find("--unauthenticated"), std::string::npos);
  EXPECT_NE(error->message.find("OMNIGRAPH_UNAUTHENTICATED=1"), std::string::npos);
  // Multi mode refuses the same way.
  EXPECT_TRUE(thrown([] { make(false, false, false, true); }));
}

TEST(Authorizer, RuntimeStateMatrix) {
  EXPECT_EQ(make(false, false, true).state(), RuntimeState::kOpen);
  EXPECT_EQ(make(true, false, false).state(), RuntimeState::kDefaultDeny);
  EXPECT_EQ(make(true, false, true).state(), RuntimeState::kDefaultDeny);
  EXPECT_EQ(make(true, true, false).state(), RuntimeState::kPolicyEnabled);
  EXPECT_EQ(make(true, true, true).state(), RuntimeState::kPolicyEnabled);
  // Multi mode allows a policy without tokens (every protected request 401).
  EXPECT_EQ(make(false, true, false, true).state(), RuntimeState::kPolicyEnabled);
  EXPECT_EQ(make(false, true, true, true).state(), RuntimeState::kPolicyEnabled);
}

TEST(Authorizer, SingleModePolicyNeedsATokenActor) {
  for (bool unauth : {false, true}) {
    auto error = thrown([&] { make(false, true, unauth); });
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code, ErrorCode::kBadRequest);
    EXPECT_EQ(error->message, "policy requires at least one configured bearer token actor");
  }
}

TEST(Authorizer, OpenModeIgnoresTheHeaderAndAllowsEverything) {
  Authorizer auth = make(false, false, true);
  EXPECT_FALSE(auth.requires_auth());
  for (auto header :
       {std::optional<std::string>(), bearer("garbage"), std::optional<std::string>("Basic x")}) {
    Identity id = auth.authenticate(header);
    EXPECT_EQ(id.actor, std::nullopt);
    EXPECT_EQ(id.admission_key(), "anonymous");
  }
  Identity anonymous;
  EXPECT_EQ(auth.authorize(anonymous, nullptr, Operation::kChange, "main"), std::nullopt);
  EXPECT_EQ(auth.authorize(anonymous, nullptr, Operation::kSchemaApply), std::nullopt);
  EXPECT_EQ(auth.authorize(anonymous, nullptr, Operation::kBranchDelete, std::nullopt, "f"),
            std::nullopt);
  EXPECT_EQ(auth.authorize(anonymous, nullptr, Operation::kGraphCreate), std::nullopt);
}

TEST(Authorizer, MissingAndInvalidTokensAre401) {
  Authorizer auth = make(true, false, false);
  EXPECT_TRUE(auth.requires_auth());
  auto missing = thrown([&] { auth.authenticate(std::nullopt); });
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->code, ErrorCode::kUnauthorized);
  EXPECT_EQ(missing->message, "missing bearer token");
  EXPECT_EQ(thrown([&] { auth.authenticate("Token tok-andrew"); })->message,
            "missing bearer token");
  auto invalid = thrown([&] { auth.authenticate(bearer("nope")); });
  ASSERT_TRUE(invalid);
  EXPECT_EQ(invalid->code, ErrorCode::kUnauthorized);
  EXPECT_EQ(invalid->message, "invalid bearer token");
  Identity id = auth.authenticate(bearer("tok-andrew"));
  EXPECT_EQ(id.actor, "act-andrew");
  EXPECT_EQ(id.admission_key(), "act-andrew");
}

TEST(Authorizer, DefaultDenyAllowsOnlyRead) {
  Authorizer auth = make(true, false, false);
  Identity id = auth.authenticate(bearer("tok-andrew"));
  EXPECT_EQ(auth.authorize(id, nullptr, Operation::kRead, "main"), std::nullopt);
  EXPECT_EQ(auth.authorize(id, nullptr, Operation::kSnapshot, "main"), std::nullopt);
  EXPECT_EQ(auth.authorize(id, nullptr, Operation::kSchemaGet), std::nullopt);
  EXPECT_EQ(auth.authorize(id, nullptr, Operation::kCommitList), std::nullopt);
  struct Case {
    Operation op;
    std::optional<std::string_view> branch, target;
  };
  for (Case c :
       {Case{Operation::kExport, "main", {}}, Case{Operation::kChange, "main", {}},
        Case{Operation::kSchemaApply, {}, {}}, Case{Operation::kBranchCreate, "main", "f"},
        Case{Operation::kBranchDelete, {}, "f"}, Case{Operation::kBranchMerge, "f", "main"},
        Case{Operation::kGraphList, {}, {}}, Case{Operation::kGraphCreate, {}, {}}}) {
    auto error = thrown([&] { auth.authorize(id, nullptr, c.op, c.branch, c.target); });
    ASSERT_TRUE(error) << policy::operation_name(c.op);
    EXPECT_EQ(error->code, ErrorCode::kForbidden);
    EXPECT_EQ(error->message, policy::kDefaultDenyMessage);
    EXPECT_NE(error->message.find("default-deny"), std::string::npos);
  }
}

TEST(Authorizer, PolicyDecisionsUseTheTokenActor) {
  Authorizer auth = make(true, true, false);
  auto graph_policy = policy::Policy::from_yaml(kGraphPolicy);

  // The reader token is allowed; the actor listed in no group is denied.
  Identity andrew = auth.authenticate(bearer("tok-andrew"));
  auto decision = auth.authorize(andrew, &graph_policy, Operation::kSnapshot, "main");
  ASSERT_TRUE(decision);
  EXPECT_TRUE(decision->allowed);
  EXPECT_EQ(decision->matched_rule_id, "team-read");

  Identity zed = auth.authenticate(bearer("tok-zed"));
  auto unknown = thrown([&] { auth.authorize(zed, &graph_policy, Operation::kRead, "main"); });
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->code, ErrorCode::kForbidden);
  EXPECT_EQ(unknown->message, "policy denied action 'read' for unknown actor 'act-zed'");

  // Protected main: team change denied, unprotected branch allowed.
  auto denied = thrown([&] { auth.authorize(andrew, &graph_policy, Operation::kChange, "main"); });
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->code, ErrorCode::kForbidden);
  EXPECT_EQ(denied->message,
            "policy denied action 'change' on branch 'main' for actor 'act-andrew'");
  EXPECT_TRUE(auth.authorize(andrew, &graph_policy, Operation::kChange, "feature")->allowed);

  // Merges name source and target.
  auto merge = thrown(
      [&] { auth.authorize(andrew, &graph_policy, Operation::kBranchMerge, "feature", "main"); });
  ASSERT_TRUE(merge);
  EXPECT_EQ(merge->message,
            "policy denied action 'branch_merge' on branch 'feature' targeting branch 'main' for "
            "actor 'act-andrew'");
  Identity ragnor = auth.authenticate(bearer("tok-ragnor"));
  EXPECT_EQ(auth.authorize(ragnor, &graph_policy, Operation::kBranchMerge, "feature", "main")
                ->matched_rule_id,
            "admins-branches");

  // Schema apply always targets main; branch delete targets its branch.
  auto schema = thrown([&] { auth.authorize(andrew, &graph_policy, Operation::kSchemaApply); });
  ASSERT_TRUE(schema);
  EXPECT_EQ(schema->message,
            "policy denied action 'schema_apply' targeting branch 'main' for actor 'act-andrew'");
  auto del = thrown(
      [&] { auth.authorize(andrew, &graph_policy, Operation::kBranchDelete, std::nullopt, "f"); });
  ASSERT_TRUE(del);
  EXPECT_EQ(del->message,
            "policy denied action 'branch_delete' targeting branch 'f' for actor 'act-andrew'");
}

TEST(Authorizer, PolicyWithoutActorIs401) {
  // Multi mode with a graph policy and no tokens: auth is required, and a
  // request can never authenticate.
  Authorizer auth = make(false, true, false, true);
  EXPECT_TRUE(auth.requires_auth());
  auto missing = thrown([&] { auth.authenticate(std::nullopt); });
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->code, ErrorCode::kUnauthorized);
  EXPECT_EQ(thrown([&] { auth.authenticate(bearer("anything")); })->message,
            "invalid bearer token");
  // And an identity without an actor never passes a policy.
  auto graph_policy = policy::Policy::from_yaml(kGraphPolicy);
  auto error = thrown([&] { auth.authorize(Identity{}, &graph_policy, Operation::kRead, "main"); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, ErrorCode::kUnauthorized);
  EXPECT_EQ(error->message, "missing bearer token");
}

TEST(Authorizer, MultiModeGraphWithoutPolicyIsDefaultDeny) {
  auto graph_policy = policy::Policy::from_yaml(kGraphPolicy);
  Authorizer auth = make(true, true, false, true);
  Identity ragnor = auth.authenticate(bearer("tok-ragnor"));
  EXPECT_TRUE(auth.authorize(ragnor, &graph_policy, Operation::kChange, "main")->allowed);
  EXPECT_EQ(auth.authorize(ragnor, nullptr, Operation::kRead, "main"), std::nullopt);
  auto error = thrown([&] { auth.authorize(ragnor, nullptr, Operation::kChange, "main"); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message, policy::kDefaultDenyMessage);
}

TEST(Authorizer, ServerActionsUseTheServerPolicy) {
  auto server_policy =
      std::make_shared<const policy::Policy>(policy::Policy::from_yaml(kServerPolicy));
  auto graph_policy = policy::Policy::from_yaml(kGraphPolicy);
  Authorizer auth = make(true, true, false, true, server_policy);
  Identity ragnor = auth.authenticate(bearer("tok-ragnor"));
  Identity andrew = auth.authenticate(bearer("tok-andrew"));
  // The graph policy passed in is ignored for server-scoped actions.
  auto decision = auth.authorize(ragnor, &graph_policy, Operation::kGraphList);
  ASSERT_TRUE(decision);
  EXPECT_EQ(decision->matched_rule_id, "ops-graphs");
  EXPECT_TRUE(auth.authorize(ragnor, nullptr, Operation::kGraphCreate)->allowed);
  auto error = thrown([&] { auth.authorize(andrew, nullptr, Operation::kGraphList); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, ErrorCode::kForbidden);
  EXPECT_EQ(error->message, "policy denied action 'graph_list' for unknown actor 'act-andrew'");

  // No server policy + authenticated actor: default-deny for graph_list.
  Authorizer no_server = make(true, true, false, true);
  auto deny = thrown([&] {
    no_server.authorize(no_server.authenticate(bearer("tok-ragnor")), &graph_policy,
                        Operation::kGraphList);
  });
  ASSERT_TRUE(deny);
  EXPECT_EQ(deny->message, policy::kDefaultDenyMessage);
}

TEST(Authorizer, SingleModeHasNoServerPolicy) {
  auto server_policy =
      std::make_shared<const policy::Policy>(policy::Policy::from_yaml(kServerPolicy));
  Authorizer auth = make(true, false, false, false, server_policy);
  auto error = thrown([&] {
    auth.authorize(auth.authenticate(bearer("tok-ragnor")), nullptr, Operation::kGraphList);
  });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message, policy::kDefaultDenyMessage);
}

TEST(Authorizer, ServerPolicyAloneRequiresAuth) {
  auto server_policy =
      std::make_shared<const policy::Policy>(policy::Policy::from_yaml(kServerPolicy));
  Authorizer auth = make(false, true, false, true, server_policy);
  EXPECT_TRUE(auth.requires_auth());
}

TEST(Authorizer, AGraphPolicyAddedAtRuntimeRequiresAuthEverywhere) {
  Authorizer auth = make(false, false, true, true);
  EXPECT_FALSE(auth.requires_auth());
  EXPECT_EQ(auth.authenticate(std::nullopt).actor, std::nullopt);
  auth.note_graph_policy();
  EXPECT_TRUE(auth.requires_auth());
  EXPECT_EQ(thrown([&] { auth.authenticate(std::nullopt); })->code, ErrorCode::kUnauthorized);
}

TEST(Authorizer, CheckDoesBothSteps) {
  Authorizer auth = make(true, true, false);
  auto graph_policy = policy::Policy::from_yaml(kGraphPolicy);
  EXPECT_EQ(auth.check(bearer("tok-andrew"), &graph_policy, Operation::kRead, "main").actor,
            "act-andrew");
  EXPECT_EQ(
      thrown([&] { auth.check(std::nullopt, &graph_policy, Operation::kRead, "main"); })->code,
      ErrorCode::kUnauthorized);
  EXPECT_EQ(
      thrown([&] { auth.check(bearer("tok-zed"), &graph_policy, Operation::kRead, "main"); })->code,
      ErrorCode::kForbidden);
}

TEST(Authorizer, DescribeNamesStateAndSource) {
  Authorizer auth = make(true, false, false);
  EXPECT_NE(auth.describe().find("default_deny"), std::string::npos);
  EXPECT_NE(auth.describe().find("3 actor(s)"), std::string::npos);
}

}  // namespace
}  // namespace omnigraph::server::auth
