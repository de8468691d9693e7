// Which policy request each operation sends: the action, and whether its
// branch goes in `branch` (the branch acted on / forked or merged from) or
// `target_branch` (the branch created, deleted, merged into, or whose schema
// changes). The engine and the server both call scope_for, so the two
// enforcement layers always evaluate the same request.
#pragma once

#include <optional>
#include <string_view>

#include "policy/policy_request.h"

namespace omnigraph::policy {

enum class Operation {
  kRead,          // query read; branch = the branch read (a snapshot-id read: the commit's branch)
  kSnapshot,      // branch = the branch whose snapshot is read
  kCommitList,    // branch = the filter parameter, may be absent
  kSchemaGet,     // no branch
  kBranchList,    // no branch
  kCommitShow,    // no branch
  kExport,        // branch required
  kChange,        // mutation; branch required
  kLoad,          // branch required
  kIngest,        // branch required; when the branch is missing the caller also
                  // checks scope_for(kBranchCreate, from, branch)
  kSchemaApply,   // takes no branch; always targets `main`
  kBranchCreate,  // branch = from (absent for the engine's create-without-from),
                  // target_branch = the new branch (required)
  kBranchDelete,  // target_branch = the deleted branch (required)
  kBranchMerge,   // branch = source, target_branch = target (both required)
  kGraphList,     // server-scoped, no branch
  kGraphCreate,   // server-scoped, no branch
  kInvokeQuery,   // stored-query gate, no branch (the query body is checked separately)
};

std::string_view operation_name(Operation operation);

// Maps an operation and its branches to the request the policy evaluates.
// Passing a branch the operation does not take, or omitting one it
// requires, is a programming error: throws Error(kInternal).
PolicyRequest scope_for(Operation operation, std::optional<std::string_view> branch = std::nullopt,
                        std::optional<std::string_view> target_branch = std::nullopt);

}  // namespace omnigraph::policy
