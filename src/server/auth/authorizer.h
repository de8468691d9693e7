// The server's authentication and authorization chokepoint. Built once at
// startup from the tokens and policies (which also decides the runtime
// state: open, default-deny or policy-enabled, or refusing to start); then
// consulted twice per protected request:
//   1. authenticate(Authorization header) before graph resolution and body
//      parsing, so a missing token is 401 whatever else is wrong;
//   2. authorize(identity, graph policy, operation, branches) before
//      admission and the handler, so denied requests never take a slot.
// The actor always comes from the token; request headers such as
// X-Actor-Id are never read. Thread-safe: const after construction except
// the "some graph has a policy" flag, which POST /graphs may raise.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "policy/policy.h"
#include "policy/runtime_state.h"
#include "policy/scope.h"
#include "server/auth/token_store.h"

namespace omnigraph::server::auth {

// Who is making a request. No actor when auth is not required (open mode).
struct Identity {
  std::optional<std::string> actor;

  // Admission is keyed by actor; unauthenticated requests share one bucket.
  std::string_view admission_key() const { return actor ? std::string_view(*actor) : "anonymous"; }
};

struct AuthorizerOptions {
  TokenStore tokens;
  // Single mode: the top-level `policy.file` is set. Multi mode:
  // `server.policy.file` or any `graphs.<id>.policy.file` is set.
  bool has_policy = false;
  // `--unauthenticated` or OMNIGRAPH_UNAUTHENTICATED truthy.
  bool allow_unauthenticated = false;
  bool multi_graph = false;
  // Multi mode only: the compiled `server.policy.file`, checked for
  // graph_list / graph_create. Always null in single mode.
  std::shared_ptr<const policy::Policy> server_policy;
};

class Authorizer {
 public:
  // Classifies the runtime state (§4.4). Throws Error(kBadRequest) when the
  // server must refuse to start: no tokens and no policy without the
  // opt-in (message names `--unauthenticated` and
  // OMNIGRAPH_UNAUTHENTICATED=1), or single mode with a policy and no
  // tokens (`policy requires at least one configured bearer token actor`).
  explicit Authorizer(AuthorizerOptions options);

  policy::RuntimeState state() const { return state_; }
  const TokenStore& tokens() const { return tokens_; }

  // Whether requests must carry a bearer token: tokens configured, or a
  // server policy, or any graph policy (process-wide, §4.4). Also decides
  // whether /openapi.json advertises security (§4.6).
  bool requires_auth() const;

  // Call when a graph with a policy is registered at runtime (POST /graphs).
  void note_graph_policy() { graph_policy_present_.store(true, std::memory_order_release); }

  // Step 1. When auth is required: a missing/malformed header throws
  // Error(kUnauthorized, "missing bearer token"), an unknown token
  // Error(kUnauthorized, "invalid bearer token"). When not required the
  // header is ignored entirely and the identity has no actor.
  Identity authenticate(std::optional<std::string_view> authorization) const;

  // Step 2, per-graph operations: `graph_policy` is the graph's compiled
  // policy (null when it has none). For kGraphList / kGraphCreate the
  // server policy is used and `graph_policy` is ignored. The request is
  // policy::scope_for(operation, branch, target_branch). Throws
  // Error(kForbidden, <default-deny message | decision message>) on deny,
  // Error(kUnauthorized, "missing bearer token") when a policy applies but
  // there is no actor. Returns the decision when a policy was evaluated;
  // allow decisions are logged at INFO (actor, action, branches, rule).
  std::optional<policy::Decision> authorize(
      const Identity& identity, const policy::Policy* graph_policy, policy::Operation operation,
      std::optional<std::string_view> branch = std::nullopt,
      std::optional<std::string_view> target_branch = std::nullopt) const;

  // Convenience: both steps in one call.
  Identity check(std::optional<std::string_view> authorization, const policy::Policy* graph_policy,
                 policy::Operation operation, std::optional<std::string_view> branch = std::nullopt,
                 std::optional<std::string_view> target_branch = std::nullopt) const;

  // One line for the startup log: state, token source, actor count.
  std::string describe() const;

 private:
  TokenStore tokens_;
  std::shared_ptr<const policy::Policy> server_policy_;
  policy::RuntimeState state_;
  bool static_requires_auth_;
  std::atomic<bool> graph_policy_present_{false};
};

}  // namespace omnigraph::server::auth
