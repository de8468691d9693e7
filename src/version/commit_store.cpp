#include "version/commit_store.h"

#include <algorithm>

#include "common/error.h"

namespace omnigraph::version {

std::string branch_ref(std::string_view branch) {
  if (branch.empty()) throw_bad_request("branch name must not be empty");
  return std::string(kBranchRefPrefix) + std::string(branch);
}

std::string commit_id_ref(const Ulid& id) {
  return std::string(kCommitIdRefPrefix) + id.str();
}

std::optional<CommitPtr> CommitStore::try_read(const Hash& hash) {
  {
    std::lock_guard lock(cache_mutex_);
    auto it = cache_.find(hash);
    if (it != cache_.end()) return it->second;
  }
  std::optional<std::string> data = chunks_.get(hash);
  if (!data) return std::nullopt;
  CommitPtr commit;
  try {
    commit = std::make_shared<const Commit>(decode_commit(*data));
  } catch (const Error& e) {
    throw_internal("commit " + hash.hex() + ": " + e.what());
  }
  std::lock_guard lock(cache_mutex_);
  if (cache_.size() >= kCacheLimit) cache_.clear();
  cache_.emplace(hash, commit);
  return commit;
}

CommitPtr CommitStore::read(const Hash& hash) {
  std::optional<CommitPtr> commit = try_read(hash);
  if (!commit) throw_not_found("commit " + hash.hex() + " not found");
  return *commit;
}

Hash CommitStore::write(Commit& commit) {
  uint64_t generation = 1;
  for (const Hash& parent : commit.parents) {
    std::optional<CommitPtr> p = try_read(parent);
    if (!p) throw_not_found("parent commit " + parent.hex() + " not found");
    generation = std::max(generation, (*p)->generation + 1);
  }
  commit.generation = generation;
  return chunks_.put(encode_commit(commit));
}

std::optional<Hash> CommitStore::try_publish(Commit& commit,
                                             const std::optional<Hash>& expected_head) {
  Hash hash = write(commit);
  if (publish_chain(commit.branch, {{hash, commit.graph_commit_id}}, expected_head)) return hash;
  return std::nullopt;
}

bool CommitStore::publish_chain(std::string_view branch,
                                const std::vector<std::pair<Hash, Ulid>>& chain,
                                const std::optional<Hash>& expected_head) {
  if (chain.empty()) return head(branch) == expected_head;
  // The id index entries and the branch ref move in one atomic, synced
  // write: a crash leaves either all of them or none, and a lost race
  // leaves nothing behind.
  std::vector<store::RefUpdate> updates;
  updates.reserve(chain.size() + 1);
  for (const auto& [hash, id] : chain) {
    std::string id_ref = commit_id_ref(id);
    std::optional<Hash> existing = refs_.get(id_ref);
    if (existing == hash) continue;  // published before (an idempotent retry)
    if (existing) {
      throw_conflict("commit id " + id.str() + " is already used by another commit");
    }
    updates.push_back({std::move(id_ref), std::nullopt, hash});
  }
  updates.push_back({branch_ref(branch), expected_head, chain.back().first});
  // Bulk writes may have skipped the store's log (ChunkStore::put_many_unlogged):
  // make them durable before any ref can point at them, so after a crash
  // the ref either still points at the old commit or at fully stored chunks.
  chunks_.persist_unlogged();
  return refs_.update_all(updates);
}

Hash CommitStore::publish(Commit& commit, const std::optional<Hash>& expected_head) {
  std::optional<Hash> hash = try_publish(commit, expected_head);
  if (!hash) {
    std::optional<Hash> actual = head(commit.branch);
    throw_conflict("branch '" + commit.branch + "' moved: expected head " +
                   (expected_head ? expected_head->hex() : std::string("(none)")) + ", found " +
                   (actual ? actual->hex() : std::string("(none)")));
  }
  return *hash;
}

std::optional<Hash> CommitStore::head(std::string_view branch) {
  return refs_.get(branch_ref(branch));
}

std::map<std::string, Hash> CommitStore::branches() {
  std::map<std::string, Hash> out;
  for (auto& [name, hash] : refs_.list(std::string(kBranchRefPrefix))) {
    out.emplace(name.substr(kBranchRefPrefix.size()), hash);
  }
  return out;
}

bool CommitStore::create_branch(std::string_view branch, const Hash& commit) {
  read(commit);  // a branch must point at a commit that exists
  return refs_.compare_and_swap(branch_ref(branch), std::nullopt, commit);
}

bool CommitStore::delete_branch(std::string_view branch, const Hash& expected_head) {
  return refs_.compare_and_delete(branch_ref(branch), expected_head);
}

std::optional<Hash> CommitStore::find_by_id(const Ulid& id) {
  return refs_.get(commit_id_ref(id));
}

std::optional<Hash> CommitStore::find_by_id(std::string_view id) {
  return find_by_id(Ulid::parse(id));
}

}  // namespace omnigraph::version
