// A ChunkStore wrapper that counts traffic, so tests and benchmarks can state
// exactly how many chunks an operation wrote or read.
#pragma once

#include <atomic>
#include <cstdint>

#include "store/chunk_store.h"

namespace omnigraph::prolly {

class CountingChunkStore final : public store::ChunkStore {
 public:
  explicit CountingChunkStore(store::ChunkStore& inner) : inner_(inner) {}

  std::optional<std::string> get(const Hash& hash) override {
    ++gets_;
    return inner_.get(hash);
  }
  std::vector<std::optional<std::string>> get_many(const std::vector<Hash>& hashes) override {
    gets_ += hashes.size();
    return inner_.get_many(hashes);
  }
  void put_many(const std::vector<store::Chunk>& chunks) override {
    puts_ += chunks.size();
    for (const store::Chunk& c : chunks) put_bytes_ += c.data.size();
    inner_.put_many(chunks);
  }
  std::vector<bool> has_many(const std::vector<Hash>& hashes) override {
    return inner_.has_many(hashes);
  }

  uint64_t chunks_put() const { return puts_; }
  uint64_t bytes_put() const { return put_bytes_; }
  uint64_t chunks_got() const { return gets_; }
  void reset() {
    puts_ = 0;
    put_bytes_ = 0;
    gets_ = 0;
  }

 private:
  store::ChunkStore& inner_;
  std::atomic<uint64_t> puts_{0};
  std::atomic<uint64_t> put_bytes_{0};
  std::atomic<uint64_t> gets_{0};
};

}  // namespace omnigraph::prolly
