// Named refs (branch -> commit hash, commit id -> commit hash, ...) updated
// by compare-and-swap. A successful write is durable once it returns.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/hash.h"

namespace omnigraph::store {

// One part of an atomic multi-ref update: set `name` to `desired` (nullopt =
// remove it) iff its current value is `expected` (nullopt = absent).
struct RefUpdate {
  std::string name;
  std::optional<Hash> expected;
  std::optional<Hash> desired;
};

class RefStore {
 public:
  virtual ~RefStore() = default;

  virtual std::optional<Hash> get(const std::string& name) = 0;
  // Sets `name` to `desired` iff its current value equals `expected`
  // (nullopt = the ref must not exist). Returns false when the current value
  // differs; nothing is written then. Durable (synced) on success.
  virtual bool compare_and_swap(const std::string& name, const std::optional<Hash>& expected,
                                const Hash& desired) = 0;
  // Removes `name` iff its current value equals `expected`. False otherwise.
  virtual bool compare_and_delete(const std::string& name, const Hash& expected) = 0;
  // Applies every update or none: false (nothing written) when any ref's
  // current value differs from its `expected`. One durable write. Names must
  // be distinct.
  virtual bool update_all(const std::vector<RefUpdate>& updates) = 0;
  // All refs whose name starts with `prefix`, sorted by name.
  virtual std::map<std::string, Hash> list(const std::string& prefix) = 0;
};

std::unique_ptr<RefStore> make_memory_ref_store();

}  // namespace omnigraph::store
