// The per-table half of a branch merge (engine.md §2.4–§2.6): which side's
// state a table takes, and the row-level three-way merge of a table both
// sides changed, with its conflicts classified the way the reference does.
#pragma once

#include <string>
#include <vector>

#include "common/error.h"
#include "common/hash.h"
#include "compiler/catalog/catalog.h"
#include "engine/graph_root.h"
#include "engine/graph_writer.h"
#include "prolly/node_store.h"

namespace omnigraph::engine {

enum class TableDecision {
  kKeepTarget,   // equal on both sides, or only the target changed it
  kAdoptSource,  // only the source changed it
  kMergeRows,    // both changed it: row-level three-way merge
};

// Decides from content, not bookkeeping: a table whose trees are equal is the
// same table whatever its version says. `nullptr` = the root lacks the table.
TableDecision decide_table(const TableState* base, const TableState* source,
                           const TableState* target);

struct RowMerge {
  Hash rows;  // the merged rows tree (target's row wherever a conflict was)
  std::vector<MergeConflict> conflicts;
};

// Three-way merge of one table's rows trees (keyed by id). A row changed on
// one side takes that change; a row changed identically on both is kept; a
// row changed differently is a divergent_insert, divergent_update or
// delete_vs_update conflict. Every conflict of the table is collected.
RowMerge merge_table_rows(prolly::NodeStore& nodes, const std::string& table_key, const Hash& base,
                          const Hash& source, const Hash& target);

// Brings `table_key` in `writer` from rows tree `from` to rows tree `to` by
// upserting changed rows and deleting removed ids, so the writer keeps the
// table's adjacency and index trees in step. Cost follows the difference.
void apply_row_changes(prolly::NodeStore& nodes, GraphWriter& writer,
                       const compiler::Catalog& catalog, const std::string& table_key,
                       const Hash& from, const Hash& to);

}  // namespace omnigraph::engine
