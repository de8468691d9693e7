// In-memory ref store for tests.
#include <mutex>

#include "store/ref_store.h"

namespace omnigraph::store {
namespace {

class MemoryRefStore final : public RefStore {
 public:
  std::optional<Hash> get(const std::string& name) override {
    std::lock_guard lock(mutex_);
    auto it = refs_.find(name);
    if (it == refs_.end()) return std::nullopt;
    return it->second;
  }

  bool compare_and_swap(const std::string& name, const std::optional<Hash>& expected,
                        const Hash& desired) override {
    std::lock_guard lock(mutex_);
    auto it = refs_.find(name);
    std::optional<Hash> current;
    if (it != refs_.end()) current = it->second;
    if (current != expected) return false;
    refs_[name] = desired;
    return true;
  }

  bool compare_and_delete(const std::string& name, const Hash& expected) override {
    std::lock_guard lock(mutex_);
    auto it = refs_.find(name);
    if (it == refs_.end() || it->second != expected) return false;
    refs_.erase(it);
    return true;
  }

  bool update_all(const std::vector<RefUpdate>& updates) override {
    std::lock_guard lock(mutex_);
    for (const RefUpdate& update : updates) {
      auto it = refs_.find(update.name);
      std::optional<Hash> current;
      if (it != refs_.end()) current = it->second;
      if (current != update.expected) return false;
    }
    for (const RefUpdate& update : updates) {
      if (update.desired) {
        refs_[update.name] = *update.desired;
      } else {
        refs_.erase(update.name);
      }
    }
    return true;
  }

  std::map<std::string, Hash> list(const std::string& prefix) override {
    std::lock_guard lock(mutex_);
    std::map<std::string, Hash> out;
    for (auto it = refs_.lower_bound(prefix); it != refs_.end(); ++it) {
      if (it->first.compare(0, prefix.size(), prefix) != 0) break;
      out.emplace(it->first, it->second);
    }
    return out;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, Hash> refs_;
};

}  // namespace

std::unique_ptr<RefStore> make_memory_ref_store() {
  return std::make_unique<MemoryRefStore>();
}

}  // namespace omnigraph::store
