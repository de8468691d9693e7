// The JSONL loader's whole-input phase (see loader_state.h): final writes,
// then edge endpoint and @card checks, in the reference's order.
#include <limits>

#include "common/varint.h"
#include "engine/loader_state.h"
#include "prolly/tree.h"

namespace omnigraph::engine::loader_detail {

LoadSummary JsonlLoad::finish() {
  if (!node_error_) {
    for (auto& table : nodes_) {
      if (table) flush(*table);
    }
    if (!edge_error_) {
      for (EdgeTable* table : edge_order_) flush(*table);
    }
  }
  if (node_error_) throw *node_error_;
  check_endpoints();
  if (edge_error_) throw *edge_error_;
  // Builds the trees from the staged runs; @card reads them.
  writer_.set_bulk(false);
  for (const EdgeTable* table : edge_order_) {
    if (!table->type->cardinality.is_default()) check_cardinality(*table);
  }

  LoadSummary summary;
  for (const auto& table : nodes_) {
    if (table && table->present) summary.nodes_loaded[table->type->name] = table->rows;
  }
  for (const EdgeTable* table : edge_order_) summary.edges_loaded[table->type->name] = table->rows;
  return summary;
}

bool JsonlLoad::node_exists(const NodeTable& table, std::string_view id) const {
  if (table.ids.contains(id)) return true;
  // Committed nodes count, except in a node table this overwrite replaces:
  // there only the input's rows exist afterwards.
  if (mode_ == LoadMode::kOverwrite && table.present) return false;
  if (table.committed_rows.is_zero()) return false;
  return prolly::Tree(store_, table.committed_rows).get(id).has_value();
}

void JsonlLoad::check_endpoints() const {
  constexpr uint64_t kNone = std::numeric_limits<uint64_t>::max();
  for (const EdgeTable* table : edge_order_) {
    // The first failing row of this edge type; its src is checked before
    // its dst, like the reference's row loop.
    uint64_t first_row = kNone;
    bool is_src = false;
    std::string missing;
    table->unresolved_src.for_each([&](std::string_view id, uint32_t row) {
      if (row > first_row || (row == first_row && is_src)) return;
      if (node_exists(*table->from, id)) return;
      first_row = row;
      is_src = true;
      missing.assign(id);
    });
    table->unresolved_dst.for_each([&](std::string_view id, uint32_t row) {
      if (row >= first_row) return;
      if (node_exists(*table->to, id)) return;
      first_row = row;
      is_src = false;
      missing.assign(id);
    });
    if (first_row == kNone) continue;
    const compiler::EdgeType& type = *table->type;
    throw_bad_request("edge " + type.name + " row " + std::to_string(first_row) + ": " +
                      (is_src ? "src '" : "dst '") + missing + "' not found in " +
                      (is_src ? type.from_type : type.to_type));
  }
}

void JsonlLoad::check_cardinality(const EdgeTable& table) const {
  const compiler::EdgeType& type = *table.type;
  const compiler::Cardinality& card = type.cardinality;
  auto check = [&](std::string_view src, uint64_t count) {
    if (card.max && count > *card.max) {
      throw_bad_request("@card violation on edge " + type.name + ": source '" + std::string(src) +
                        "' has " + std::to_string(count) + " edges (max " +
                        std::to_string(*card.max) + ")");
    }
    if (count < card.min) {
      throw_bad_request("@card violation on edge " + type.name + ": source '" + std::string(src) +
                        "' has " + std::to_string(count) + " edges (min " +
                        std::to_string(card.min) + ")");
    }
  };

  // Counts cover the table as it will be committed: committed plus this
  // input's edges (an id written twice counts once), or, for overwrite, the
  // rewritten table alone. Only sources with at least one edge are checked.
  GraphView view = writer_.view();
  auto it = view.root().tables.find(type.table_key());
  if (it == view.root().tables.end()) return;
  const TableState& state = it->second;

  const bool only_touched =
      table.track_sources && !table.explicit_ids && table.sources.size() * 16 < state.row_count;
  if (only_touched) {
    // A small append or merge into a large table: sources this input did
    // not touch kept their (already valid) counts.
    table.sources.for_each([&](std::string_view src, uint32_t) {
      uint64_t count = 0;
      view.adjacent(type, AdjacencyDirection::kOut, src, [&](std::string_view, std::string_view) {
        ++count;
        return true;
      });
      check(src, count);
    });
    return;
  }

  // The out-adjacency tree is ordered by (src, edge id): one pass counts
  // every source's edges.
  std::string current;
  uint64_t count = 0;
  prolly::Tree(store_, state.out_adj)
      .scan("", std::nullopt, [&](std::string_view key, std::string_view) {
        ByteReader reader(key);
        std::string_view src = reader.length_prefixed();
        if (count > 0 && src == current) {
          ++count;
        } else {
          if (count > 0) check(current, count);
          current.assign(src);
          count = 1;
        }
        return true;
      });
  if (count > 0) check(current, count);
}

}  // namespace omnigraph::engine::loader_detail
