// One prolly tree node: its wire encoding and its decoded, immutable form.
//
// Encoding (all integers are LEB128 varints unless noted):
//   byte  format (kNodeFormat)
//   byte  level (0 = leaf)
//   varint entry count (>= 1; empty nodes are never written)
//   leaf entry:     varint shared, varint suffix_len, suffix, varint value_len, value
//   internal entry: varint shared, varint suffix_len, suffix (last key of the child),
//                   32-byte child hash, varint subtree entry count
// An entry's key is the first `shared` bytes of the previous entry's key
// followed by its suffix; the first entry of a node shares nothing. Writers
// always share the longest common prefix, so equal content encodes (and
// hashes) the same. Sorted keys repeat long prefixes (generated ids, an
// adjacency key's source), and storing them once made load-built trees
// about a third smaller.
// Keys are strictly increasing inside a node. The level byte makes a chunk
// self-describing, so a reader never needs to know the tree's height.
//
// kPlainNodeFormat is the earlier encoding (whole keys, no `shared`), still
// read so that stores written before the change stay readable.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/hash.h"

namespace omnigraph::prolly {

inline constexpr uint8_t kNodeFormat = 0x51;       // 'Q': prefix-shared keys
inline constexpr uint8_t kPlainNodeFormat = 0x50;  // 'P': whole keys (read only)
// Limits keep every offset in 32 bits and stop one entry from dwarfing a node.
inline constexpr size_t kMaxKeySize = 64 * 1024;
inline constexpr size_t kMaxValueSize = 64 * 1024 * 1024;
// Levels are a byte; a tree of this height would hold more entries than exist.
inline constexpr uint8_t kMaxLevel = 63;

void put_varint(std::string& out, uint64_t v);
inline size_t varint_size(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

// Wraps an entry body into a complete node chunk.
std::string encode_node(uint8_t level, uint64_t entry_count, std::string_view body);

class Node {
 public:
  // Parses a chunk; throws Error(kInternal) naming the hash when it is not a
  // well-formed node.
  static std::shared_ptr<const Node> decode(const Hash& hash, std::string data);

  const Hash& hash() const { return hash_; }
  uint8_t level() const { return level_; }
  bool is_leaf() const { return level_ == 0; }
  size_t size() const { return slots_.size(); }

  std::string_view key(size_t i) const {
    const Slot& s = slots_[i];
    return {key_bytes() + s.key_off, s.key_len};
  }
  // Leaf: the value. Internal: the 32 raw bytes of the child hash.
  std::string_view payload(size_t i) const {
    const Slot& s = slots_[i];
    return {data_.data() + s.val_off, s.val_len};
  }
  std::string_view value(size_t i) const { return payload(i); }
  Hash child(size_t i) const;
  // Entries in the subtree under entry i (1 for a leaf entry).
  uint64_t subtree_count(size_t i) const { return is_leaf() ? 1 : cum_[i + 1] - cum_[i]; }
  // Entries under entries [0, i).
  uint64_t count_before(size_t i) const { return is_leaf() ? i : cum_[i]; }
  uint64_t total_count() const { return count_before(size()); }
  std::string_view last_key() const { return key(size() - 1); }

  // First index whose key is >= `key`; size() when every key is smaller.
  size_t lower_bound(std::string_view key) const;
  // Rough bytes held, for the cache's budget.
  size_t memory_size() const;
  const std::string& data() const { return data_; }

 private:
  struct Slot {
    // Up to 8 key bytes after the node's common prefix, big-endian and zero
    // padded: most search steps compare this and never touch the key bytes.
    uint64_t probe;
    uint32_t key_off;
    uint32_t key_len;
    uint32_t val_off;
    uint32_t val_len;
  };
  uint64_t probe_of(std::string_view key) const;
  // Where key offsets point: the rebuilt keys, or the chunk itself for the
  // plain format (whose keys are stored whole).
  const char* key_bytes() const { return keys_.empty() ? data_.data() : keys_.data(); }

  Hash hash_;
  uint8_t level_ = 0;
  std::string data_;
  std::string keys_;         // every key, whole and back to back (prefix-shared format only)
  uint32_t prefix_len_ = 0;  // bytes shared by every key of the node
  std::string prefix_;       // a copy of them, kept beside the header (no extra miss)
  std::vector<Slot> slots_;
  std::vector<uint64_t> cum_;  // internal nodes: prefix sums of subtree counts, size()+1 long
};

using NodePtr = std::shared_ptr<const Node>;

}  // namespace omnigraph::prolly
