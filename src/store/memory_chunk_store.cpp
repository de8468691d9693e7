// In-memory chunk store for tests and benchmarks.
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "store/chunk_store.h"

namespace omnigraph::store {
namespace {

class MemoryChunkStore final : public ChunkStore {
 public:
  std::optional<std::string> get(const Hash& hash) override {
    std::shared_lock lock(mutex_);
    auto it = chunks_.find(hash);
    if (it == chunks_.end()) return std::nullopt;
    return it->second;
  }

  std::vector<std::optional<std::string>> get_many(const std::vector<Hash>& hashes) override {
    std::vector<std::optional<std::string>> out;
    out.reserve(hashes.size());
    std::shared_lock lock(mutex_);
    for (const Hash& h : hashes) {
      auto it = chunks_.find(h);
      out.push_back(it == chunks_.end() ? std::nullopt : std::optional<std::string>(it->second));
    }
    return out;
  }

  void put_many(const std::vector<Chunk>& chunks) override {
    std::unique_lock lock(mutex_);
    for (const Chunk& c : chunks) chunks_.try_emplace(c.hash, c.data);
  }

  std::vector<bool> has_many(const std::vector<Hash>& hashes) override {
    std::vector<bool> out;
    out.reserve(hashes.size());
    std::shared_lock lock(mutex_);
    for (const Hash& h : hashes) out.push_back(chunks_.count(h) > 0);
    return out;
  }

  void for_each_chunk(const std::function<void(const Hash&, size_t)>& visit) override {
    std::shared_lock lock(mutex_);
    for (const auto& [hash, data] : chunks_) visit(hash, data.size());
  }

  void erase_many(const std::vector<Hash>& hashes) override {
    std::unique_lock lock(mutex_);
    for (const Hash& h : hashes) chunks_.erase(h);
  }

 private:
  std::shared_mutex mutex_;
  std::unordered_map<Hash, std::string, HashHasher> chunks_;
};

}  // namespace

std::unique_ptr<ChunkStore> make_memory_chunk_store() {
  return std::make_unique<MemoryChunkStore>();
}

}  // namespace omnigraph::store
