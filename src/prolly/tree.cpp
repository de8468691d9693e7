#include "prolly/tree.h"

#include <algorithm>

#include "common/error.h"
#include "prolly/tree_builder.h"
#include "prolly/tree_editor.h"

namespace omnigraph::prolly {

void normalize_edits(std::vector<Edit>& edits) {
  std::stable_sort(edits.begin(), edits.end(),
                   [](const Edit& a, const Edit& b) { return a.key < b.key; });
  // Keep the last of each run of equal keys.
  size_t out = 0;
  for (size_t i = 0; i < edits.size(); ++i) {
    if (i + 1 < edits.size() && edits[i + 1].key == edits[i].key) continue;
    if (out != i) edits[out] = std::move(edits[i]);
    ++out;
  }
  edits.resize(out);
}

Tree Tree::build(NodeStore& nodes, const std::vector<Entry>& sorted_entries) {
  TreeBuilder builder(nodes);
  for (const Entry& e : sorted_entries) builder.add(e.first, e.second);
  return Tree(nodes, builder.finish());
}

std::optional<std::string> Tree::get(std::string_view key) const {
  if (root_.is_zero()) return std::nullopt;
  NodePtr node = nodes_->load(root_);
  while (true) {
    size_t i = node->lower_bound(key);
    if (i == node->size()) return std::nullopt;
    if (node->is_leaf()) {
      if (node->key(i) != key) return std::nullopt;
      return std::string(node->value(i));
    }
    node = nodes_->load(node->child(i));
  }
}

uint64_t Tree::count() const {
  if (root_.is_zero()) return 0;
  return nodes_->load(root_)->total_count();
}

uint64_t Tree::rank(std::string_view key) const {
  if (root_.is_zero()) return 0;
  uint64_t rank = 0;
  NodePtr node = nodes_->load(root_);
  while (true) {
    size_t i = node->lower_bound(key);
    rank += node->count_before(i);
    if (node->is_leaf() || i == node->size()) return rank;
    node = nodes_->load(node->child(i));
  }
}

std::optional<Entry> Tree::select(uint64_t index) const {
  if (root_.is_zero()) return std::nullopt;
  NodePtr node = nodes_->load(root_);
  if (index >= node->total_count()) return std::nullopt;
  while (!node->is_leaf()) {
    // The child whose prefix range holds `index`.
    size_t lo = 0, hi = node->size() - 1;
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (node->count_before(mid + 1) <= index) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    index -= node->count_before(lo);
    node = nodes_->load(node->child(lo));
  }
  return Entry(std::string(node->key(index)), std::string(node->value(index)));
}

int Tree::height() const {
  if (root_.is_zero()) return 0;
  return nodes_->load(root_)->level() + 1;
}

void Tree::scan(std::string_view lo, std::optional<std::string_view> hi,
                const std::function<bool(std::string_view, std::string_view)>& fn) const {
  Cursor c(*nodes_, root_);
  c.seek(lo);
  for (; c.valid(); c.next()) {
    if (hi && c.key() >= *hi) return;
    if (!fn(c.key(), c.value())) return;
  }
}

std::vector<Entry> Tree::range(std::string_view lo, std::optional<std::string_view> hi) const {
  std::vector<Entry> out;
  scan(lo, hi, [&](std::string_view k, std::string_view v) {
    out.emplace_back(std::string(k), std::string(v));
    return true;
  });
  return out;
}

Tree Tree::apply(std::span<const Edit> edits) const {
  return apply(edits, nullptr);
}

Tree Tree::apply(std::span<const Edit> edits, uint64_t* chunks_written) const {
  return Tree(*nodes_, apply_edits(*nodes_, root_, edits, chunks_written));
}

}  // namespace omnigraph::prolly
