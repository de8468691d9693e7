#include "prolly/tree_builder.h"

#include "common/error.h"
#include "prolly/node.h"

namespace omnigraph::prolly {

TreeBuilder::TreeBuilder(NodeStore& nodes, uint8_t start_level, bool unlogged)
    : nodes_(nodes), start_level_(start_level), batch_(nodes.chunks(), unlogged) {}

TreeBuilder::~TreeBuilder() = default;

LevelWriter& TreeBuilder::level(size_t i) {
  while (levels_.size() <= i) {
    size_t idx = levels_.size();
    size_t lvl = start_level_ + idx;
    if (lvl > kMaxLevel) throw_internal("prolly tree exceeds the maximum height");
    // Each closed node becomes an entry of the level above.
    levels_.push_back(
        std::make_unique<LevelWriter>(static_cast<uint8_t>(lvl), [this, idx](WrittenNode&& node) {
          if (!level(idx + 1).add(node.last_key, node.hash.raw(), node.count)) {
            throw_internal("prolly TreeBuilder: a level's nodes closed out of key order");
          }
          batch_.add(node.hash, std::move(node.chunk));
        }));
  }
  return *levels_[i];
}

void TreeBuilder::check_key(std::string_view key) const {
  if (finished_) throw_internal("prolly TreeBuilder used after finish()");
  if (key.size() > kMaxKeySize) {
    throw_bad_request("prolly key of " + std::to_string(key.size()) + " bytes exceeds the " +
                      std::to_string(kMaxKeySize) + "-byte limit");
  }
}

void TreeBuilder::add_to_first_level(std::string_view key, std::string_view payload,
                                     uint64_t count) {
  if (!level(0).add(key, payload, count)) {
    throw_bad_request("prolly TreeBuilder: keys must be strictly increasing");
  }
  ++added_;
}

void TreeBuilder::add(std::string_view key, std::string_view value) {
  if (start_level_ != 0) throw_internal("prolly TreeBuilder::add on a builder of internal levels");
  if (value.size() > kMaxValueSize) {
    throw_bad_request("prolly value of " + std::to_string(value.size()) + " bytes exceeds the " +
                      std::to_string(kMaxValueSize) + "-byte limit");
  }
  check_key(key);
  add_to_first_level(key, value, 1);
}

void TreeBuilder::add_child(std::string_view last_key, const Hash& child, uint64_t count) {
  if (start_level_ == 0) throw_internal("prolly TreeBuilder::add_child on a leaf builder");
  check_key(last_key);
  add_to_first_level(last_key, child.raw(), count);
}

Hash TreeBuilder::finish() {
  if (finished_) throw_internal("prolly TreeBuilder::finish called twice");
  finished_ = true;
  Hash root;
  for (size_t i = 0; i < levels_.size(); ++i) {
    LevelWriter& w = *levels_[i];
    if (w.nodes_written() == 0) {
      // Nothing closed at this level yet: it is the top.
      if (w.pending_entries() == 0) break;  // no entries at all: the empty tree
      if (w.pending_entries() == 1 && w.level() > 0) {
        // A lone entry: its child is the root (no single-child node on top).
        root = Hash::from_bytes(w.last_payload());
        break;
      }
    }
    w.flush();  // creates levels_[i + 1] if anything was closed
  }
  batch_.flush();
  return root;
}

}  // namespace omnigraph::prolly
