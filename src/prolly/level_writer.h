// Cuts the entry stream of one tree level into nodes at content-defined
// boundaries (see boundary.h). Used by the bulk builder and by batch edits,
// which re-chunk a stretch of a level starting from a known boundary.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/hash.h"

namespace omnigraph::prolly {

// A node the writer closed: its chunk plus what its parent entry needs.
struct WrittenNode {
  Hash hash;
  std::string chunk;
  std::string last_key;
  uint64_t count = 0;    // entries in the subtree
  uint64_t entries = 0;  // entries in the node itself
};

class LevelWriter {
 public:
  using Sink = std::function<void(WrittenNode&&)>;

  LevelWriter(uint8_t level, Sink sink);

  // Appends an entry and returns true; returns false, adding nothing, when
  // the key is not greater than the last one added. Closes the node and
  // hands it to the sink when a boundary falls after this entry.
  [[nodiscard]] bool add(std::string_view key, std::string_view payload, uint64_t count);
  // The last key added (empty before the first).
  std::string_view last_key() const { return last_key_; }
  // Closes the pending partial node, if any (the end of the level).
  void flush();

  uint8_t level() const { return level_; }
  uint64_t pending_entries() const { return entries_; }
  uint64_t nodes_written() const { return nodes_; }
  // Payload of the last entry added (valid while it is pending).
  std::string_view last_payload() const { return {body_.data() + payload_off_, payload_len_}; }

 private:
  void close();

  uint8_t level_;
  Sink sink_;
  std::string body_;
  uint64_t entries_ = 0;
  uint64_t count_ = 0;
  uint64_t nodes_ = 0;
  std::string last_key_;  // the last entry's whole key (the body holds only its suffix)
  bool has_last_ = false;
  size_t payload_off_ = 0, payload_len_ = 0;
};

}  // namespace omnigraph::prolly
