// Loads prolly nodes from a ChunkStore through a cache of decoded nodes.
// Chunks are immutable, so a cached node never goes stale. Thread-safe.
#pragma once

#include <cstddef>
#include <mutex>
#include <vector>

#include "common/hash.h"
#include "prolly/node.h"
#include "prolly/node_cache.h"
#include "store/chunk_store.h"

namespace omnigraph::prolly {

class NodeStore {
 public:
  static constexpr size_t kDefaultCacheBytes = 64 * 1024 * 1024;

  explicit NodeStore(store::ChunkStore& chunks, size_t cache_bytes = kDefaultCacheBytes);
  NodeStore(const NodeStore&) = delete;
  NodeStore& operator=(const NodeStore&) = delete;

  // The node with that hash; throws Error(kInternal) if the chunk is missing
  // or is not a valid node.
  NodePtr load(const Hash& hash);

  store::ChunkStore& chunks() { return chunks_; }

  struct Stats {
    uint64_t hits = 0;
    uint64_t misses = 0;
    size_t cached_bytes = 0;
    size_t cached_nodes = 0;
  };
  Stats stats() const;
  void clear_cache();

 private:
  store::ChunkStore& chunks_;
  mutable std::mutex mutex_;
  NodeCache cache_;
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
};

// Buffers new chunks and writes them with put_many in batches (or with
// put_many_unlogged: see ChunkStore).
class ChunkBatch {
 public:
  static constexpr size_t kFlushBytes = 8 * 1024 * 1024;

  explicit ChunkBatch(store::ChunkStore& chunks, bool unlogged = false)
      : chunks_(chunks), unlogged_(unlogged) {}

  void add(Hash hash, std::string data);
  void flush();
  uint64_t chunks_written() const { return written_; }

 private:
  store::ChunkStore& chunks_;
  bool unlogged_;
  std::vector<store::Chunk> pending_;
  size_t pending_bytes_ = 0;
  uint64_t written_ = 0;
};

}  // namespace omnigraph::prolly
