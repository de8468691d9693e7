// A prolly tree: an ordered map bytes -> bytes stored as immutable chunks.
// A Tree is a cheap value (a NodeStore reference and a root hash); edits
// return a new Tree and leave the old one readable. The empty tree's root is
// the zero hash.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/hash.h"
#include "prolly/cursor.h"
#include "prolly/node_store.h"

namespace omnigraph::prolly {

// One change of a batch: a put when `value` is set, a delete otherwise.
struct Edit {
  std::string key;
  std::optional<std::string> value;

  static Edit put(std::string key, std::string value) { return {std::move(key), std::move(value)}; }
  static Edit remove(std::string key) { return {std::move(key), std::nullopt}; }
};

// Sorts edits by key, keeping only the last edit of each key (stable, so
// "last" means last in the given order).
void normalize_edits(std::vector<Edit>& edits);

using Entry = std::pair<std::string, std::string>;

class Tree {
 public:
  explicit Tree(NodeStore& nodes, const Hash& root = Hash{}) : nodes_(&nodes), root_(root) {}

  // Bulk-builds from entries sorted by strictly increasing key.
  static Tree build(NodeStore& nodes, const std::vector<Entry>& sorted_entries);

  const Hash& root() const { return root_; }
  bool empty() const { return root_.is_zero(); }
  NodeStore& nodes() const { return *nodes_; }

  std::optional<std::string> get(std::string_view key) const;
  uint64_t count() const;
  // Number of entries whose key is < `key`.
  uint64_t rank(std::string_view key) const;
  // The entry at position `index` in key order; nullopt when index >= count().
  std::optional<Entry> select(uint64_t index) const;
  // Levels: 0 for the empty tree, 1 when the root is a leaf.
  int height() const;

  Cursor cursor() const { return Cursor(*nodes_, root_); }
  // Calls fn(key, value) for every entry with lo <= key < hi (no upper bound
  // when hi is nullopt), in key order; stops early when fn returns false.
  void scan(std::string_view lo, std::optional<std::string_view> hi,
            const std::function<bool(std::string_view, std::string_view)>& fn) const;
  std::vector<Entry> range(std::string_view lo, std::optional<std::string_view> hi) const;
  std::vector<Entry> entries() const { return range("", std::nullopt); }

  // Applies a batch of edits sorted by strictly increasing key (see
  // normalize_edits). Rewrites only the nodes on the touched paths, plus the
  // neighbours whose boundaries move; the result is byte-identical to a bulk
  // build of the resulting entry set. Throws Error(kBadRequest) for unsorted
  // or duplicate keys and oversized keys/values.
  Tree apply(std::span<const Edit> edits) const;
  // Like apply(), also reporting how many chunks were written.
  Tree apply(std::span<const Edit> edits, uint64_t* chunks_written) const;

  friend bool operator==(const Tree& a, const Tree& b) { return a.root_ == b.root_; }

 private:
  NodeStore* nodes_;
  Hash root_;
};

}  // namespace omnigraph::prolly
