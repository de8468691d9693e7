#include "prolly/diff.h"

namespace omnigraph::prolly {

Differ::Differ(NodeStore& nodes, const Hash& from, const Hash& to) : nodes_(nodes) {
  if (from == to) return;  // identical trees: nothing to walk
  start(from_, from);
  start(to_, to);
}

void Differ::start(Side& side, const Hash& root) {
  if (root.is_zero()) return;
  side.path.push_back(Frame{nodes_.load(root), 0});
}

void Differ::Side::advance() {
  ++path.back().index;
  while (path.back().index == path.back().node->size()) {
    path.pop_back();
    if (path.empty()) return;
    ++path.back().index;
  }
}

void Differ::open(Side& side) {
  NodePtr child = nodes_.load(side.node().child(side.index()));
  side.path.push_back(Frame{std::move(child), 0});
}

std::optional<DiffEntry> Differ::next() {
  while (true) {
    if (from_.done() && to_.done()) return std::nullopt;
    if (to_.done() || from_.done()) {
      Side& side = to_.done() ? from_ : to_;
      if (side.at_subtree()) {
        open(side);
        continue;
      }
      DiffEntry d{std::string(side.key()), std::nullopt, std::nullopt};
      (to_.done() ? d.from : d.to) = std::string(side.value());
      side.advance();
      return d;
    }
    const bool a_sub = from_.at_subtree();
    const bool b_sub = to_.at_subtree();
    if (a_sub && b_sub) {
      if (from_.node().payload(from_.index()) == to_.node().payload(to_.index())) {
        from_.advance();
        to_.advance();
        continue;
      }
      const uint8_t la = from_.node().level();
      const uint8_t lb = to_.node().level();
      if (la >= lb) open(from_);
      if (lb >= la) open(to_);
      continue;
    }
    if (a_sub) {
      open(from_);
      continue;
    }
    if (b_sub) {
      open(to_);
      continue;
    }
    int cmp = from_.key().compare(to_.key());
    if (cmp < 0) {
      DiffEntry d{std::string(from_.key()), std::string(from_.value()), std::nullopt};
      from_.advance();
      return d;
    }
    if (cmp > 0) {
      DiffEntry d{std::string(to_.key()), std::nullopt, std::string(to_.value())};
      to_.advance();
      return d;
    }
    if (from_.value() != to_.value()) {
      DiffEntry d{std::string(from_.key()), std::string(from_.value()), std::string(to_.value())};
      from_.advance();
      to_.advance();
      return d;
    }
    from_.advance();
    to_.advance();
  }
}

void diff(NodeStore& nodes, const Hash& from, const Hash& to,
          const std::function<void(const DiffEntry&)>& fn) {
  Differ d(nodes, from, to);
  while (std::optional<DiffEntry> e = d.next()) fn(*e);
}

std::vector<DiffEntry> diff_all(NodeStore& nodes, const Hash& from, const Hash& to) {
  std::vector<DiffEntry> out;
  diff(nodes, from, to, [&](const DiffEntry& e) { out.push_back(e); });
  return out;
}

}  // namespace omnigraph::prolly
