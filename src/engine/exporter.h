// NDJSON export of a graph state (engine.md §6): tables in ascending
// table-key order (all edge:* tables before node:*), rows by id, one JSON
// object per line in the shape `load` reads back. Streams: memory does not
// grow with the graph.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "engine/graph_view.h"

namespace omnigraph::engine {

struct ExportFilter {
  std::vector<std::string> types;       // --type T: node:T and/or edge:T
  std::vector<std::string> table_keys;  // --table K
};

// Throws Error(kBadRequest) for `unknown export type 'T'` / `unknown export
// table 'K'` before writing anything. Returns the number of lines written.
uint64_t export_jsonl(const GraphView& view, std::ostream& out, const ExportFilter& filter = {});

}  // namespace omnigraph::engine
