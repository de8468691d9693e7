// The pipeline driver (spec §4.1): scans (cartesian products between
// components), expands, explicit filters (§4.4) and anti-joins (§4.12).
// Text searches and search modes are applied by the scans (§4.5, §4.6).
#include <algorithm>

#include "common/error.h"
#include "engine/exec_ops.h"

namespace omnigraph::engine::exec {

namespace {

using compiler::query::Direction;
using EK = Expr::Kind;

void node_scan(ExecContext& ctx, const Op& op, const std::vector<Op>& pipeline, RowSet& rows,
               const std::set<std::string>& outer_bound, const std::set<std::string>& bound_here,
               const SearchMode* mode) {
  std::vector<InlineMatch> matches = resolve_inline_matches(ctx, op.filters, false);
  size_t slot = ctx.slot(op.variable);

  if (rows && bound_here.count(op.variable)) {
    // The variable is bound twice in one scope: the second binding
    // constrains the same node instead of scanning again (spec §4.1).
    const compiler::NodeType* type = ctx.catalog().find_node_type(op.type_name);
    std::erase_if(*rows, [&](const ExecRow& row) {
      const EntityRef& e = row[slot];
      return !e || e->node_type != type || !passes_inline_matches(*type, ctx.row_of(*e), matches);
    });
    return;
  }
  if (rows && rows->empty()) return;  // a product with nothing is nothing

  // A negation body re-binding an outer variable scans uncorrelated and the
  // outer binding stays the one referenced (the reference's quirk, §4.12);
  // later filters on the variable then read the outer node, so they cannot
  // narrow this scan.
  bool keep_outer = outer_bound.count(op.variable) > 0;
  static const std::vector<Op> kNoFilters;
  // A text search or search mode on the variable turns the scan into a
  // full-text or nearest-neighbour query (spec §4.5, §4.6).
  std::optional<std::vector<EntityRef>> searched = search_scan(ctx, op, matches, pipeline, mode);
  std::vector<EntityRef> nodes =
      searched ? std::move(*searched)
               : scan_nodes(ctx, op, matches, keep_outer ? kNoFilters : pipeline);
  if (!rows) {
    rows.emplace();
    rows->reserve(nodes.size());
    for (EntityRef& node : nodes) {
      ExecRow row(ctx.slot_count());
      row[slot] = std::move(node);
      rows->push_back(std::move(row));
    }
    return;
  }
  // Cartesian product, left-major.
  std::vector<ExecRow> out;
  out.reserve(rows->size() * nodes.size());
  for (const ExecRow& row : *rows) {
    for (const EntityRef& node : nodes) {
      ExecRow next = row;
      if (!keep_outer) next[slot] = node;
      out.push_back(std::move(next));
    }
  }
  *rows = std::move(out);
}

bool is_cycle_check(const Filter& f) {
  return f.left.kind == EK::kPropAccess && f.left.name == "id" &&
         f.left.variable.rfind("__temp_", 0) == 0 && f.right.kind == EK::kPropAccess &&
         f.right.name == "id";
}

void apply_filter(ExecContext& ctx, const Filter& f, std::vector<ExecRow>& rows) {
  // The lowering's cycle-closing check compares element ids, whatever
  // properties the types declare.
  bool cycle = is_cycle_check(f);
  Operand left =
      cycle ? Operand::id(ctx.slot(f.left.variable), f.left.variable) : filter_operand(ctx, f.left);
  Operand right = cycle ? Operand::id(ctx.slot(f.right.variable), f.right.variable)
                        : filter_operand(ctx, f.right);
  std::erase_if(rows, [&](const ExecRow& row) {
    CompareOptions options;
    options.left_type = left.type(row);
    return compare(left.eval(row, ctx), f.op, right.eval(row, ctx), options) != true;
  });
}

void anti_join(ExecContext& ctx, const Op& op, std::vector<ExecRow>& rows,
               const std::set<std::string>& bound) {
  // Fast path: the body is one traversal out of the outer variable without
  // destination matches — drop rows whose node has any such edge, hop
  // bounds ignored (the reference's quirk).
  if (op.inner.size() == 1 && op.inner[0].kind == Op::Kind::kExpand &&
      op.inner[0].src == op.outer_variable && op.inner[0].filters.empty()) {
    const Op& inner = op.inner[0];
    const compiler::EdgeType* edge = ctx.catalog().find_edge_type(inner.edge_type);
    if (!edge) throw_bad_request("unknown edge type '" + inner.edge_type + "'");
    size_t slot = ctx.slot(op.outer_variable);
    std::erase_if(rows, [&](const ExecRow& row) {
      const EntityRef& e = row[slot];
      if (!e) return false;
      const std::string& id = e->id.as_string();
      bool out = inner.direction != Direction::kIn &&
                 ctx.view().has_adjacent(*edge, AdjacencyDirection::kOut, id);
      bool in = inner.direction != Direction::kOut &&
                ctx.view().has_adjacent(*edge, AdjacencyDirection::kIn, id);
      return out || in;
    });
    return;
  }
  // Otherwise the body runs once per outer row, starting from that row.
  std::erase_if(rows, [&](const ExecRow& row) {
    RowSet inner = std::vector<ExecRow>{row};
    run_pipeline(ctx, op.inner, inner, bound);
    return !inner->empty();
  });
}

}  // namespace

std::set<std::string> run_pipeline(ExecContext& ctx, const std::vector<Op>& ops, RowSet& rows,
                                   const std::set<std::string>& outer_bound,
                                   const SearchMode* mode) {
  std::set<std::string> bound_here;
  for (const Op& op : ops) {
    switch (op.kind) {
      case Op::Kind::kNodeScan:
        node_scan(ctx, op, ops, rows, outer_bound, bound_here, mode);
        bound_here.insert(op.variable);
        break;
      case Op::Kind::kExpand:
        // Like the reference, ops before the first scan see no rows.
        if (!rows) break;
        expand(ctx, op, *rows);
        bound_here.insert(op.variable);
        if (!op.edge_variable.empty()) bound_here.insert(op.edge_variable);
        break;
      case Op::Kind::kFilter:
        if (rows) apply_filter(ctx, op.filter, *rows);
        break;
      case Op::Kind::kTextSearch:
        // Hoisted into the NodeScan of its variable (search_scan); on a
        // variable no scan of this pipeline binds it does nothing (§4.5).
        break;
      case Op::Kind::kAntiJoin:
        if (rows) {
          std::set<std::string> bound = outer_bound;
          bound.insert(bound_here.begin(), bound_here.end());
          anti_join(ctx, op, *rows, bound);
        }
        break;
    }
  }
  return bound_here;
}

}  // namespace omnigraph::engine::exec
