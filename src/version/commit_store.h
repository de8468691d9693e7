// Reading, writing and publishing commits over a store: the commit chunks,
// the branch refs ("branch/<name>" -> head commit hash) and the commit-id
// index ("commit-id/<ULID>" -> commit hash).
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/store.h"
#include "version/commit.h"

namespace omnigraph::version {

inline constexpr std::string_view kBranchRefPrefix = "branch/";
inline constexpr std::string_view kCommitIdRefPrefix = "commit-id/";

// "branch/<name>"; throws Error(kBadRequest) for an empty name.
std::string branch_ref(std::string_view branch);
std::string commit_id_ref(const Ulid& id);

class CommitStore {
 public:
  CommitStore(store::ChunkStore& chunks, store::RefStore& refs) : chunks_(chunks), refs_(refs) {}
  explicit CommitStore(store::Store& store) : CommitStore(*store.chunks, *store.refs) {}

  // Throws Error(kNotFound) naming the hash when there is no such commit.
  CommitPtr read(const Hash& hash);
  std::optional<CommitPtr> try_read(const Hash& hash);

  // Sets commit.generation from its parents (which must exist: kNotFound
  // otherwise), stores the chunk and returns its hash. Not yet reachable
  // from any ref: see publish().
  Hash write(Commit& commit);

  // Writes `commit`, then adds it to the commit-id index and moves
  // "branch/<commit.branch>" from `expected_head` (nullopt = the branch must
  // not exist yet) to it in one atomic synced write. Returns the new commit's hash,
  // or nullopt when the branch head was no longer `expected_head`; then
  // nothing refers to the commit.
  std::optional<Hash> try_publish(Commit& commit, const std::optional<Hash>& expected_head);
  // Publishes commits already written with write(), each a child of the one
  // before (the first a child of `expected_head`), as the new history of
  // `branch`: one atomic synced update of their id index entries and the
  // branch ref (the last one becomes the head). False, with nothing
  // written, when the head was no longer `expected_head`.
  bool publish_chain(std::string_view branch, const std::vector<std::pair<Hash, Ulid>>& chain,
                     const std::optional<Hash>& expected_head);
  // Same, but a lost CAS throws Error(kConflict).
  Hash publish(Commit& commit, const std::optional<Hash>& expected_head);

  std::optional<Hash> head(std::string_view branch);
  // Branch name -> head, sorted by name.
  std::map<std::string, Hash> branches();
  // A new branch pointing at `commit`; false when the name is taken.
  bool create_branch(std::string_view branch, const Hash& commit);
  // Removes the branch iff it still points at `expected_head`.
  bool delete_branch(std::string_view branch, const Hash& expected_head);

  std::optional<Hash> find_by_id(const Ulid& id);
  // Parses `id` first: Error(kBadRequest) when it is not a ULID.
  std::optional<Hash> find_by_id(std::string_view id);

  store::ChunkStore& chunks() { return chunks_; }
  store::RefStore& refs() { return refs_; }

 private:
  store::ChunkStore& chunks_;
  store::RefStore& refs_;
  // Commits are immutable, so decoded ones stay valid forever; the bound
  // only caps memory (the cache is simply dropped when it fills up).
  static constexpr size_t kCacheLimit = size_t{1} << 17;
  std::mutex cache_mutex_;
  std::unordered_map<Hash, CommitPtr, HashHasher> cache_;
};

}  // namespace omnigraph::version
