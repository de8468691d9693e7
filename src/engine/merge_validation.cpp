#include "engine/merge_validation.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
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

void check_unique(const std::string& table_key, std::vector<UniqueCheck>& checks,
                  std::string_view id, const Row& row, const std::string* src,
                  const std::string* dst, std::vector<MergeConflict>& out) {
  for (UniqueCheck& check : checks) {
    std::string composite;
    bool any_null = false;
    for (const UniqueColumn& column : check.columns) {
      // Length-prefixed parts, so no separator inside a value can make two
      // different tuples collide.
      std::string part;
      switch (column.source) {
        case UniqueColumn::Source::kSrc: part = *src; break;
        case UniqueColumn::Source::kDst: part = *dst; break;
        case UniqueColumn::Source::kProperty: {
          const Value& value = row.get(column.property_id);
          if (!value.is_null()) part = encode_sort_key(value);
          any_null = value.is_null();
          break;
        }
        case UniqueColumn::Source::kMissing: any_null = true; break;
      }
      if (any_null) break;
      composite += std::to_string(part.size());
      composite += ':';
      composite += part;
    }
    if (any_null) continue;
    auto [it, inserted] = check.seen.emplace(std::move(composite), std::string(id));
    if (inserted) continue;
    out.push_back({table_key, std::string(id), "unique_violation",
                   "unique constraint " + column_list(check.names) + " violated by '" + it->second +
                       "' and '" + std::string(id) + "'"});
  }
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

}  // namespace omnigraph::engine
