// Branch create, list and delete (engine.md §1.1, §1.3, §1.4). A branch is
// one ref to a head commit; creating one copies nothing, and because every
// branch shares the same immutable chunks, deleting one never strands
// another (so there are no "still depends on it" refusals).
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "engine/graph_impl.h"
#include "omnigraph/graph.h"
#include "policy/scope.h"

namespace omnigraph {
namespace {

constexpr std::string_view kRunRefPrefix = "__run__";
constexpr std::string_view kSchemaApplyLockRef = "__schema_apply_lock__";

std::string_view strip_leading_slashes(std::string_view name) {
  while (!name.empty() && name.front() == '/') name.remove_prefix(1);
  return name;
}

// Names the engine keeps for itself: never created, deleted or listed as
// user branches.
bool is_internal_branch(std::string_view name) {
  std::string_view bare = strip_leading_slashes(name);
  return bare.starts_with(kRunRefPrefix) || bare == kSchemaApplyLockRef;
}

void ensure_public_branch(std::string_view name, std::string_view operation) {
  std::string_view bare = strip_leading_slashes(name);
  if (bare.starts_with(kRunRefPrefix)) {
    throw_bad_request(std::string(operation) + " does not allow internal run ref '" +
                      std::string(name) + "'");
  }
  if (bare == kSchemaApplyLockRef) {
    throw_bad_request(std::string(operation) + " does not allow internal system ref '" +
                      std::string(name) + "'");
  }
}

// The name without surrounding whitespace; an empty result is refused.
std::string normalize_branch_name(std::string_view name) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  size_t first = name.find_first_not_of(kSpace);
  if (first == std::string_view::npos) throw_bad_request("branch name cannot be empty");
  size_t last = name.find_last_not_of(kSpace);
  return std::string(name.substr(first, last - first + 1));
}

}  // namespace

void Graph::branch_create(const std::string& name, const GraphTarget& from,
                          std::optional<std::string> actor) {
  // Policy first, like the reference; a pinned source is scoped as the
  // sentinel "<snapshot>" so rules naming a source branch do not match it.
  std::string source = from.branch ? *from.branch : std::string("<snapshot>");
  impl_->enforce(actor, policy::scope_for(policy::Operation::kBranchCreate, source, name));
  if (!from.branch) throw_bad_request("branch creation from pinned snapshots is not supported yet");
  ensure_public_branch(source, "branch_create_from");
  ensure_public_branch(name, "branch_create_from");
  std::string source_branch = normalize_branch_name(source);
  std::string new_branch = normalize_branch_name(name);
  if (new_branch == kMainBranch) throw_bad_request("cannot create branch 'main'");
  State head = impl_->branch_state(source_branch);
  if (!impl_->commits.create_branch(new_branch, head.commit_hash)) {
    throw_conflict("branch '" + new_branch + "' already exists");
  }
}

std::vector<std::string> Graph::branch_list() {
  std::vector<std::string> out;
  for (const auto& [name, head] : impl_->commits.branches()) {
    if (!is_internal_branch(name)) out.push_back(name);
  }
  return out;  // branches() is sorted by name
}

void Graph::branch_delete(const std::string& name, std::optional<std::string> actor) {
  impl_->enforce(actor, policy::scope_for(policy::Operation::kBranchDelete, std::nullopt, name));
  ensure_public_branch(name, "branch_delete");
  std::string branch = normalize_branch_name(name);
  if (branch == kMainBranch) throw_bad_request("cannot delete branch 'main'");
  // The ref is removed only if it still points where we read it; a writer
  // that moved it meanwhile just means reading the new head and retrying.
  for (int attempt = 0; attempt < kMaxPublishAttempts; ++attempt) {
    auto head = impl_->commits.head(branch);
    if (!head) throw_not_found("branch '" + branch + "' not found");
    if (impl_->commits.delete_branch(branch, *head)) return;
  }
  throw_conflict("branch '" + branch + "' kept moving; gave up after " +
                 std::to_string(kMaxPublishAttempts) + " attempts");
}

}  // namespace omnigraph
