#include "prolly/merge.h"

#include "prolly/diff.h"
#include "prolly/tree.h"
#include "prolly/tree_editor.h"

namespace omnigraph::prolly {

MergeResult merge(NodeStore& nodes, const Hash& base, const Hash& ours, const Hash& theirs,
                  const Resolver& resolver) {
  if (ours == theirs || theirs == base) return {ours, {}};
  if (ours == base) return {theirs, {}};

  MergeResult result;
  std::vector<Edit> edits;  // theirs' changes, and resolutions, applied onto ours
  Differ mine(nodes, base, ours);
  Differ other(nodes, base, theirs);
  std::optional<DiffEntry> a = mine.next();
  std::optional<DiffEntry> b = other.next();
  while (a || b) {
    if (b && (!a || b->key < a->key)) {
      // Only theirs changed this key.
      edits.push_back(Edit{std::move(b->key), std::move(b->to)});
      b = other.next();
      continue;
    }
    if (a && (!b || a->key < b->key)) {
      a = mine.next();  // only ours changed it: already in place
      continue;
    }
    // Both changed the key (a->from == b->from is the base value).
    if (a->to != b->to) {
      Resolution r = resolver ? resolver(a->key, a->from, a->to, b->to) : Resolution::conflict();
      switch (r.kind) {
        case Resolution::Kind::kValue:
          if (r.value != a->to) edits.push_back(Edit::put(a->key, std::move(r.value)));
          break;
        case Resolution::Kind::kDelete:
          if (a->to) edits.push_back(Edit::remove(a->key));
          break;
        case Resolution::Kind::kConflict:
          result.conflicts.push_back(
              Conflict{a->key, std::move(a->from), std::move(a->to), std::move(b->to)});
          break;
      }
    }
    a = mine.next();
    b = other.next();
  }
  result.root = apply_edits(nodes, ours, edits, nullptr);
  return result;
}

}  // namespace omnigraph::prolly
