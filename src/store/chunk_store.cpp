#include "store/chunk_store.h"

namespace omnigraph::store {

Hash ChunkStore::put(std::string data) {
  Hash hash = Hash::of(data);
  put_many({Chunk{hash, std::move(data)}});
  return hash;
}

}  // namespace omnigraph::store
