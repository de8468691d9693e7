// Three-way merge of prolly trees, built on two streaming diffs from the base.
//
// A key changed on one side only takes that side's change. A key changed on
// both sides to the same result (same value, or both deleted) is not a
// conflict. A key changed on both sides differently goes to the resolver,
// which returns a value, a delete, or a conflict; a conflicted key keeps
// "ours" in the merged tree and is reported. Only theirs' changes are applied
// to ours, so the work follows the size of the change, not of the trees.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/hash.h"
#include "prolly/node_store.h"

namespace omnigraph::prolly {

struct Resolution {
  enum class Kind { kValue, kDelete, kConflict };
  Kind kind = Kind::kConflict;
  std::string value;  // for kValue

  static Resolution use(std::string v) { return {Kind::kValue, std::move(v)}; }
  static Resolution remove() { return {Kind::kDelete, {}}; }
  static Resolution conflict() { return {Kind::kConflict, {}}; }
};

// Called for keys both sides changed differently; nullopt means "absent".
using Resolver = std::function<Resolution(
    std::string_view key, const std::optional<std::string>& base,
    const std::optional<std::string>& ours, const std::optional<std::string>& theirs)>;

struct Conflict {
  std::string key;
  std::optional<std::string> base;
  std::optional<std::string> ours;
  std::optional<std::string> theirs;

  friend bool operator==(const Conflict&, const Conflict&) = default;
};

struct MergeResult {
  Hash root;
  std::vector<Conflict> conflicts;  // in key order
};

// A null resolver reports every divergent change as a conflict.
MergeResult merge(NodeStore& nodes, const Hash& base, const Hash& ours, const Hash& theirs,
                  const Resolver& resolver = nullptr);

}  // namespace omnigraph::prolly
