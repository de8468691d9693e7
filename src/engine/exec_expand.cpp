// Expand (spec §4.3): per input row, a BFS from the source node over one
// edge type's adjacency.
//   - A destination is emitted at most once per source row, at the hop it
//     is first discovered, and only if that hop is >= min.
//   - Same-type edges: a visited set seeded with the source, so the source
//     is never emitted (self-loops and cycles back are invisible).
//   - Cross-type edges: only hop 1 means anything; hops >= 2 yield nothing.
//   - Destinations that do not exist, or fail the deferred binding's
//     matches, drop out (inner join).
//   - Undirected traversals (kBoth) follow out- then in-edges.
//   - With an edge variable (single hop only) each edge is its own row, so
//     parallel edges give one row each.
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "common/error.h"
#include "engine/exec_ops.h"

namespace omnigraph::engine::exec {

namespace {

using compiler::query::Direction;

struct Neighbour {
  std::string edge_id;
  std::string node_id;
};

struct Hit {
  EntityRef node;
  EntityRef edge;  // only with an edge variable
};

}  // namespace

void expand(ExecContext& ctx, const Op& op, std::vector<ExecRow>& rows) {
  const compiler::EdgeType* edge = ctx.catalog().find_edge_type(op.edge_type);
  if (!edge) throw_bad_request("unknown edge type '" + op.edge_type + "'");
  const compiler::NodeType* dst_type = ctx.catalog().find_node_type(op.type_name);
  if (!dst_type) throw_bad_request("unknown node type '" + op.type_name + "'");
  std::vector<InlineMatch> matches = resolve_inline_matches(ctx, op.filters, true);

  const GraphView& view = ctx.view();
  size_t src_slot = ctx.slot(op.src);
  size_t dst_slot = ctx.slot(op.variable);
  bool bind_edge = !op.edge_variable.empty();
  size_t edge_slot = bind_edge ? ctx.slot(op.edge_variable) : 0;
  bool same_type = edge->from_type == edge->to_type;

  std::vector<AdjacencyDirection> directions;
  if (op.direction != Direction::kIn) directions.push_back(AdjacencyDirection::kOut);
  if (op.direction != Direction::kOut) directions.push_back(AdjacencyDirection::kIn);

  // Neighbours are collected before anything else is read from the view.
  auto neighbours = [&](const std::string& node_id) {
    std::vector<Neighbour> out;
    for (AdjacencyDirection d : directions) {
      view.adjacent(*edge, d, node_id, [&](std::string_view edge_id, std::string_view other) {
        out.push_back({std::string(edge_id), std::string(other)});
        return true;
      });
    }
    return out;
  };

  auto bfs = [&](const std::string& src_id) {
    std::vector<Hit> hits;
    auto emit = [&](const Neighbour& n) {
      EntityRef node = ctx.node(*dst_type, n.node_id);
      if (!node || !passes_inline_matches(*dst_type, *node->row, matches)) return;
      hits.push_back({std::move(node), bind_edge ? ctx.edge(*edge, n.edge_id) : nullptr});
    };
    if (op.min_hops > 1 && (!same_type || bind_edge)) return hits;
    if (bind_edge) {
      for (const Neighbour& n : neighbours(src_id)) {
        if (same_type && n.node_id == src_id) continue;
        emit(n);
      }
      return hits;
    }
    if (!same_type) {
      std::unordered_set<std::string> seen;
      for (const Neighbour& n : neighbours(src_id)) {
        if (seen.insert(n.node_id).second) emit(n);
      }
      return hits;
    }
    std::unordered_set<std::string> visited{src_id};
    std::vector<std::string> frontier{src_id};
    for (uint32_t hop = 1; hop <= op.max_hops && !frontier.empty(); ++hop) {
      std::vector<std::string> next;
      for (const std::string& node_id : frontier) {
        for (const Neighbour& n : neighbours(node_id)) {
          if (!visited.insert(n.node_id).second) continue;
          next.push_back(n.node_id);
          if (hop >= op.min_hops) emit(n);
        }
      }
      frontier = std::move(next);
    }
    return hits;
  };

  // Cross products repeat sources; one BFS per distinct source.
  std::unordered_map<std::string, std::vector<Hit>> by_source;
  std::vector<ExecRow> out;
  for (ExecRow& row : rows) {
    const EntityRef& src = row[src_slot];
    if (!src) throw_bad_request("column '" + op.src + ".id' not found in wide batch");
    const std::string& src_id = src->id.as_string();
    auto it = by_source.find(src_id);
    if (it == by_source.end()) it = by_source.emplace(src_id, bfs(src_id)).first;
    for (const Hit& hit : it->second) {
      ExecRow next = row;
      next[dst_slot] = hit.node;
      if (bind_edge) next[edge_slot] = hit.edge;
      out.push_back(std::move(next));
    }
  }
  rows = std::move(out);
}

}  // namespace omnigraph::engine::exec
