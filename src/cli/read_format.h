// Renders a read result for the terminal in the five formats of the
// reference CLI (`--format json|jsonl|csv|table|kv`). Rows are JSON objects
// keyed by column in projection order, cells encoded as the HTTP API
// encodes them (engine/result_json.h); csv, table and kv print strings
// bare, null as `null` and lists as compact JSON.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "omnigraph/graph.h"

namespace omnigraph::cli {

enum class ReadFormat { kTable, kKv, kCsv, kJsonl, kJson };

// "table", "kv", "csv", "jsonl", "json"; nullopt for anything else.
std::optional<ReadFormat> parse_read_format(std::string_view text);
// The accepted names, comma separated, for error messages.
std::string read_format_choices();

struct ReadRenderOptions {
  // Table cells longer than this are cut with `…` (never below 8).
  std::size_t max_column_width = 80;
};

// The rendered text without a trailing newline.
std::string render_read(const ReadResult& result, ReadFormat format,
                        const ReadRenderOptions& options = {});

}  // namespace omnigraph::cli
