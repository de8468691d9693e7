#include "prolly/node_cache.h"

#include <utility>

namespace omnigraph::prolly {

size_t NodeCache::locate(const Hash& h) const {
  const size_t mask = slots_.size() - 1;
  size_t i = home(h);
  while (slots_[i].node && slots_[i].hash != h) i = (i + 1) & mask;
  return i;
}

const NodePtr* NodeCache::find(const Hash& hash) {
  if (used_ == 0) return nullptr;
  Slot& s = slots_[locate(hash)];
  if (!s.node) return nullptr;
  s.referenced = true;
  return &s.node;
}

void NodeCache::insert(NodePtr node) {
  const size_t size = node->memory_size();
  if (size > capacity_) return;
  if ((used_ + 1) * 2 > slots_.size()) grow();
  size_t i = locate(node->hash());
  if (slots_[i].node) return;  // already cached
  slots_[i].hash = node->hash();
  slots_[i].node = std::move(node);
  slots_[i].referenced = false;
  fifo_.push_back(slots_[i].hash);
  ++used_;
  bytes_ += size;
  while (bytes_ > capacity_ && !fifo_.empty()) evict();
}

void NodeCache::evict() {
  Hash victim = fifo_.front();
  fifo_.pop_front();
  size_t i = locate(victim);
  if (slots_[i].referenced) {
    slots_[i].referenced = false;  // a second chance
    fifo_.push_back(victim);
    return;
  }
  bytes_ -= slots_[i].node->memory_size();
  erase_at(i);
}

// Backward-shift deletion keeps every probe run unbroken without tombstones.
void NodeCache::erase_at(size_t i) {
  const size_t mask = slots_.size() - 1;
  slots_[i].node.reset();
  --used_;
  size_t hole = i;
  for (size_t j = (i + 1) & mask; slots_[j].node; j = (j + 1) & mask) {
    size_t want = home(slots_[j].hash);
    // Move j into the hole unless its home lies cyclically in (hole, j].
    bool stays = hole <= j ? (hole < want && want <= j) : (hole < want || want <= j);
    if (stays) continue;
    slots_[hole] = std::move(slots_[j]);
    slots_[j].node.reset();
    hole = j;
  }
}

void NodeCache::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_ = std::vector<Slot>(old.empty() ? 1024 : old.size() * 2);
  for (Slot& s : old) {
    if (!s.node) continue;
    size_t i = locate(s.hash);
    slots_[i] = std::move(s);
  }
}

void NodeCache::clear() {
  slots_.clear();
  fifo_.clear();
  used_ = 0;
  bytes_ = 0;
}

}  // namespace omnigraph::prolly
