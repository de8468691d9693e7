// Streaming difference of two trees in key order.
//
// Both trees are walked as streams of items, where an item is an entry or a
// whole not-yet-opened subtree. When both streams start with subtrees of the
// same hash, those subtrees hold identical entries and are skipped together
// without being loaded. Otherwise the higher subtree is opened (both when
// they are on the same level), so the walks stay level with each other and
// re-align on shared subtrees right after a change: the cost follows the size
// of the difference, not the size of the trees.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/hash.h"
#include "prolly/node.h"
#include "prolly/node_store.h"

namespace omnigraph::prolly {

// A key whose value differs: `from` is its value in the first tree, `to` in
// the second (nullopt where absent). Never both nullopt, never equal.
struct DiffEntry {
  std::string key;
  std::optional<std::string> from;
  std::optional<std::string> to;

  friend bool operator==(const DiffEntry&, const DiffEntry&) = default;
};

class Differ {
 public:
  Differ(NodeStore& nodes, const Hash& from, const Hash& to);

  // The next difference in key order; nullopt when there are no more.
  std::optional<DiffEntry> next();

 private:
  struct Frame {
    NodePtr node;
    size_t index;
  };
  // One tree's walk; the current item is path.back()'s entry at index.
  struct Side {
    std::vector<Frame> path;
    bool done() const { return path.empty(); }
    const Node& node() const { return *path.back().node; }
    size_t index() const { return path.back().index; }
    bool at_subtree() const { return !node().is_leaf(); }
    std::string_view key() const { return node().key(index()); }
    std::string_view value() const { return node().value(index()); }
    void advance();
  };
  void start(Side& side, const Hash& root);
  void open(Side& side);

  NodeStore& nodes_;
  Side from_;
  Side to_;
};

// Calls fn for every difference, in key order.
void diff(NodeStore& nodes, const Hash& from, const Hash& to,
          const std::function<void(const DiffEntry&)>& fn);
std::vector<DiffEntry> diff_all(NodeStore& nodes, const Hash& from, const Hash& to);

}  // namespace omnigraph::prolly
