#include "prolly/cursor.h"

#include "common/error.h"

namespace omnigraph::prolly {

Cursor::Cursor(NodeStore& nodes, const Hash& root) : nodes_(nodes), root_(root) {
  seek_first();
}

void Cursor::descend_leftmost() {
  while (!path_.back().node->is_leaf()) {
    const Frame& f = path_.back();
    NodePtr child = nodes_.load(f.node->child(f.index));
    path_.push_back(Frame{std::move(child), 0});
  }
}

void Cursor::seek_first() {
  path_.clear();
  if (root_.is_zero()) return;
  path_.push_back(Frame{nodes_.load(root_), 0});
  descend_leftmost();
}

void Cursor::seek(std::string_view key) {
  path_.clear();
  if (root_.is_zero()) return;
  NodePtr node = nodes_.load(root_);
  while (true) {
    size_t i = node->lower_bound(key);
    if (i == node->size()) {
      // Every key in this subtree is smaller. Routing by last keys only lets
      // that happen on the rightmost path, so there is no later entry.
      path_.clear();
      return;
    }
    bool leaf = node->is_leaf();
    Hash child = leaf ? Hash{} : node->child(i);
    path_.push_back(Frame{std::move(node), i});
    if (leaf) return;
    node = nodes_.load(child);
  }
}

void Cursor::next() {
  if (path_.empty()) throw_internal("prolly Cursor::next past the end");
  if (++path_.back().index < path_.back().node->size()) return;
  // Climb to the nearest ancestor with a next child, then go down its left edge.
  path_.pop_back();
  while (!path_.empty() && path_.back().index + 1 >= path_.back().node->size()) path_.pop_back();
  if (path_.empty()) return;
  ++path_.back().index;
  descend_leftmost();
}

}  // namespace omnigraph::prolly
