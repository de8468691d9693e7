// The values one @unique column has seen during a write, each with the
// first row that had it (UniqueTracker). Loads record a value per row, so
// this is a flat open-addressing table over one byte arena: a million
// values cost no allocation each and a lookup one cache miss, not a walk
// through separately allocated nodes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omnigraph::engine {

class SeenValues {
 public:
  // The first row recorded for `text`, nullopt when unseen.
  std::optional<size_t> find(std::string_view text) const;
  // Records `text` with `row` and returns nullopt; when `text` was seen
  // already, returns its first row and records nothing.
  std::optional<size_t> insert(std::string_view text, size_t row);
  size_t size() const { return size_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint64_t row = 0;
    uint64_t offset = 0;           // of the text in arena_
    uint64_t length = UINT64_MAX;  // UINT64_MAX: empty
    bool used() const { return length != UINT64_MAX; }
  };
  static uint64_t hash(std::string_view text);
  // The slot holding `text`, or the empty slot where it would go.
  size_t find_slot(std::string_view text, uint64_t hash) const;
  void grow();

  std::vector<Slot> slots_;  // power-of-two size, linear probing
  size_t size_ = 0;
  std::string arena_;
};

}  // namespace omnigraph::engine
