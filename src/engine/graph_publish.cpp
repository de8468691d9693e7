// The per-branch commit path (DESIGN.md §4 "Concurrent writers"): staged
// writes queue per branch; one leader at a time replays a batch of them
// onto the head, rebasing each onto the commit before it, and publishes the
// whole chain with one atomic synced ref write (group commit).
#include <exception>
#include <memory>
#include <mutex>
#include <utility>

#include "common/error.h"
#include "engine/graph_impl.h"
#include "engine/rebase.h"

namespace omnigraph {

BranchQueue& Graph::Impl::queue_for(const std::string& branch) {
  std::lock_guard lock(queues_mutex);
  auto& queue = queues[branch];
  if (!queue) queue = std::make_shared<BranchQueue>();
  return *queue;  // queues are never removed, so the reference stays valid
}

std::string Graph::Impl::commit_write(const std::string& branch, PendingWrite& pending) {
  BranchQueue& queue = queue_for(branch);
  std::unique_lock lock(queue.mutex);
  queue.queue.push_back(&pending);
  while (!pending.done) {
    if (queue.leader_active) {
      queue.cv.wait(lock);
      continue;
    }
    queue.leader_active = true;
    std::vector<PendingWrite*> batch;
    batch.swap(queue.queue);
    lock.unlock();
    try {
      publish_batch(branch, batch);
    } catch (...) {
      std::exception_ptr error = std::current_exception();
      for (PendingWrite* write : batch) {
        write->commit_id.clear();
        write->error = error;
      }
    }
    lock.lock();
    queue.leader_active = false;
    for (PendingWrite* write : batch) write->done = true;
    queue.cv.notify_all();
  }
  if (pending.error) std::rethrow_exception(pending.error);
  return pending.commit_id;
}

void Graph::Impl::publish_batch(const std::string& branch,
                                const std::vector<PendingWrite*>& batch) {
  for (int attempt = 0; attempt < kMaxPublishAttempts; ++attempt) {
    std::optional<Hash> start = commits.head(branch);
    if (!start) throw_not_found("branch '" + branch + "' not found");
    State tip = state_at(*start);
    std::vector<std::pair<Hash, Ulid>> chain;
    std::vector<std::pair<Hash, std::shared_ptr<const GraphRoot>>> new_roots;
    for (PendingWrite* write : batch) {
      write->error = nullptr;
      write->commit_id.clear();
      try {
        GraphRoot root = write->read.commit_hash == tip.commit_hash
                             ? write->root
                             : engine::rebase_write(nodes, write->read.catalog, *write->read.root,
                                                    write->root, *tip.root, branch);
        std::string encoded = engine::encode_graph_root(root);
        Hash root_hash = Hash::of(encoded);
        store.chunks->put_many({store::Chunk{root_hash, std::move(encoded)}});
        version::Commit commit;
        commit.root = root_hash;
        commit.parents = {tip.commit_hash};
        commit.actor = write->actor;
        commit.time_us = version::now_us();
        commit.branch = branch;
        commit.graph_commit_id = Ulid::generate();
        commit.manifest_version = tip.commit->manifest_version + 1;
        Hash commit_hash = commits.write(commit);
        write->commit_id = commit.graph_commit_id.str();
        chain.emplace_back(commit_hash, commit.graph_commit_id);
        auto root_ptr = std::make_shared<const GraphRoot>(std::move(root));
        new_roots.emplace_back(root_hash, root_ptr);
        tip.commit_hash = commit_hash;
        tip.commit = std::make_shared<const version::Commit>(std::move(commit));
        tip.root = std::move(root_ptr);
      } catch (const Error&) {
        write->error = std::current_exception();
      }
    }
    if (commits.publish_chain(branch, chain, *start)) {
      std::lock_guard lock(mutex);
      if (roots.size() > 1024) roots.clear();
      for (auto& [hash, root] : new_roots) roots.emplace(hash, std::move(root));
      return;
    }
    // The head moved outside this queue (a merge, a delete): replay the
    // whole batch onto the new head.
  }
  throw_conflict("branch '" + branch + "' kept moving; gave up after " +
                 std::to_string(kMaxPublishAttempts) + " attempts");
}

}  // namespace omnigraph
