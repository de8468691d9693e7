#include "engine/merge_validation.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "engine/constraints.h"
#include "engine/row_codec.h"

namespace omnigraph::engine {

namespace {

// Where one column of a @unique constraint comes from.
struct UniqueColumn {
  enum class Source { kProperty, kSrc, kDst, kMissing };
  Source source = Source::kMissing;
  uint32_t property_id = 0;
};

// One @unique constraint: the composite value of every row seen so far ->
// the first row holding it.
struct UniqueCheck {
  std::vector<std::string> names;
  std::vector<UniqueColumn> columns;
  std::unordered_map<std::string, std::string> seen;
};

template <typename Type>
std::vector<UniqueCheck> unique_checks(const Type& type, bool is_edge) {
  std::vector<UniqueCheck> checks;
  for (const auto& names : type.unique_constraints) {
    UniqueCheck check;
    check.names = names;
    for (const std::string& name : names) {
      UniqueColumn column;
      if (is_edge && name == "src") {
        column.source = UniqueColumn::Source::kSrc;
      } else if (is_edge && name == "dst") {
        column.source = UniqueColumn::Source::kDst;
      } else if (const compiler::Property* property = type.find_property(name)) {
        column.source = UniqueColumn::Source::kProperty;
        column.property_id = property->id;
      }
      check.columns.push_back(column);
    }
    checks.push_back(std::move(check));
  }
  return checks;
}

// `["a", "b"]`, as the reference prints the column list.
std::string column_list(const std::vector<std::string>& names) {
  std::string out = "[";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += "\"" + names[i] + "\"";
  }
  return out + "]";
}

// The length-prefixed composite value of one row for `check` (so no
// separator inside a value can make two different tuples collide), or
// nullopt when a column is null (nulls are exempt).
std::optional<std::string> composite_value(const UniqueCheck& check, const Row& row,
                                           const std::string* src, const std::string* dst) {
  std::string composite;
  for (const UniqueColumn& column : check.columns) {
    std::string part;
    switch (column.source) {
      case UniqueColumn::Source::kSrc: part = *src; break;
      case UniqueColumn::Source::kDst: part = *dst; break;
      case UniqueColumn::Source::kProperty: {
        const Value& value = row.get(column.property_id);
        if (value.is_null()) return std::nullopt;
        part = encode_sort_key(value);
        break;
      }
      case UniqueColumn::Source::kMissing: return std::nullopt;
    }
    composite += std::to_string(part.size());
    composite += ':';
    composite += part;
  }
  return composite;
}

std::string unique_message(const UniqueCheck& check, std::string_view first,
                           std::string_view second) {
  return "unique constraint " + column_list(check.names) + " violated by '" + std::string(first) +
         "' and '" + std::string(second) + "'";
}

void check_unique(const std::string& table_key, std::vector<UniqueCheck>& checks,
                  std::string_view id, const Row& row, const std::string* src,
                  const std::string* dst, std::vector<MergeConflict>& out) {
  for (UniqueCheck& check : checks) {
    std::optional<std::string> composite = composite_value(check, row, src, dst);
    if (!composite) continue;
    auto [it, inserted] = check.seen.emplace(std::move(*composite), std::string(id));
    if (inserted) continue;
    out.push_back(
        {table_key, std::string(id), "unique_violation", unique_message(check, it->second, id)});
  }
}

// Ids a side deleted from a table.
std::unordered_set<std::string> deleted_ids(const SideChanges& side, const std::string& table_key) {
  std::unordered_set<std::string> out;
  auto it = side.tables.find(table_key);
  if (it == side.tables.end()) return out;
  for (const prolly::DiffEntry& entry : it->second) {
    if (!entry.to) out.insert(entry.key);
  }
  return out;
}

// Edges of `type` that `edges_side` wrote whose endpoint `nodes_side` deleted.
void check_orphans(const compiler::EdgeType& type, const SideChanges& edges_side,
                   const SideChanges& nodes_side, std::vector<MergeConflict>& out) {
  auto written = edges_side.tables.find(type.table_key());
  if (written == edges_side.tables.end()) return;
  std::unordered_set<std::string> from_gone = deleted_ids(nodes_side, "node:" + type.from_type);
  std::unordered_set<std::string> to_gone = deleted_ids(nodes_side, "node:" + type.to_type);
  if (from_gone.empty() && to_gone.empty()) return;
  for (const prolly::DiffEntry& entry : written->second) {
    if (!entry.to) continue;
    EdgeRecord edge = decode_edge_record(*entry.to);
    if (from_gone.contains(edge.src)) {
      out.push_back({type.table_key(), entry.key, "orphan_edge",
                     "src '" + edge.src + "' not found in " + type.from_type});
    }
    if (to_gone.contains(edge.dst)) {
      out.push_back({type.table_key(), entry.key, "orphan_edge",
                     "dst '" + edge.dst + "' not found in " + type.to_type});
    }
  }
}

// Values of `check` that theirs wrote, then collisions with values ours wrote
// in other rows (both sides' rows are as in the result: no row is on both).
template <typename RowOf>
void check_unique_across(const std::string& table_key, std::vector<UniqueCheck>& checks,
                         const std::vector<prolly::DiffEntry>& ours,
                         const std::vector<prolly::DiffEntry>& theirs, const RowOf& row_of,
                         std::vector<MergeConflict>& out) {
  for (UniqueCheck& check : checks) {
    check.seen.clear();
    for (const prolly::DiffEntry& entry : theirs) {
      if (!entry.to) continue;
      auto [row, src, dst] = row_of(*entry.to);
      if (auto composite = composite_value(check, row, src, dst)) {
        check.seen.emplace(std::move(*composite), entry.key);
      }
    }
    for (const prolly::DiffEntry& entry : ours) {
      if (!entry.to) continue;
      auto [row, src, dst] = row_of(*entry.to);
      std::optional<std::string> composite = composite_value(check, row, src, dst);
      if (!composite) continue;
      auto it = check.seen.find(*composite);
      if (it == check.seen.end() || it->second == entry.key) continue;
      // Like the full scan (id order): the later id is the offending row.
      const std::string& first = std::min(it->second, entry.key);
      const std::string& second = std::max(it->second, entry.key);
      out.push_back({table_key, second, "unique_violation", unique_message(check, first, second)});
    }
  }
}

// Sources of the edges a side wrote or deleted.
std::unordered_set<std::string> touched_sources(const std::vector<prolly::DiffEntry>& entries) {
  std::unordered_set<std::string> out;
  for (const prolly::DiffEntry& entry : entries) {
    if (entry.from) out.insert(decode_edge_record(*entry.from).src);
    if (entry.to) out.insert(decode_edge_record(*entry.to).src);
  }
  return out;
}

}  // namespace

std::vector<MergeConflict> validate_merge_candidate(const GraphView& candidate) {
  const compiler::Catalog& catalog = candidate.catalog();
  std::vector<MergeConflict> out;
  RowValidator validator(catalog);
  std::unordered_map<std::string, std::unordered_set<std::string>> node_ids;

  for (const compiler::NodeType& type : catalog.node_types()) {
    const std::string table_key = type.table_key();
    std::vector<UniqueCheck> checks = unique_checks(type, false);
    std::unordered_set<std::string>& ids = node_ids[type.name];
    bool value_error = false;  // one value conflict per table, like the reference's per batch
    candidate.scan_nodes(type, [&](std::string_view id, const Row& row) {
      if (!value_error) {
        try {
          validator.check_node(type, row);
        } catch (const Error& e) {
          value_error = true;
          out.push_back({table_key, std::nullopt, "value_constraint_violation", e.what()});
        }
      }
      check_unique(table_key, checks, id, row, nullptr, nullptr, out);
      ids.emplace(id);
      return true;
    });
  }

  for (const compiler::EdgeType& type : catalog.edge_types()) {
    const std::string table_key = type.table_key();
    std::vector<UniqueCheck> checks = unique_checks(type, true);
    const std::unordered_set<std::string>& from_ids = node_ids[type.from_type];
    const std::unordered_set<std::string>& to_ids = node_ids[type.to_type];
    std::map<std::string, uint64_t> per_source;
    candidate.scan_edges(type, [&](std::string_view id, const EdgeRecord& edge) {
      check_unique(table_key, checks, id, edge.row, &edge.src, &edge.dst, out);
      ++per_source[edge.src];
      if (!from_ids.contains(edge.src)) {
        out.push_back({table_key, std::string(id), "orphan_edge",
                       "src '" + edge.src + "' not found in " + type.from_type});
      }
      if (!to_ids.contains(edge.dst)) {
        out.push_back({table_key, std::string(id), "orphan_edge",
                       "dst '" + edge.dst + "' not found in " + type.to_type});
      }
      return true;
    });
    const compiler::Cardinality& card = type.cardinality;
    for (const auto& [src, count] : per_source) {
      std::string prefix = "@card violation on edge " + type.name + ": source '" + src + "' has " +
                           std::to_string(count) + " edges ";
      if (card.max && count > *card.max) {
        out.push_back({table_key, std::nullopt, "cardinality_violation",
                       prefix + "(max " + std::to_string(*card.max) + ")"});
      }
      if (count < card.min) {
        out.push_back({table_key, std::nullopt, "cardinality_violation",
                       prefix + "(min " + std::to_string(card.min) + ")"});
      }
    }
  }
  return out;
}

std::vector<MergeConflict> validate_rebase(const GraphView& result, const SideChanges& ours,
                                           const SideChanges& theirs) {
  const compiler::Catalog& catalog = result.catalog();
  std::vector<MergeConflict> out;

  auto both = [&](const std::string& key)
      -> std::optional<
          std::pair<const std::vector<prolly::DiffEntry>*, const std::vector<prolly::DiffEntry>*>> {
    auto o = ours.tables.find(key);
    auto t = theirs.tables.find(key);
    if (o == ours.tables.end() || t == theirs.tables.end()) return std::nullopt;
    return std::make_pair(&o->second, &t->second);
  };

  for (const compiler::NodeType& type : catalog.node_types()) {
    if (type.unique_constraints.empty()) continue;
    auto sides = both(type.table_key());
    if (!sides) continue;
    std::vector<UniqueCheck> checks = unique_checks(type, false);
    Row row;
    check_unique_across(
        type.table_key(), checks, *sides->first, *sides->second,
        [&](const std::string& bytes) {
          row = decode_row(bytes);
          return std::tuple<const Row&, const std::string*, const std::string*>(row, nullptr,
                                                                                nullptr);
        },
        out);
  }

  for (const compiler::EdgeType& type : catalog.edge_types()) {
    const std::string table_key = type.table_key();
    auto sides = both(table_key);
    if (sides && !type.unique_constraints.empty()) {
      std::vector<UniqueCheck> checks = unique_checks(type, true);
      EdgeRecord edge;
      check_unique_across(
          table_key, checks, *sides->first, *sides->second,
          [&](const std::string& bytes) {
            edge = decode_edge_record(bytes);
            return std::tuple<const Row&, const std::string*, const std::string*>(
                edge.row, &edge.src, &edge.dst);
          },
          out);
    }
    std::vector<MergeConflict> orphans;
    check_orphans(type, ours, theirs, orphans);
    check_orphans(type, theirs, ours, orphans);
    std::stable_sort(
        orphans.begin(), orphans.end(),
        [](const MergeConflict& a, const MergeConflict& b) { return a.row_id < b.row_id; });
    out.insert(out.end(), orphans.begin(), orphans.end());
    const compiler::Cardinality& card = type.cardinality;
    if (!sides || card.is_default()) continue;
    std::unordered_set<std::string> mine = touched_sources(*sides->first);
    std::unordered_set<std::string> shared;
    for (const std::string& src : touched_sources(*sides->second)) {
      if (mine.contains(src)) shared.insert(src);
    }
    for (const std::string& src : std::set<std::string>(shared.begin(), shared.end())) {
      uint64_t count = 0;
      result.adjacent(type, AdjacencyDirection::kOut, src, [&](std::string_view, std::string_view) {
        ++count;
        return true;
      });
      if (count == 0) continue;  // like the full scan: only sources with an edge
      std::string prefix = "@card violation on edge " + type.name + ": source '" + src + "' has " +
                           std::to_string(count) + " edges ";
      if (card.max && count > *card.max) {
        out.push_back({table_key, std::nullopt, "cardinality_violation",
                       prefix + "(max " + std::to_string(*card.max) + ")"});
      }
      if (count < card.min) {
        out.push_back({table_key, std::nullopt, "cardinality_violation",
                       prefix + "(min " + std::to_string(card.min) + ")"});
      }
    }
  }
  return out;
}

}  // namespace omnigraph::engine
