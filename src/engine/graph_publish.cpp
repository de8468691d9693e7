// The per-branch commit path (DESIGN.md §4 "Concurrent writers"): staged
// writes queue per branch; one leader at a time replays a batch of them
// onto the head, rebasing each onto the commit before it, and publishes the
// whole chain with one atomic synced ref write (group commit).
#include <algorithm>
#include <exception>
#include <memory>
#include <mutex>
#include <utility>

#include "common/error.h"
#include "engine/graph_impl.h"
#include "engine/rebase.h"
#include "version/ancestry.h"

namespace omnigraph {

namespace {

// Whether `tip` is `head` or the end of unresolved chains that start at
// `head` (each built on the one before, none of them synced yet).
bool reaches(const BranchQueue& queue, Hash tip, const Hash& head) {
  for (size_t hops = 0; hops <= queue.unresolved.size(); ++hops) {
    if (tip == head) return true;
    auto it = std::find_if(queue.unresolved.begin(), queue.unresolved.end(),
                           [&](const auto& entry) { return entry.second.second == tip; });
    if (it == queue.unresolved.end()) return false;
    tip = it->second.first;
  }
  return false;
}

}  // namespace

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
    bool leading = true;  // publish_batch hands the leadership on early
    try {
      publish_batch(branch, queue, batch, leading);
    } catch (...) {
      std::exception_ptr error = std::current_exception();
      for (PendingWrite* write : batch) {
        write->commit_id.clear();
        write->error = error;
      }
    }
    lock.lock();
    if (leading) queue.leader_active = false;
    for (PendingWrite* write : batch) write->done = true;
    queue.cv.notify_all();
  }
  if (pending.error) std::rethrow_exception(pending.error);
  return pending.commit_id;
}

void Graph::Impl::publish_batch(const std::string& branch, BranchQueue& queue,
                                const std::vector<PendingWrite*>& batch, bool& leading) {
  for (int attempt = 0; attempt < kMaxPublishAttempts; ++attempt) {
    if (!leading) {  // a retry queues for the leadership like a new batch
      std::unique_lock lock(queue.mutex);
      queue.cv.wait(lock, [&] { return !queue.leader_active; });
      queue.leader_active = true;
      leading = true;
    }
    // Build on the previous batch's chain when it landed or is still
    // syncing on top of the current head; on the head otherwise.
    std::optional<Hash> head = commits.head(branch);
    if (!head) throw_not_found("branch '" + branch + "' not found");
    State tip;
    uint64_t base_seq = 0;  // the unresolved chain this batch builds on, if any
    {
      std::lock_guard lock(queue.mutex);
      if (queue.in_flight_tip && reaches(queue, queue.in_flight_tip->commit_hash, *head)) {
        tip = *queue.in_flight_tip;
        if (tip.commit_hash != *head) base_seq = queue.in_flight_seq;
      }
    }
    if (!tip.commit) tip = state_at(*head);
    const Hash expected = tip.commit_hash;

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

    // Hand the leadership on before the ref write syncs: the next batch may
    // build on this chain meanwhile (if this write fails, the next one's CAS,
    // which expects this chain's tip, fails too and it is rebuilt).
    uint64_t seq = 0;
    {
      std::lock_guard lock(queue.mutex);
      if (!chain.empty()) {
        seq = ++queue.next_seq;
        queue.unresolved[seq] = {expected, tip.commit_hash};
        queue.in_flight_tip = tip;
        queue.in_flight_seq = seq;
      }
      queue.leader_active = false;
      leading = false;
      queue.cv.notify_all();
    }

    if (chain.empty()) {
      // Every write was refused against `expected`: final only if that
      // state is (or becomes) real. Wait for the chain it came from.
      if (base_seq == 0) return;
      {
        std::unique_lock lock(queue.mutex);
        queue.cv.wait(lock, [&] { return !queue.unresolved.contains(base_seq); });
      }
      if (version::is_ancestor(commits, expected, *commits.head(branch))) return;
      continue;
    }
    bool published = commits.publish_chain(branch, chain, expected);
    {
      std::lock_guard lock(queue.mutex);
      queue.unresolved.erase(seq);
      if (!published && queue.in_flight_seq == seq) queue.in_flight_tip.reset();
      queue.cv.notify_all();
    }
    if (published) {
      std::lock_guard lock(mutex);
      if (roots.size() > 1024) roots.clear();
      for (auto& [hash, root] : new_roots) roots.emplace(hash, std::move(root));
      return;
    }
    // The head was not `expected`: the chain this batch was built on failed,
    // or the head moved outside the queue (a merge, a delete). Replay the
    // whole batch onto the real head.
  }
  throw_conflict("branch '" + branch + "' kept moving; gave up after " +
                 std::to_string(kMaxPublishAttempts) + " attempts");
}

}  // namespace omnigraph
