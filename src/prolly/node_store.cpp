#include "prolly/node_store.h"

#include "common/error.h"

namespace omnigraph::prolly {

NodeStore::NodeStore(store::ChunkStore& chunks, size_t cache_bytes)
    : chunks_(chunks), cache_(cache_bytes) {}

NodePtr NodeStore::load(const Hash& hash) {
  {
    std::lock_guard lock(mutex_);
    if (const NodePtr* hit = cache_.find(hash)) {
      ++hits_;
      return *hit;
    }
    ++misses_;
  }
  // Fetch and decode outside the lock: another thread may race us to the same
  // node, which only costs a duplicate decode.
  if (hash.is_zero())
    throw_internal("prolly: attempt to load the empty tree's zero hash as a node");
  std::optional<std::string> data = chunks_.get(hash);
  if (!data) throw_internal("prolly node " + hash.hex() + " is missing from the chunk store");
  NodePtr node = Node::decode(hash, std::move(*data));
  std::lock_guard lock(mutex_);
  cache_.insert(node);
  return node;
}

NodeStore::Stats NodeStore::stats() const {
  std::lock_guard lock(mutex_);
  return Stats{hits_, misses_, cache_.bytes(), cache_.size()};
}

void NodeStore::clear_cache() {
  std::lock_guard lock(mutex_);
  cache_.clear();
}

void ChunkBatch::add(Hash hash, std::string data) {
  pending_bytes_ += data.size();
  pending_.push_back(store::Chunk{hash, std::move(data)});
  if (pending_bytes_ >= kFlushBytes) flush();
}

void ChunkBatch::flush() {
  if (pending_.empty()) return;
  if (unlogged_) {
    chunks_.put_many_unlogged(pending_);
  } else {
    chunks_.put_many(pending_);
  }
  written_ += pending_.size();
  pending_.clear();
  pending_bytes_ = 0;
}

}  // namespace omnigraph::prolly
