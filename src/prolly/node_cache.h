// The decoded-node cache behind NodeStore: a byte-budgeted map Hash -> node.
//
// Warm point reads are dominated by cache misses of the CPU, so the table is
// open addressing with one 64-byte slot per node (hash, pointer and a
// "recently used" bit on one cache line), and eviction is second-chance FIFO:
// a hit only sets the bit instead of reordering a list. Not thread-safe; the
// NodeStore locks around it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "common/hash.h"
#include "prolly/node.h"

namespace omnigraph::prolly {

class NodeCache {
 public:
  explicit NodeCache(size_t capacity_bytes) : capacity_(capacity_bytes) {}

  // The cached node, or nullptr (and marks it recently used).
  const NodePtr* find(const Hash& hash);
  void insert(NodePtr node);
  void clear();

  size_t bytes() const { return bytes_; }
  size_t size() const { return used_; }

 private:
  struct alignas(64) Slot {
    Hash hash;
    NodePtr node;  // null when the slot is free
    bool referenced = false;
  };

  size_t home(const Hash& h) const { return HashHasher{}(h) & (slots_.size() - 1); }
  size_t locate(const Hash& h) const;  // the slot holding h, or the free slot ending its probe run
  void erase_at(size_t i);
  void grow();
  void evict();

  size_t capacity_;
  size_t bytes_ = 0;
  size_t used_ = 0;
  std::vector<Slot> slots_;  // power-of-two size, at most half full
  std::deque<Hash> fifo_;    // insertion order, oldest first
};

}  // namespace omnigraph::prolly
