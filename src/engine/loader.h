// JSONL loading (languages.md §5): node and edge lines, validated as a whole
// and written into a GraphWriter; the caller commits the writer's root once,
// so a load is one atomic commit and a failed load writes nothing visible.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <map>
#include <string>
#include <string_view>

#include "engine/graph_writer.h"

namespace omnigraph::engine {

enum class LoadMode { kOverwrite, kAppend, kMerge };

// "overwrite" / "append" / "merge"; Error(kBadRequest) naming the value otherwise.
LoadMode parse_load_mode(std::string_view text);
std::string_view load_mode_name(LoadMode mode);

struct LoadSummary {
  std::map<std::string, uint64_t> nodes_loaded;  // node type -> rows in this input
  std::map<std::string, uint64_t> edges_loaded;  // edge type -> rows in this input
};

// Called now and then with the number of input bytes consumed so far.
using LoadProgress = std::function<void(uint64_t bytes_read)>;

// Reads every line of `input`, validates and stages it into `writer`.
// Throws Error(kBadRequest) naming the line (or the edge row) on bad input.
LoadSummary load_jsonl(GraphWriter& writer, std::istream& input, LoadMode mode,
                       const LoadProgress& progress = {});

}  // namespace omnigraph::engine
