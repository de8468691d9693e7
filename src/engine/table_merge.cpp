#include "engine/table_merge.h"

#include <utility>

#include "engine/graph_view.h"
#include "engine/row_codec.h"
#include "prolly/diff.h"
#include "prolly/merge.h"

namespace omnigraph::engine {

namespace {

bool same(const TableState* a, const TableState* b) {
  if (a == nullptr || b == nullptr) return a == b;
  return a->same_content(*b);
}

MergeConflict classify(const std::string& table_key, const prolly::Conflict& conflict) {
  MergeConflict out;
  out.table_key = table_key;
  out.row_id = conflict.key;
  if (!conflict.base) {
    out.kind = "divergent_insert";
    out.message = "divergent insert for id '" + conflict.key + "'";
  } else if (!conflict.ours || !conflict.theirs) {
    out.kind = "delete_vs_update";
    out.message = "delete/update conflict for id '" + conflict.key + "'";
  } else {
    out.kind = "divergent_update";
    out.message = "divergent update for id '" + conflict.key + "'";
  }
  return out;
}

}  // namespace

TableDecision decide_table(const TableState* base, const TableState* source,
                           const TableState* target) {
  if (same(source, target)) return TableDecision::kKeepTarget;
  if (same(base, source)) return TableDecision::kKeepTarget;
  if (same(base, target)) return TableDecision::kAdoptSource;
  return TableDecision::kMergeRows;
}

RowMerge merge_table_rows(prolly::NodeStore& nodes, const std::string& table_key, const Hash& base,
                          const Hash& source, const Hash& target) {
  // Rows are encoded canonically (properties sorted by id, nulls omitted),
  // so equal bytes mean equal rows: the tree merge's "changed" and "same
  // change" tests are exactly the reference's row-signature tests. Every
  // key both sides changed differently is a conflict (no resolver).
  prolly::MergeResult merged = prolly::merge(nodes, base, target, source);
  RowMerge out;
  out.rows = merged.root;
  out.conflicts.reserve(merged.conflicts.size());
  for (const prolly::Conflict& conflict : merged.conflicts) {
    out.conflicts.push_back(classify(table_key, conflict));
  }
  return out;
}

void apply_row_changes(prolly::NodeStore& nodes, GraphWriter& writer,
                       const compiler::Catalog& catalog, const std::string& table_key,
                       const Hash& from, const Hash& to) {
  if (from == to) return;
  std::vector<std::string> deleted;
  if (const compiler::NodeType* type = catalog.node_for_table_key(table_key)) {
    std::vector<std::pair<std::string, Row>> puts;
    prolly::diff(nodes, from, to, [&](const prolly::DiffEntry& entry) {
      if (entry.to) {
        puts.emplace_back(entry.key, decode_row(*entry.to));
      } else {
        deleted.push_back(entry.key);
      }
    });
    if (!deleted.empty()) writer.delete_nodes(*type, deleted);
    if (!puts.empty()) writer.put_nodes(*type, std::move(puts));
    return;
  }
  if (const compiler::EdgeType* type = catalog.edge_for_table_key(table_key)) {
    std::vector<std::pair<std::string, EdgeRecord>> puts;
    prolly::diff(nodes, from, to, [&](const prolly::DiffEntry& entry) {
      if (entry.to) {
        puts.emplace_back(entry.key, decode_edge_record(*entry.to));
      } else {
        deleted.push_back(entry.key);
      }
    });
    if (!deleted.empty()) writer.delete_edges(*type, deleted);
    if (!puts.empty()) writer.put_edges(*type, std::move(puts));
    return;
  }
  throw_internal("merge: table '" + table_key + "' is not in the catalog");
}

}  // namespace omnigraph::engine
