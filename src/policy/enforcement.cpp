#include "policy/enforcement.h"

#include "common/error.h"

namespace omnigraph::policy {

const std::string_view kDefaultDenyMessage =
    "server runs in default-deny mode (bearer tokens configured but no policy file). Only `read` "
    "actions are permitted; configure `policy.file` in omnigraph.yaml to enable other actions.";

void enforce_engine_policy(const Policy* policy, std::optional<std::string_view> actor,
                           const PolicyRequest& request) {
  if (policy == nullptr) return;
  if (!actor) {
    throw Error(ErrorCode::kForbidden,
                "no actor for engine-layer policy check (policy is configured but the call site "
                "didn't thread an actor through — this is almost certainly a bug, not an "
                "intended bypass)");
  }
  policy->authorize(*actor, request);
}

std::optional<Decision> authorize_http_request(const Policy* policy,
                                               std::optional<std::string_view> actor,
                                               const PolicyRequest& request) {
  if (policy == nullptr) {
    if (actor && request.action != Action::kRead) {
      throw Error(ErrorCode::kForbidden, std::string(kDefaultDenyMessage));
    }
    return std::nullopt;
  }
  if (!actor) throw Error(ErrorCode::kUnauthorized, "missing bearer token");
  Decision decision = policy->evaluate(*actor, request);
  if (!decision.allowed) throw Error(ErrorCode::kForbidden, decision.message);
  return decision;
}

}  // namespace omnigraph::policy
