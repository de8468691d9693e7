// Commit history (engine.md §1.6): the commits reachable from a branch head
// and single commits by id, as users see them (CommitInfo).
#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "common/error.h"
#include "engine/graph_impl.h"
#include "omnigraph/graph.h"
#include "version/ancestry.h"

namespace omnigraph {
namespace {

CommitInfo to_commit_info(version::CommitStore& commits, const version::Commit& commit) {
  CommitInfo info;
  info.graph_commit_id = commit.graph_commit_id.str();
  if (commit.branch != kMainBranch) info.manifest_branch = commit.branch;
  info.manifest_version = commit.manifest_version;
  if (!commit.parents.empty()) {
    info.parent_commit_id = commits.read(commit.parents[0])->graph_commit_id.str();
  }
  if (commit.parents.size() > 1) {
    info.merged_parent_commit_id = commits.read(commit.parents[1])->graph_commit_id.str();
  }
  info.actor_id = commit.actor;
  info.created_at = commit.time_us;
  return info;
}

}  // namespace

std::vector<CommitInfo> Graph::commit_list(const std::string& branch) {
  State head = impl_->branch_state(branch);
  // Every ancestor, merge parents' histories included: a branch's history is
  // everything its head was built from.
  std::vector<CommitInfo> out;
  version::AncestorWalk walk(impl_->commits, {head.commit_hash});
  while (auto entry = walk.next()) out.push_back(to_commit_info(impl_->commits, *entry->commit));
  std::sort(out.begin(), out.end(), [](const CommitInfo& a, const CommitInfo& b) {
    return std::tie(a.manifest_version, a.created_at, a.graph_commit_id) <
           std::tie(b.manifest_version, b.created_at, b.graph_commit_id);
  });
  return out;
}

CommitInfo Graph::commit_show(const std::string& commit_id) {
  // A text that is not a ULID cannot name a commit: not found, like any
  // other unknown id.
  std::optional<Hash> hash;
  if (Ulid::is_valid(commit_id)) hash = impl_->commits.find_by_id(std::string_view(commit_id));
  if (!hash) throw_not_found("commit '" + commit_id + "' not found");
  return to_commit_info(impl_->commits, *impl_->commits.read(*hash));
}

}  // namespace omnigraph
