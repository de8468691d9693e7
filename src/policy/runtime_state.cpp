#include "policy/runtime_state.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "common/error.h"

namespace omnigraph::policy {

std::string_view runtime_state_name(RuntimeState state) {
  switch (state) {
    case RuntimeState::kOpen: return "open";
    case RuntimeState::kDefaultDeny: return "default_deny";
    case RuntimeState::kPolicyEnabled: return "policy_enabled";
  }
  return "open";
}

RuntimeState classify_runtime_state(bool has_tokens, bool has_policy, bool allow_unauthenticated) {
  if (has_policy) return RuntimeState::kPolicyEnabled;
  if (has_tokens) return RuntimeState::kDefaultDeny;
  if (allow_unauthenticated) return RuntimeState::kOpen;
  throw_bad_request(
      "server has no bearer tokens and no policy file configured. This is a fully open server "
      "— pass `--unauthenticated` (or set OMNIGRAPH_UNAUTHENTICATED=1) if you actually want "
      "that, otherwise configure bearer tokens and/or `policy.file` in omnigraph.yaml.");
}

bool unauthenticated_opt_in(std::optional<std::string_view> env_value) {
  if (!env_value) return false;
  std::string_view value = *env_value;
  constexpr std::string_view kBlank = " \t\r\n\f\v";
  auto begin = value.find_first_not_of(kBlank);
  if (begin == std::string_view::npos) return false;
  value = value.substr(begin, value.find_last_not_of(kBlank) - begin + 1);
  if (value == "0") return false;
  std::string lower(value);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower != "false";
}

}  // namespace omnigraph::policy
