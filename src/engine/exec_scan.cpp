// NodeScan (spec §4.2) with access-path selection: a key lookup, an index
// equality or an index range instead of a full scan when a match allows it.
// Every candidate row is still checked against all inline matches, so an
// access path only has to return a superset of the matching ids, in id
// order (storage order, §4.11).
#include <algorithm>
#include <map>

#include "common/error.h"
#include "engine/exec_ops.h"

namespace omnigraph::engine::exec {

namespace {

using compiler::ScalarKind;
using compiler::query::CompOp;
using EK = Expr::Kind;

struct AccessPath {
  enum class Kind { kFullScan, kEmpty, kKey, kIndexEqual, kIndexRange };
  Kind kind = Kind::kFullScan;
  const compiler::Property* property = nullptr;
  Value value;  // kKey (the id), kIndexEqual
  std::optional<IndexBound> lower, upper;

  int rank() const {  // lower is better
    switch (kind) {
      case Kind::kEmpty: return 0;
      case Kind::kKey: return 1;
      case Kind::kIndexEqual: return 2;
      case Kind::kIndexRange: return 3;
      case Kind::kFullScan: return 4;
    }
    return 4;
  }
};

bool is_int(ScalarKind k) {
  return k == ScalarKind::kI32 || k == ScalarKind::kI64;
}
bool is_uint(ScalarKind k) {
  return k == ScalarKind::kU32 || k == ScalarKind::kU64;
}

// Properties whose index order is the comparison order (floats are left
// out: the index folds -0.0 into 0.0 and orders negative NaNs first).
bool range_indexable(const compiler::Type& type) {
  if (type.list) return false;
  switch (type.scalar) {
    case ScalarKind::kString:
    case ScalarKind::kI32:
    case ScalarKind::kI64:
    case ScalarKind::kU32:
    case ScalarKind::kU64:
    case ScalarKind::kDate:
    case ScalarKind::kDateTime: return true;
    default: return false;
  }
}

// The stored value an inline match `prop = value` (SQL semantics: numbers
// compared exactly) can equal: kEmpty when none, nullopt when unknown.
std::optional<AccessPath> equality_path(const GraphView& view, const compiler::NodeType& type,
                                        const compiler::Property& prop, const Value& value,
                                        bool exact_numbers) {
  AccessPath path;
  if (value.is_null()) {
    path.kind = AccessPath::Kind::kEmpty;
    return path;
  }
  if (prop.type.list) return std::nullopt;
  if (!range_indexable(prop.type) && prop.type.scalar != ScalarKind::kBool) return std::nullopt;
  const compiler::Property* key = type.key_property();
  bool is_key = key == &prop && prop.type.is_scalar_string();
  if (!is_key && !view.has_index(type, prop)) return std::nullopt;

  // Inline matches compare numbers exactly (29.5 never equals an I32), so
  // the cast value must still equal the match value.
  Value stored = cast_to_type(value, prop.type);
  ScalarKind s = prop.type.scalar;
  if (exact_numbers && !stored.is_null() && (is_int(s) || is_uint(s)) &&
      compare(stored, CompOp::kEq, value, {nullptr, true}) != true) {
    stored = Value();
  }
  if (stored.is_null()) {
    path.kind = AccessPath::Kind::kEmpty;
    return path;
  }
  if (is_key) {
    if (stored.kind() != Value::Kind::kString) return std::nullopt;
    path.kind = AccessPath::Kind::kKey;
  } else {
    path.kind = AccessPath::Kind::kIndexEqual;
  }
  path.property = &prop;
  path.value = std::move(stored);
  return path;
}

void consider(AccessPath& best, const AccessPath& candidate) {
  if (candidate.rank() < best.rank()) best = candidate;
}

// Tightens a range path on `prop` with one bound.
void add_bound(AccessPath& range, CompOp op, Value value) {
  bool lower = op == CompOp::kGt || op == CompOp::kGe;
  bool inclusive = op == CompOp::kGe || op == CompOp::kLe;
  std::optional<IndexBound>& slot = lower ? range.lower : range.upper;
  if (slot) {
    int c = sort_compare(value, slot->value);
    bool tighter = lower ? c > 0 : c < 0;
    if (!tighter && !(c == 0 && !inclusive)) return;
  }
  slot = IndexBound{std::move(value), inclusive};
}

// The access path from the scan's inline matches and from later explicit
// filters on the scan variable (filter semantics: the right side is cast to
// the column type). The filters themselves still run at their place.
AccessPath choose_path(ExecContext& ctx, const compiler::NodeType& type, const Op& scan,
                       const std::vector<InlineMatch>& matches, const std::vector<Op>& pipeline) {
  const GraphView& view = ctx.view();
  AccessPath best;
  for (const InlineMatch& m : matches) {
    if (m.op != CompOp::kEq) continue;
    const compiler::Property* prop = type.find_property(m.property);
    if (!prop) continue;
    if (auto path = equality_path(view, type, *prop, m.value, true)) consider(best, *path);
  }
  if (best.rank() <= 1) return best;

  // Later filters of this pipeline on `$scan.prop` against a constant.
  auto self =
      std::find_if(pipeline.begin(), pipeline.end(), [&](const Op& o) { return &o == &scan; });
  if (self == pipeline.end()) return best;
  std::map<const compiler::Property*, AccessPath> ranges;
  for (auto it = self + 1; it != pipeline.end(); ++it) {
    if (it->kind != Op::Kind::kFilter) continue;
    const Filter& f = it->filter;
    if (f.left.kind != EK::kPropAccess || f.left.variable != scan.variable) continue;
    const compiler::Property* prop = type.find_property(f.left.name);
    if (!prop || prop->type.list) continue;
    const Value* right = nullptr;
    Value literal;
    try {
      if (f.right.kind == EK::kLiteral) {
        literal = literal_value(f.right.literal);
        right = &literal;
      } else if (f.right.kind == EK::kParam) {
        right = ctx.find_param(f.right.name);
      }
    } catch (const Error&) {
      right = nullptr;  // the filter reports it when it runs
    }
    if (!right) continue;
    Value cast;
    try {
      cast = cast_to_type(*right, prop->type);
    } catch (const Error&) {
      continue;
    }
    if (cast.is_null()) {
      if (f.op != CompOp::kContains) {
        AccessPath empty;
        empty.kind = AccessPath::Kind::kEmpty;
        consider(best, empty);
      }
      continue;
    }
    switch (f.op) {
      case CompOp::kEq:
        if (auto path = equality_path(view, type, *prop, cast, false)) consider(best, *path);
        break;
      case CompOp::kGt:
      case CompOp::kGe:
      case CompOp::kLt:
      case CompOp::kLe: {
        if (!range_indexable(prop->type) || !view.has_index(type, *prop)) break;
        AccessPath& range = ranges[prop];
        range.kind = AccessPath::Kind::kIndexRange;
        range.property = prop;
        add_bound(range, f.op, cast);
        break;
      }
      default: break;
    }
  }
  for (const auto& [prop, range] : ranges) consider(best, range);
  return best;
}

}  // namespace

std::vector<EntityRef> scan_nodes(ExecContext& ctx, const Op& op,
                                  const std::vector<InlineMatch>& matches,
                                  const std::vector<Op>& pipeline) {
  const compiler::NodeType* type = ctx.catalog().find_node_type(op.type_name);
  if (!type) throw_bad_request("unknown node type '" + op.type_name + "'");
  const GraphView& view = ctx.view();
  std::vector<EntityRef> out;
  auto take = [&](std::string_view id, const Row& row) {
    if (passes_inline_matches(*type, row, matches)) out.push_back(ctx.node(*type, id, row));
  };
  auto fetch_all = [&](std::vector<std::string> ids) {
    for (const std::string& id : ids) {
      if (std::optional<Row> row = view.node(*type, id)) take(id, *row);
    }
  };

  AccessPath path = choose_path(ctx, *type, op, matches, pipeline);
  switch (path.kind) {
    case AccessPath::Kind::kEmpty: break;
    case AccessPath::Kind::kKey: fetch_all({path.value.as_string()}); break;
    case AccessPath::Kind::kIndexEqual: {
      std::vector<std::string> ids;
      view.index_equal(*type, *path.property, path.value, [&](std::string_view id) {
        ids.emplace_back(id);
        return true;
      });
      fetch_all(std::move(ids));  // one value: already in id order
      break;
    }
    case AccessPath::Kind::kIndexRange: {
      std::vector<std::string> ids;
      view.index_range(*type, *path.property, path.lower, path.upper, [&](std::string_view id) {
        ids.emplace_back(id);
        return true;
      });
      std::sort(ids.begin(), ids.end());  // index order is value order
      ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
      fetch_all(std::move(ids));
      break;
    }
    case AccessPath::Kind::kFullScan:
      view.scan_nodes(*type, [&](std::string_view id, const Row& row) {
        take(id, row);
        return true;
      });
      break;
  }
  return out;
}

}  // namespace omnigraph::engine::exec
