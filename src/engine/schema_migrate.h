// Moves a graph root's tables from one schema to another (the data half of a
// schema apply, and how a merge reads the side that kept the old schema).
// Types and properties are matched by id, not name, so renames — however
// many happened — are key moves and never touch a row:
//   * a type of `to` whose id `from` has: its table, moved to the new key;
//   * a type `from` lacks: an empty table;
//   * a type only `from` has: its table leaves the root (older commits keep it);
//   * a property only `from` has: rows holding it are rewritten without it;
//   * a property only `to` has: nothing (an absent id reads as null);
//   * index trees follow their property (renamed with it; built when new;
//     removed when no longer declared).
#pragma once

#include <string>

#include "compiler/catalog/catalog.h"
#include "engine/graph_root.h"
#include "prolly/node_store.h"

namespace omnigraph::engine {

// The tables of `root` under `to` (root.schema is kept; the caller sets it).
// A table whose content or key changed gets version + 1 and `branch` as its
// last writer.
GraphRoot migrate_root(prolly::NodeStore& nodes, const GraphRoot& root,
                       const compiler::Catalog& from, const compiler::Catalog& to,
                       const std::string& branch);

}  // namespace omnigraph::engine
