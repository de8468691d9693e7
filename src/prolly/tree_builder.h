// Builds a prolly tree bottom-up from entries in strictly increasing key order.
// The fast path for loading data: one pass, every level chunked as it streams,
// chunks written in put_many batches.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/hash.h"
#include "prolly/level_writer.h"
#include "prolly/node_store.h"

namespace omnigraph::prolly {

class TreeBuilder {
 public:
  // start_level > 0 builds the levels above an existing sequence of nodes at
  // level start_level - 1, fed with add_child (used by batch edits).
  // `unlogged`: write chunks with ChunkStore::put_many_unlogged (bulk loads).
  explicit TreeBuilder(NodeStore& nodes, uint8_t start_level = 0, bool unlogged = false);
  ~TreeBuilder();

  // Throws Error(kBadRequest) if the key is not greater than the previous one
  // or the key/value exceeds kMaxKeySize/kMaxValueSize.
  void add(std::string_view key, std::string_view value);
  // Adds an entry pointing at an existing node (start_level > 0 only).
  void add_child(std::string_view last_key, const Hash& child, uint64_t count);

  // Writes the remaining nodes and returns the root (the zero hash when no
  // entry was added). The builder is spent afterwards.
  Hash finish();

  uint64_t entries_added() const { return added_; }
  // The last key added (only meaningful once entries_added() > 0).
  std::string_view last_key() const {
    return levels_.empty() ? std::string_view() : levels_[0]->last_key();
  }
  uint64_t chunks_written() const { return batch_.chunks_written(); }

 private:
  void check_key(std::string_view key) const;
  // Adds to levels_[0]; throws Error(kBadRequest) when the key is out of order.
  void add_to_first_level(std::string_view key, std::string_view payload, uint64_t count);
  LevelWriter& level(size_t i);

  NodeStore& nodes_;
  uint8_t start_level_;
  ChunkBatch batch_;
  std::vector<std::unique_ptr<LevelWriter>> levels_;  // levels_[i] writes level start_level_ + i
  uint64_t added_ = 0;
  bool finished_ = false;
};

}  // namespace omnigraph::prolly
