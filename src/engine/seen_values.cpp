#include "engine/seen_values.h"

#include <cstring>
#include <functional>

#include "common/huge_pages.h"

namespace omnigraph::engine {

uint64_t SeenValues::hash(std::string_view text) {
  return std::hash<std::string_view>{}(text);
}

size_t SeenValues::find_slot(std::string_view text, uint64_t hash) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (!slot.used()) return i;
    // The hash first: a mismatch never reads the arena.
    if (slot.hash == hash && slot.length == text.size() &&
        std::memcmp(arena_.data() + slot.offset, text.data(), text.size()) == 0) {
      return i;
    }
  }
}

std::optional<size_t> SeenValues::find(std::string_view text) const {
  if (size_ == 0) return std::nullopt;
  const Slot& slot = slots_[find_slot(text, hash(text))];
  if (!slot.used()) return std::nullopt;
  return slot.row;
}

std::optional<size_t> SeenValues::insert(std::string_view text, size_t row) {
  if ((size_ + 1) * 10 > slots_.size() * 7) grow();
  const uint64_t h = hash(text);
  Slot& slot = slots_[find_slot(text, h)];
  if (slot.used()) return slot.row;
  slot.hash = h;
  slot.row = row;
  slot.offset = arena_.size();
  slot.length = text.size();
  arena_.append(text);
  ++size_;
  return std::nullopt;
}

void SeenValues::grow() {
  std::vector<Slot> old = std::move(slots_);
  const size_t size = old.empty() ? 16 : old.size() * 2;
  slots_.reserve(size);  // allocated, not touched yet
  advise_huge_pages(slots_.data(), size * sizeof(Slot));
  slots_.assign(size, Slot{});
  const size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (!slot.used()) continue;
    size_t i = slot.hash & mask;
    while (slots_[i].used()) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

}  // namespace omnigraph::engine
