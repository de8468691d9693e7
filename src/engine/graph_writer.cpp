#include "engine/graph_writer.h"

#include <functional>
#include <span>
#include <unordered_map>

#include "common/error.h"
#include "common/varint.h"
#include "prolly/tree.h"

namespace omnigraph::engine {

using compiler::EdgeType;
using compiler::NodeType;
using prolly::Edit;
using prolly::Tree;

namespace {

Hash apply_edits(prolly::NodeStore& nodes, const Hash& root, std::vector<Edit>& edits) {
  if (edits.empty()) return root;
  prolly::normalize_edits(edits);
  return Tree(nodes, root).apply(edits).root();
}

// Keeps the last row given for each id, in first-seen order.
template <typename T>
std::vector<std::pair<std::string, T>> last_per_id(std::vector<std::pair<std::string, T>> items) {
  std::unordered_map<std::string, size_t> position;
  std::vector<std::pair<std::string, T>> out;
  out.reserve(items.size());
  for (auto& item : items) {
    auto [it, inserted] = position.emplace(item.first, out.size());
    if (inserted) {
      out.push_back(std::move(item));
    } else {
      out[it->second].second = std::move(item.second);
    }
  }
  return out;
}

// Index edits for one row going from `old` to `now` (either may be absent).
void add_index_edits(const std::vector<const compiler::Property*>& indexed, const Row* old,
                     const Row* now, std::string_view id, std::vector<std::vector<Edit>>& edits) {
  for (size_t i = 0; i < indexed.size(); ++i) {
    uint32_t pid = indexed[i]->id;
    if (old && !old->get(pid).is_null())
      edits[i].push_back(Edit::remove(index_key(old->get(pid), id)));
    if (now && !now->get(pid).is_null())
      edits[i].push_back(Edit::put(index_key(now->get(pid), id), ""));
  }
}

// Applies a node table's row and index edits and refreshes its row count.
void apply_node_edits(prolly::NodeStore& nodes, TableState& table,
                      const std::vector<const compiler::Property*>& indexed,
                      std::vector<Edit>& row_edits, std::vector<std::vector<Edit>>& index_edits) {
  table.rows = apply_edits(nodes, table.rows, row_edits);
  for (size_t i = 0; i < indexed.size(); ++i) {
    Hash& index_root = table.indexes[index_name(*indexed[i])];
    index_root = apply_edits(nodes, index_root, index_edits[i]);
  }
  table.row_count = Tree(nodes, table.rows).count();
}

}  // namespace

GraphWriter::GraphWriter(std::shared_ptr<const compiler::Catalog> catalog, GraphRoot base,
                         prolly::NodeStore& nodes)
    : catalog_(std::move(catalog)), base_(std::move(base)), current_(base_), nodes_(&nodes) {}

GraphView GraphWriter::view() const {
  materialize();
  return GraphView(catalog_, current_, *nodes_);
}

void GraphWriter::set_bulk(bool on) {
  if (!on) materialize();
  bulk_ = on;
}

TableState& GraphWriter::state(const std::string& table_key) {
  touched_.insert(table_key);
  return current_.tables[table_key];
}

void GraphWriter::put_nodes(const NodeType& type, std::vector<std::pair<std::string, Row>> rows) {
  if (rows.empty()) return;
  touched_.insert(type.table_key());
  if (!bulk_) return put_nodes_now(type, std::move(rows));
  Pending& pending = pending_for(&type, nullptr);
  for (auto& [id, row] : rows) pending.rows->add(std::move(id), encode_row(row));
}

void GraphWriter::put_encoded_nodes(const NodeType& type, std::span<const EncodedEntry> rows) {
  if (rows.empty()) return;
  touched_.insert(type.table_key());
  if (!bulk_) {
    std::vector<std::pair<std::string, Row>> decoded;
    decoded.reserve(rows.size());
    for (const EncodedEntry& row : rows) decoded.emplace_back(row.id, decode_row(row.bytes));
    return put_nodes_now(type, std::move(decoded));
  }
  Pending& pending = pending_for(&type, nullptr);
  for (const EncodedEntry& row : rows) pending.rows->add(row.id, row.bytes);
}

void GraphWriter::put_encoded_edges(const EdgeType& type, std::span<const EncodedEntry> edges) {
  if (edges.empty()) return;
  touched_.insert(type.table_key());
  if (!bulk_) {
    std::vector<std::pair<std::string, EdgeRecord>> decoded;
    decoded.reserve(edges.size());
    for (const EncodedEntry& edge : edges) {
      decoded.emplace_back(edge.id, decode_edge_record(edge.bytes));
    }
    return put_edges_now(type, std::move(decoded));
  }
  Pending& pending = pending_for(nullptr, &type);
  for (const EncodedEntry& edge : edges) pending.rows->add(edge.id, edge.bytes);
}

void GraphWriter::put_nodes_now(const NodeType& type,
                                std::vector<std::pair<std::string, Row>> rows) const {
  rows = last_per_id(std::move(rows));
  TableState& table = current_.tables[type.table_key()];
  std::vector<const compiler::Property*> indexed = indexed_properties(type);
  Tree tree(*nodes_, table.rows);
  const bool maybe_existing = !tree.empty();

  std::vector<Edit> row_edits;
  row_edits.reserve(rows.size());
  std::vector<std::vector<Edit>> index_edits(indexed.size());
  for (auto& [id, row] : rows) {
    if (!indexed.empty()) {
      std::optional<Row> old;
      if (maybe_existing) {
        if (auto bytes = tree.get(id)) old = decode_row(*bytes);
      }
      add_index_edits(indexed, old ? &*old : nullptr, &row, id, index_edits);
    }
    row_edits.push_back(Edit::put(id, encode_row(row)));
  }
  apply_node_edits(*nodes_, table, indexed, row_edits, index_edits);
}

void GraphWriter::delete_nodes(const NodeType& type, const std::vector<std::string>& ids) {
  if (ids.empty()) return;
  materialize();
  TableState& table = state(type.table_key());
  std::vector<const compiler::Property*> indexed = indexed_properties(type);
  Tree tree(*nodes_, table.rows);
  std::vector<Edit> row_edits;
  std::vector<std::vector<Edit>> index_edits(indexed.size());
  for (const std::string& id : ids) {
    auto bytes = tree.get(id);
    if (!bytes) continue;
    row_edits.push_back(Edit::remove(id));
    if (indexed.empty()) continue;
    Row old = decode_row(*bytes);
    add_index_edits(indexed, &old, nullptr, id, index_edits);
  }
  apply_node_edits(*nodes_, table, indexed, row_edits, index_edits);
}

void GraphWriter::put_edges(const EdgeType& type,
                            std::vector<std::pair<std::string, EdgeRecord>> edges) {
  if (edges.empty()) return;
  touched_.insert(type.table_key());
  if (!bulk_) return put_edges_now(type, std::move(edges));
  Pending& pending = pending_for(nullptr, &type);
  std::string bytes;  // encode_edge_record's layout, in one reused buffer
  for (auto& [id, edge] : edges) {
    bytes.clear();
    put_length_prefixed(bytes, edge.src);
    put_length_prefixed(bytes, edge.dst);
    bytes.append(encode_row(edge.row));
    pending.rows->add(id, bytes);
  }
}

void GraphWriter::put_edges_now(const EdgeType& type,
                                std::vector<std::pair<std::string, EdgeRecord>> edges) const {
  edges = last_per_id(std::move(edges));
  TableState& table = current_.tables[type.table_key()];
  Tree tree(*nodes_, table.rows);
  const bool maybe_existing = !tree.empty();
  std::vector<Edit> row_edits;
  std::vector<Edit> out_edits;
  std::vector<Edit> in_edits;
  row_edits.reserve(edges.size());
  out_edits.reserve(edges.size());
  in_edits.reserve(edges.size());
  for (auto& [id, edge] : edges) {
    if (maybe_existing) {
      if (auto bytes = tree.get(id)) {
        EdgeRecord old = decode_edge_record(*bytes);
        out_edits.push_back(Edit::remove(adjacency_key(old.src, id)));
        in_edits.push_back(Edit::remove(adjacency_key(old.dst, id)));
      }
    }
    out_edits.push_back(Edit::put(adjacency_key(edge.src, id), edge.dst));
    in_edits.push_back(Edit::put(adjacency_key(edge.dst, id), edge.src));
    row_edits.push_back(Edit::put(id, encode_edge_record(edge)));
  }
  table.rows = apply_edits(*nodes_, table.rows, row_edits);
  table.out_adj = apply_edits(*nodes_, table.out_adj, out_edits);
  table.in_adj = apply_edits(*nodes_, table.in_adj, in_edits);
  table.row_count = Tree(*nodes_, table.rows).count();
}

void GraphWriter::delete_edges(const EdgeType& type, const std::vector<std::string>& ids) {
  if (ids.empty()) return;
  materialize();
  TableState& table = state(type.table_key());
  Tree tree(*nodes_, table.rows);
  std::vector<Edit> row_edits;
  std::vector<Edit> out_edits;
  std::vector<Edit> in_edits;
  for (const std::string& id : ids) {
    auto bytes = tree.get(id);
    if (!bytes) continue;
    EdgeRecord old = decode_edge_record(*bytes);
    row_edits.push_back(Edit::remove(id));
    out_edits.push_back(Edit::remove(adjacency_key(old.src, id)));
    in_edits.push_back(Edit::remove(adjacency_key(old.dst, id)));
  }
  table.rows = apply_edits(*nodes_, table.rows, row_edits);
  table.out_adj = apply_edits(*nodes_, table.out_adj, out_edits);
  table.in_adj = apply_edits(*nodes_, table.in_adj, in_edits);
  table.row_count = Tree(*nodes_, table.rows).count();
}

void GraphWriter::clear_table(const std::string& table_key) {
  pending_.erase(table_key);
  TableState& table = state(table_key);
  table.rows = Hash{};
  table.out_adj = Hash{};
  table.in_adj = Hash{};
  for (auto& [name, root] : table.indexes) root = Hash{};
  table.row_count = 0;
}

GraphRoot GraphWriter::finish(const std::string& branch) const {
  materialize();
  GraphRoot out = current_;
  for (const std::string& key : catalog_->table_keys()) out.tables.try_emplace(key);
  for (auto& [key, table] : out.tables) {
    auto base = base_.tables.find(key);
    bool changed =
        base == base_.tables.end() ? touched_.count(key) > 0 : !table.same_content(base->second);
    if (!changed) continue;
    table.version = (base == base_.tables.end() ? 0 : base->second.version) + 1;
    table.last_branch = branch;
  }
  return out;
}

}  // namespace omnigraph::engine
