#include "prolly/tree_editor.h"

#include <algorithm>
#include <string>
#include <vector>

#include "common/error.h"
#include "prolly/level_writer.h"
#include "prolly/node.h"
#include "prolly/tree_builder.h"

namespace omnigraph::prolly {
namespace {

// A change to one level's entry sequence. At level 0 the payload is a value;
// above, it is the raw child hash and `count` the child's subtree count.
struct LevelEdit {
  std::string key;
  bool remove = false;
  std::string payload;
  uint64_t count = 1;
};

// Walks the nodes of one level of an existing tree, left to right.
class NodeCursor {
 public:
  NodeCursor(NodeStore& nodes, NodePtr root, uint8_t level)
      : nodes_(nodes), root_(std::move(root)), level_(level) {}

  // Moves to the node whose key range holds `key`: the first node whose last
  // key is >= key, or the level's last node.
  void seek(std::string_view key) {
    path_.clear();
    NodePtr node = root_;
    while (node->level() > level_) {
      size_t i = std::min(node->lower_bound(key), node->size() - 1);
      Hash child = node->child(i);
      path_.push_back(Frame{std::move(node), i});
      node = nodes_.load(child);
    }
    current_ = std::move(node);
  }

  const NodePtr& node() const { return current_; }

  bool has_next() const {
    for (const Frame& f : path_) {
      if (f.index + 1 < f.node->size()) return true;
    }
    return false;
  }

  // Requires has_next().
  void next() {
    while (path_.back().index + 1 >= path_.back().node->size()) path_.pop_back();
    ++path_.back().index;
    NodePtr node = nodes_.load(path_.back().node->child(path_.back().index));
    while (node->level() > level_) {
      Hash child = node->child(0);
      path_.push_back(Frame{std::move(node), 0});
      node = nodes_.load(child);
    }
    current_ = std::move(node);
  }

 private:
  struct Frame {
    NodePtr node;
    size_t index;
  };
  NodeStore& nodes_;
  NodePtr root_;
  uint8_t level_;
  std::vector<Frame> path_;
  NodePtr current_;
};

class Editor {
 public:
  explicit Editor(NodeStore& nodes) : nodes_(nodes), batch_(nodes.chunks()) {}

  Hash run(const Hash& root, std::span<const Edit> edits);
  uint64_t chunks_written() const { return batch_.chunks_written() + extra_chunks_; }

 private:
  struct OldNode {
    std::string last_key;
    Hash hash;
  };

  // Applies `edits` to one level of the old tree; returns the resulting edits
  // of the level above. When `all_nodes` is set (the root's level, which is a
  // single node and so one group) it receives every node of the new level.
  std::vector<LevelEdit> edit_level(const NodePtr& root, uint8_t level,
                                    const std::vector<LevelEdit>& edits,
                                    std::vector<WrittenNode>* all_nodes);
  void finish_group(std::vector<OldNode>& old, std::vector<WrittenNode>& fresh,
                    std::vector<LevelEdit>& up, std::vector<WrittenNode>* all_nodes);

  NodeStore& nodes_;
  ChunkBatch batch_;
  uint64_t extra_chunks_ = 0;
};

void validate(std::span<const Edit> edits) {
  for (size_t i = 0; i < edits.size(); ++i) {
    const Edit& e = edits[i];
    if (e.key.size() > kMaxKeySize) {
      throw_bad_request("prolly edit key of " + std::to_string(e.key.size()) +
                        " bytes exceeds the " + std::to_string(kMaxKeySize) + "-byte limit");
    }
    if (e.value && e.value->size() > kMaxValueSize) {
      throw_bad_request("prolly edit value of " + std::to_string(e.value->size()) +
                        " bytes exceeds the " + std::to_string(kMaxValueSize) + "-byte limit");
    }
    if (i > 0 && !(edits[i - 1].key < e.key)) {
      throw_bad_request(
          "prolly edits must be sorted by strictly increasing key (duplicate or out-of-order key "
          "at position " +
          std::to_string(i) + "); see normalize_edits");
    }
  }
}

Hash Editor::run(const Hash& root, std::span<const Edit> edits) {
  validate(edits);
  if (edits.empty()) return root;
  if (root.is_zero()) {
    TreeBuilder builder(nodes_);
    for (const Edit& e : edits) {
      if (e.value) builder.add(e.key, *e.value);
    }
    Hash out = builder.finish();
    extra_chunks_ += builder.chunks_written();
    return out;
  }

  NodePtr root_node = nodes_.load(root);
  const uint8_t top = root_node->level();
  std::vector<LevelEdit> current;
  current.reserve(edits.size());
  for (const Edit& e : edits) {
    current.push_back(LevelEdit{e.key, !e.value.has_value(), e.value.value_or(std::string()), 1});
  }

  for (uint8_t level = 0;; ++level) {
    std::vector<WrittenNode> top_nodes;
    std::vector<LevelEdit> up =
        edit_level(root_node, level, current, level == top ? &top_nodes : nullptr);
    if (up.empty()) {
      // This level came out identical, so every level above does too.
      batch_.flush();
      return root;
    }
    if (level < top) {
      current = std::move(up);
      continue;
    }
    // The old root's level is rewritten whole. Build whatever levels the new
    // nodes need above it, then drop single-child roots (a bulk build never
    // puts a one-entry node on top).
    batch_.flush();
    TreeBuilder builder(nodes_, static_cast<uint8_t>(top + 1));
    for (const WrittenNode& n : top_nodes) builder.add_child(n.last_key, n.hash, n.count);
    Hash out = builder.finish();
    extra_chunks_ += builder.chunks_written();
    while (!out.is_zero()) {
      NodePtr node = nodes_.load(out);
      if (node->is_leaf() || node->size() != 1) break;
      out = node->child(0);
    }
    return out;
  }
}

std::vector<LevelEdit> Editor::edit_level(const NodePtr& root, uint8_t level,
                                          const std::vector<LevelEdit>& edits,
                                          std::vector<WrittenNode>* all_nodes) {
  std::vector<LevelEdit> up;
  std::vector<WrittenNode> fresh;
  std::vector<OldNode> old;
  // New nodes go to the store at once (no group holds a level's worth of
  // chunks in memory), except one equal to the old node it was cut from: a
  // no-op edit rebuilds a node that already exists.
  LevelWriter writer(level, [&](WrittenNode&& n) {
    if (old.empty() || old.back().hash != n.hash) batch_.add(n.hash, std::move(n.chunk));
    n.chunk = std::string();
    fresh.push_back(std::move(n));
  });
  NodeCursor cursor(nodes_, root, level);

  size_t i = 0;
  while (i < edits.size()) {
    // A group starts at the first entry of the node holding the next edit:
    // an old boundary that nothing before it can have moved.
    cursor.seek(edits[i].key);
    // Old entries and edits merge in key order (edits are checked sorted).
    auto add = [&writer](std::string_view key, std::string_view payload, uint64_t count) {
      if (!writer.add(key, payload, count)) throw_internal("prolly edit: entries out of key order");
    };
    while (true) {
      NodePtr node = cursor.node();
      old.push_back(OldNode{std::string(node->last_key()), node->hash()});
      const bool last = !cursor.has_next();
      const std::string_view last_key = node->last_key();
      size_t j = 0;
      const size_t n = node->size();
      while (true) {
        const bool have_entry = j < n;
        const bool have_edit = i < edits.size() && (last || edits[i].key <= last_key);
        if (!have_entry && !have_edit) break;
        int cmp = !have_edit ? -1 : !have_entry ? 1 : node->key(j).compare(edits[i].key);
        if (cmp < 0) {
          add(node->key(j), node->payload(j), node->subtree_count(j));
          ++j;
        } else {
          const LevelEdit& e = edits[i];
          if (!e.remove) add(e.key, e.payload, e.count);
          ++i;
          if (cmp == 0) ++j;  // the edit replaces (or deletes) this entry
        }
      }
      if (last) {
        writer.flush();
        break;
      }
      cursor.next();
      if (writer.pending_entries() == 0) {
        // A new boundary at an old node's end: from here the old chunking
        // holds again, unless the next node has edits of its own.
        const bool next_has_edit =
            i < edits.size() && (!cursor.has_next() || edits[i].key <= cursor.node()->last_key());
        if (!next_has_edit) break;
      }
    }
    finish_group(old, fresh, up, all_nodes);
  }
  return up;
}

void Editor::finish_group(std::vector<OldNode>& old, std::vector<WrittenNode>& fresh,
                          std::vector<LevelEdit>& up, std::vector<WrittenNode>* all_nodes) {
  // Parent entries: drop the old nodes, add the new ones, skip unchanged pairs.
  size_t a = 0, b = 0;
  while (a < old.size() || b < fresh.size()) {
    if (b == fresh.size() || (a < old.size() && old[a].last_key < fresh[b].last_key)) {
      up.push_back(LevelEdit{std::move(old[a].last_key), true, std::string(), 0});
      ++a;
    } else if (a == old.size() || fresh[b].last_key < old[a].last_key) {
      up.push_back(
          LevelEdit{fresh[b].last_key, false, std::string(fresh[b].hash.raw()), fresh[b].count});
      ++b;
    } else {
      if (old[a].hash != fresh[b].hash) {
        up.push_back(
            LevelEdit{fresh[b].last_key, false, std::string(fresh[b].hash.raw()), fresh[b].count});
      }
      ++a;
      ++b;
    }
  }
  if (all_nodes) {
    for (WrittenNode& n : fresh) all_nodes->push_back(std::move(n));
  }
  old.clear();
  fresh.clear();
}

}  // namespace

Hash apply_edits(NodeStore& nodes, const Hash& root, std::span<const Edit> edits,
                 uint64_t* chunks_written) {
  Editor editor(nodes);
  Hash out = editor.run(root, edits);
  if (chunks_written) *chunks_written += editor.chunks_written();
  return out;
}

}  // namespace omnigraph::prolly
