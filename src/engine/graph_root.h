// The graph root: one chunk that names everything a commit's graph holds —
// the schema (a chunk with the .pg source) and, per table key (`node:T`,
// `edge:E`), the roots of that table's trees, its row count, its version (a
// counter bumped whenever the table's content changes on this lineage) and
// the branch that last wrote it. A commit points at one graph root.
// Graph::cleanup (graph_cleanup.cpp) keeps exactly the chunks named here
// (mark_root): a new field holding a chunk hash must be marked there too.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "common/hash.h"

namespace omnigraph::engine {

struct TableState {
  Hash rows;     // id -> encoded row
  Hash out_adj;  // edges only: (src, edge id) -> dst
  Hash in_adj;   // edges only: (dst, edge id) -> src
  // Declared indexes by name (e.g. "key", "unique:email", "index:name"):
  // (sort-key encoded value(s), id) -> empty.
  std::map<std::string, Hash> indexes;
  uint64_t row_count = 0;
  uint64_t version = 0;
  std::string last_branch;  // "" = never written

  // Same content (ignores version and last_branch, which are bookkeeping).
  bool same_content(const TableState& other) const {
    return rows == other.rows && out_adj == other.out_adj && in_adj == other.in_adj &&
           indexes == other.indexes;
  }
  friend bool operator==(const TableState&, const TableState&) = default;
};

struct GraphRoot {
  Hash schema;                               // chunk holding the .pg source text
  std::map<std::string, TableState> tables;  // by table key

  friend bool operator==(const GraphRoot&, const GraphRoot&) = default;
};

std::string encode_graph_root(const GraphRoot& root);
GraphRoot decode_graph_root(std::string_view bytes);  // Error(kInternal) when corrupt

}  // namespace omnigraph::engine
