// Forward iteration over a tree's entries in key order, from a seek point.
#pragma once

#include <string_view>
#include <vector>

#include "common/hash.h"
#include "prolly/node.h"
#include "prolly/node_store.h"

namespace omnigraph::prolly {

class Cursor {
 public:
  // Positioned at the first entry (invalid at once for the empty tree).
  Cursor(NodeStore& nodes, const Hash& root);

  void seek_first();
  // Positions at the first entry whose key is >= `key`.
  void seek(std::string_view key);

  bool valid() const { return !path_.empty(); }
  // Views stay valid until the cursor moves.
  std::string_view key() const { return leaf().key(path_.back().index); }
  std::string_view value() const { return leaf().value(path_.back().index); }
  void next();

 private:
  struct Frame {
    NodePtr node;
    size_t index;
  };
  const Node& leaf() const { return *path_.back().node; }
  // Descends from path_.back()'s current child to the leftmost leaf.
  void descend_leftmost();

  NodeStore& nodes_;
  Hash root_;
  std::vector<Frame> path_;  // root first; empty when past the end
};

}  // namespace omnigraph::prolly
