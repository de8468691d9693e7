#include "engine/schema_migrate.h"

#include <map>
#include <set>
#include <vector>

#include "engine/graph_view.h"
#include "engine/row_codec.h"
#include "prolly/run_merger.h"
#include "prolly/tree.h"

namespace omnigraph::engine {
namespace {

using compiler::Catalog;
using compiler::Property;
using prolly::Edit;
using prolly::Tree;

std::set<uint32_t> ids_of(const std::vector<Property>& properties) {
  std::set<uint32_t> out;
  for (const Property& p : properties) out.insert(p.id);
  return out;
}

// The ids of `before` that `after` lacks.
std::set<uint32_t> dropped_ids(const std::vector<Property>& before,
                               const std::vector<Property>& after) {
  std::set<uint32_t> kept = ids_of(after);
  std::set<uint32_t> out;
  for (const Property& p : before) {
    if (!kept.contains(p.id)) out.insert(p.id);
  }
  return out;
}

bool strip(Row& row, const std::set<uint32_t>& ids) {
  size_t before = row.fields.size();
  std::erase_if(row.fields, [&](const auto& field) { return ids.contains(field.first); });
  return row.fields.size() != before;
}

// Rewrites the rows holding any of `ids` (only those rows).
Hash strip_rows(prolly::NodeStore& nodes, const Hash& rows, const std::set<uint32_t>& ids,
                bool edges) {
  if (ids.empty() || rows.is_zero()) return rows;
  std::vector<Edit> edits;
  Tree(nodes, rows).scan("", std::nullopt, [&](std::string_view key, std::string_view value) {
    if (edges) {
      EdgeRecord edge = decode_edge_record(value);
      if (strip(edge.row, ids))
        edits.push_back(Edit::put(std::string(key), encode_edge_record(edge)));
    } else {
      Row row = decode_row(value);
      if (strip(row, ids)) edits.push_back(Edit::put(std::string(key), encode_row(row)));
    }
    return true;
  });
  if (edits.empty()) return rows;
  return Tree(nodes, rows).apply(edits).root();
}

Hash build_index(prolly::NodeStore& nodes, const Hash& rows, uint32_t property_id) {
  prolly::RunMerger index(nodes);
  Tree(nodes, rows).scan("", std::nullopt, [&](std::string_view key, std::string_view value) {
    Row row = decode_row(value);
    const Value& v = row.get(property_id);
    if (!v.is_null()) index.add(index_key(v, key), "");
    return true;
  });
  return index.finish();
}

const Property* property_with_id(const std::vector<Property>& properties, uint32_t id) {
  for (const Property& p : properties) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

// The node table under its new type: rows without dropped properties, index
// trees renamed with their property, built when new, dropped when undeclared.
TableState migrate_node_table(prolly::NodeStore& nodes, const TableState& old,
                              const compiler::NodeType& from, const compiler::NodeType& to) {
  TableState table = old;
  table.rows = strip_rows(nodes, old.rows, dropped_ids(from.properties, to.properties), false);
  table.indexes.clear();
  for (const Property* property : indexed_properties(to)) {
    const Property* before = property_with_id(from.properties, property->id);
    if (before != nullptr) {
      auto it = old.indexes.find(index_name(*before));
      if (it != old.indexes.end()) {
        table.indexes[index_name(*property)] = it->second;
        continue;
      }
    }
    table.indexes[index_name(*property)] = build_index(nodes, table.rows, property->id);
  }
  return table;
}

}  // namespace

GraphRoot migrate_root(prolly::NodeStore& nodes, const GraphRoot& root, const Catalog& from,
                       const Catalog& to, const std::string& branch) {
  std::map<uint32_t, const compiler::NodeType*> from_nodes;
  for (const auto& t : from.node_types()) from_nodes.emplace(t.type_id, &t);
  std::map<uint32_t, const compiler::EdgeType*> from_edges;
  for (const auto& t : from.edge_types()) from_edges.emplace(t.type_id, &t);

  GraphRoot out;
  out.schema = root.schema;
  auto place = [&](const std::string& old_key, const std::string& new_key, TableState table) {
    auto old = root.tables.find(old_key);
    if (old == root.tables.end()) {
      // A new table; its key may have been another type's (renamed or
      // dropped in the same change): versions under a key never go back.
      auto previous = root.tables.find(new_key);
      table.version = previous == root.tables.end() ? 1 : previous->second.version + 1;
      table.last_branch = branch;
    } else if (old_key != new_key || !table.same_content(old->second)) {
      table.version = old->second.version + 1;
      table.last_branch = branch;
    }
    out.tables[new_key] = std::move(table);
  };
  auto old_table = [&](const std::string& key) {
    auto it = root.tables.find(key);
    return it == root.tables.end() ? TableState{} : it->second;
  };

  for (const auto& type : to.node_types()) {
    auto match = from_nodes.find(type.type_id);
    if (match == from_nodes.end()) {
      place("", type.table_key(), TableState{});
      continue;
    }
    const compiler::NodeType& before = *match->second;
    TableState table = migrate_node_table(nodes, old_table(before.table_key()), before, type);
    place(before.table_key(), type.table_key(), std::move(table));
  }
  for (const auto& type : to.edge_types()) {
    auto match = from_edges.find(type.type_id);
    if (match == from_edges.end()) {
      place("", type.table_key(), TableState{});
      continue;
    }
    const compiler::EdgeType& before = *match->second;
    TableState table = old_table(before.table_key());
    table.rows =
        strip_rows(nodes, table.rows, dropped_ids(before.properties, type.properties), true);
    place(before.table_key(), type.table_key(), std::move(table));
  }
  return out;
}

}  // namespace omnigraph::engine
