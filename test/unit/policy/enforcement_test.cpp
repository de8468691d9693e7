// The server's runtime states and request gate, and the engine-layer gate.
#include <gtest/gtest.h>

#include "common/error.h"
#include "policy/enforcement.h"
#include "policy/runtime_state.h"
#include "policy/scope.h"

namespace omnigraph::policy {
namespace {

using std::nullopt;

// Runs fn; returns the error it threw (code + message) or nullopt.
template <typename Fn>
std::optional<std::pair<ErrorCode, std::string>> thrown(Fn fn) {
  try {
    fn();
  } catch (const Error& e) {
    return std::make_pair(e.code(), std::string(e.what()));
  }
  return nullopt;
}

const char* kPolicy = R"(
version: 1
groups:
  team: [act-andrew, act-bruno]
  admins: [act-andrew]
protected_branches: [main]
rules:
  - id: team-read
    allow: { actors: { group: team }, actions: [read], branch_scope: any }
  - id: team-write
    allow: { actors: { group: team }, actions: [change], branch_scope: unprotected }
  - id: admins-list-graphs
    allow: { actors: { group: admins }, actions: [graph_list] }
)";

TEST(RuntimeState, Matrix) {
  auto refused = thrown([] { classify_runtime_state(false, false, false); });
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->first, ErrorCode::kBadRequest);
  EXPECT_NE(refused->second.find("no bearer tokens and no policy file"), std::string::npos);
  EXPECT_NE(refused->second.find("--unauthenticated"), std::string::npos);
  EXPECT_NE(refused->second.find("OMNIGRAPH_UNAUTHENTICATED=1"), std::string::npos);

  EXPECT_EQ(classify_runtime_state(false, false, true), RuntimeState::kOpen);
  EXPECT_EQ(classify_runtime_state(true, false, false), RuntimeState::kDefaultDeny);
  // The opt-in does not downgrade default-deny to open.
  EXPECT_EQ(classify_runtime_state(true, false, true), RuntimeState::kDefaultDeny);
  for (bool tokens : {false, true}) {
    for (bool opt_in : {false, true}) {
      EXPECT_EQ(classify_runtime_state(tokens, true, opt_in), RuntimeState::kPolicyEnabled);
    }
  }
  EXPECT_EQ(runtime_state_name(RuntimeState::kDefaultDeny), "default_deny");
}

TEST(RuntimeState, UnauthenticatedEnvValue) {
  for (const char* truthy : {"1", "true", "TRUE", "yes", "anything", " 1 "}) {
    EXPECT_TRUE(unauthenticated_opt_in(std::string_view(truthy))) << truthy;
  }
  for (const char* falsy : {"0", "false", "FALSE", "False", "", "   ", " 0 "}) {
    EXPECT_FALSE(unauthenticated_opt_in(std::string_view(falsy))) << '"' << falsy << '"';
  }
  EXPECT_FALSE(unauthenticated_opt_in(nullopt));
}

TEST(RequestGate, OpenModeAllowsEverything) {
  for (Action action : kAllActions) {
    EXPECT_FALSE(authorize_http_request(nullptr, nullopt, PolicyRequest{action, nullopt, nullopt})
                     .has_value());
  }
}

TEST(RequestGate, DefaultDenyAllowsOnlyRead) {
  EXPECT_NO_THROW(authorize_http_request(nullptr, "act-x", scope_for(Operation::kRead, "main")));
  EXPECT_NO_THROW(authorize_http_request(nullptr, "act-x", scope_for(Operation::kBranchList)));
  for (Action action : kAllActions) {
    if (action == Action::kRead) continue;
    auto error = thrown([&] {
      authorize_http_request(nullptr, "act-x", PolicyRequest{action, nullopt, nullopt});
    });
    ASSERT_TRUE(error) << action_name(action);
    EXPECT_EQ(error->first, ErrorCode::kForbidden);
    EXPECT_EQ(error->second,
              "server runs in default-deny mode (bearer tokens configured but no policy file). "
              "Only `read` actions are permitted; configure `policy.file` in omnigraph.yaml to "
              "enable other actions.");
  }
}

TEST(RequestGate, PolicyWithoutActorIsUnauthorized) {
  Policy policy = Policy::from_yaml(kPolicy);
  auto error =
      thrown([&] { authorize_http_request(&policy, nullopt, scope_for(Operation::kRead)); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->first, ErrorCode::kUnauthorized);
  EXPECT_EQ(error->second, "missing bearer token");
}

TEST(RequestGate, PolicyDecisions) {
  Policy policy = Policy::from_yaml(kPolicy);
  auto decision =
      authorize_http_request(&policy, "act-bruno", scope_for(Operation::kChange, "feature"));
  ASSERT_TRUE(decision);
  EXPECT_TRUE(decision->allowed);
  EXPECT_EQ(decision->matched_rule_id, "team-write");

  auto denied = thrown(
      [&] { authorize_http_request(&policy, "act-bruno", scope_for(Operation::kChange, "main")); });
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->first, ErrorCode::kForbidden);
  EXPECT_EQ(denied->second, "policy denied action 'change' on branch 'main' for actor 'act-bruno'");

  auto unknown =
      thrown([&] { authorize_http_request(&policy, "act-eve", scope_for(Operation::kRead)); });
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->second, "policy denied action 'read' for unknown actor 'act-eve'");

  // Server policy for /graphs.
  EXPECT_NO_THROW(authorize_http_request(&policy, "act-andrew", scope_for(Operation::kGraphList)));
  auto list = thrown(
      [&] { authorize_http_request(&policy, "act-bruno", scope_for(Operation::kGraphList)); });
  ASSERT_TRUE(list);
  EXPECT_EQ(list->second, "policy denied action 'graph_list' for actor 'act-bruno'");
}

TEST(EngineGate, NoPolicyIsANoOp) {
  EXPECT_NO_THROW(enforce_engine_policy(nullptr, nullopt, scope_for(Operation::kSchemaApply)));
  EXPECT_NO_THROW(enforce_engine_policy(nullptr, "anyone", scope_for(Operation::kChange, "main")));
}

TEST(EngineGate, PolicyWithoutActorFailsClosed) {
  Policy policy = Policy::from_yaml(kPolicy);
  auto error = thrown(
      [&] { enforce_engine_policy(&policy, nullopt, scope_for(Operation::kChange, "feature")); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->first, ErrorCode::kForbidden);
  EXPECT_EQ(error->second.rfind("no actor for engine-layer policy check", 0), 0u) << error->second;
}

TEST(EngineGate, DenialCarriesThePolicyDeniedPrefix) {
  Policy policy = Policy::from_yaml(kPolicy);
  EXPECT_NO_THROW(
      enforce_engine_policy(&policy, "act-bruno", scope_for(Operation::kLoad, "feature")));
  auto error = thrown([&] {
    enforce_engine_policy(&policy, "act-bruno",
                          scope_for(Operation::kBranchMerge, "feature", "main"));
  });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->first, ErrorCode::kForbidden);
  EXPECT_EQ(error->second,
            "policy denied: policy denied action 'branch_merge' on branch 'feature' targeting "
            "branch 'main' for actor 'act-bruno'");
}

}  // namespace
}  // namespace omnigraph::policy
