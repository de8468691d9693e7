#include "store/chunk_store.h"

#include "common/error.h"

namespace omnigraph::store {

Hash ChunkStore::put(std::string data) {
  Hash hash = Hash::of(data);
  put_many({Chunk{hash, std::move(data)}});
  return hash;
}

void ChunkStore::for_each_chunk(const std::function<void(const Hash&, size_t)>&) {
  throw_internal("this chunk store cannot enumerate its chunks");
}

void ChunkStore::erase_many(const std::vector<Hash>&) {
  throw_internal("this chunk store cannot remove chunks");
}

}  // namespace omnigraph::store
