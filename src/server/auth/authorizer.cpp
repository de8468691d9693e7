#include "server/auth/authorizer.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/error.h"
#include "policy/enforcement.h"

namespace omnigraph::server::auth {
namespace {

// `options.tokens` has already been moved from; `has_tokens` carries it.
policy::RuntimeState classify(bool has_tokens, const AuthorizerOptions& options) {
  // Single mode cannot serve a policy nobody can authenticate against; in
  // multi mode the reference allows it (every protected request is 401).
  if (!options.multi_graph && options.has_policy && !has_tokens) {
    throw_bad_request("policy requires at least one configured bearer token actor");
  }
  return policy::classify_runtime_state(has_tokens, options.has_policy,
                                        options.allow_unauthenticated);
}

}  // namespace

Authorizer::Authorizer(AuthorizerOptions options)
    : tokens_(std::move(options.tokens)),
      server_policy_(options.multi_graph ? std::move(options.server_policy) : nullptr),
      state_(classify(!tokens_.empty(), options)),
      static_requires_auth_(!tokens_.empty() || options.has_policy || server_policy_ != nullptr) {}

bool Authorizer::requires_auth() const {
  return static_requires_auth_ || graph_policy_present_.load(std::memory_order_acquire);
}

Identity Authorizer::authenticate(std::optional<std::string_view> authorization) const {
  if (!requires_auth()) return Identity{};
  Identity identity;
  std::string actor;
  switch (tokens_.check(authorization, &actor)) {
    case TokenCheck::kMissing: throw Error(ErrorCode::kUnauthorized, "missing bearer token");
    case TokenCheck::kInvalid: throw Error(ErrorCode::kUnauthorized, "invalid bearer token");
    case TokenCheck::kValid: identity.actor = std::move(actor); break;
  }
  return identity;
}

std::optional<policy::Decision> Authorizer::authorize(
    const Identity& identity, const policy::Policy* graph_policy, policy::Operation operation,
    std::optional<std::string_view> branch, std::optional<std::string_view> target_branch) const {
  policy::PolicyRequest request = policy::scope_for(operation, branch, target_branch);
  const policy::Policy* applicable =
      policy::resource_kind(request.action) == policy::ResourceKind::kServer ? server_policy_.get()
                                                                             : graph_policy;
  std::optional<std::string_view> actor;
  if (identity.actor) actor = *identity.actor;
  std::optional<policy::Decision> decision;
  try {
    decision = policy::authorize_http_request(applicable, actor, request);
  } catch (const Error& error) {
    if (error.code() == ErrorCode::kForbidden && applicable != nullptr) {
      spdlog::info("policy decision actor={} action={} branch={} target_branch={} allowed=false",
                   actor.value_or(""), policy::action_name(request.action),
                   request.branch.value_or(""), request.target_branch.value_or(""));
    }
    throw;
  }
  if (decision) {
    spdlog::info(
        "policy decision actor={} action={} branch={} target_branch={} allowed=true rule={}",
        actor.value_or(""), policy::action_name(request.action), request.branch.value_or(""),
        request.target_branch.value_or(""), decision->matched_rule_id.value_or(""));
  }
  return decision;
}

Identity Authorizer::check(std::optional<std::string_view> authorization,
                           const policy::Policy* graph_policy, policy::Operation operation,
                           std::optional<std::string_view> branch,
                           std::optional<std::string_view> target_branch) const {
  Identity identity = authenticate(authorization);
  authorize(identity, graph_policy, operation, branch, target_branch);
  return identity;
}

std::string Authorizer::describe() const {
  return fmt::format("auth state {} (bearer tokens: {} actor(s) from {}; auth {})",
                     policy::runtime_state_name(state_), tokens_.size(), tokens_.source(),
                     requires_auth() ? "required" : "not required");
}

}  // namespace omnigraph::server::auth
