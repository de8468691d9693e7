// How a server authorizes requests, decided once at startup from whether
// bearer tokens and a policy file are configured.
#pragma once

#include <optional>
#include <string_view>

namespace omnigraph::policy {

enum class RuntimeState {
  kOpen,           // no tokens, no policy, operator opted in: everything allowed
  kDefaultDeny,    // tokens but no policy: authenticated actors may only `read`
  kPolicyEnabled,  // a policy file: every request is evaluated
};

std::string_view runtime_state_name(RuntimeState state);

// No tokens and no policy without the `--unauthenticated` opt-in throws
// kBadRequest: the server must refuse to start rather than run open.
RuntimeState classify_runtime_state(bool has_tokens, bool has_policy, bool allow_unauthenticated);

// The value of OMNIGRAPH_UNAUTHENTICATED as an opt-in: after trimming,
// non-empty and neither `0` nor `false` (any case). Unset is false.
bool unauthenticated_opt_in(std::optional<std::string_view> env_value);

}  // namespace omnigraph::policy
