// The two enforcement points. The server gates every HTTP request at its
// boundary (where the actor is known from the bearer token); the engine
// gates every write again at its head (defence in depth, and the only gate
// for CLI and embedded writes). Both evaluate the same Policy with the
// request from scope_for, so they cannot disagree.
#pragma once

#include <optional>
#include <string_view>

#include "policy/policy.h"
#include "policy/policy_request.h"

namespace omnigraph::policy {

// Engine layer. No policy installed: no-op. Policy but no actor:
// Error(kForbidden, "no actor for engine-layer policy check ..."), since a
// caller that forgot the actor must not bypass the policy. Deny:
// Error(kForbidden, "policy denied: <decision message>").
void enforce_engine_policy(const Policy* policy, std::optional<std::string_view> actor,
                           const PolicyRequest& request);

// HTTP layer. `policy` is the graph's policy (or the server policy for
// graph_create / graph_list); `actor` the token-resolved actor, absent when
// the server runs open.
//  * no policy: an authenticated actor may only `read` (default-deny, 403);
//    without an actor everything is allowed (open mode);
//  * policy but no actor: Error(kUnauthorized, "missing bearer token");
//  * policy: deny -> Error(kForbidden, <decision message>).
// Returns the decision when a policy was evaluated (for the decision log).
std::optional<Decision> authorize_http_request(const Policy* policy,
                                               std::optional<std::string_view> actor,
                                               const PolicyRequest& request);

// The 403 message of default-deny mode.
extern const std::string_view kDefaultDenyMessage;

}  // namespace omnigraph::policy
