// Immutable chunks addressed by the SHA-256 of their bytes. A chunk is never
// rewritten, so anything cached by hash stays valid forever.
#pragma once

#include <functional>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/hash.h"

namespace omnigraph::store {

struct Chunk {
  Hash hash;
  std::string data;
};

class ChunkStore {
 public:
  virtual ~ChunkStore() = default;

  // nullopt when no chunk has that hash.
  virtual std::optional<std::string> get(const Hash& hash) = 0;
  // One result per requested hash, in order.
  virtual std::vector<std::optional<std::string>> get_many(const std::vector<Hash>& hashes) = 0;
  // Writes all chunks atomically (one batch). Chunks already present are fine.
  // Not necessarily synced: durability comes with the ref write that follows.
  virtual void put_many(const std::vector<Chunk>& chunks) = 0;
  virtual std::vector<bool> has_many(const std::vector<Hash>& hashes) = 0;

  // Bulk writes (loads): like put_many, but a store may skip its log for
  // them, so they are not durable until persist_unlogged() returns. Every
  // ref write that may reach such chunks must come after that call
  // (CommitStore::publish_chain makes it). The default is put_many.
  virtual void put_many_unlogged(const std::vector<Chunk>& chunks) { put_many(chunks); }
  // Makes every chunk written so far with put_many_unlogged durable; cheap
  // when there are none.
  virtual void persist_unlogged() {}

  // Garbage collection (Graph::cleanup) only. Calls `visit(hash, size)`
  // for every stored chunk, in no particular order. Stores that cannot
  // enumerate throw Error(kInternal) (the default).
  virtual void for_each_chunk(const std::function<void(const Hash&, size_t)>& visit);
  // Removes the chunks (absent ones are fine), durably. The caller
  // guarantees no ref reaches them and no writer is staging them.
  virtual void erase_many(const std::vector<Hash>& hashes);

  // Convenience: hashes `data`, stores it, returns the hash.
  Hash put(std::string data);
  bool has(const Hash& hash) { return has_many({hash})[0]; }
};

std::unique_ptr<ChunkStore> make_memory_chunk_store();

}  // namespace omnigraph::store
