// What a caller asks the policy: an action and the branches it touches.
// The actor travels separately: it is always resolved by the caller from
// trusted credentials (bearer token, --as), never from request content.
#pragma once

#include <optional>
#include <string>

#include "policy/action.h"

namespace omnigraph::policy {

struct PolicyRequest {
  Action action = Action::kRead;
  std::optional<std::string> branch;         // the branch read, written or forked from
  std::optional<std::string> target_branch;  // the branch created, deleted, merged into

  bool operator==(const PolicyRequest&) const = default;
};

}  // namespace omnigraph::policy
