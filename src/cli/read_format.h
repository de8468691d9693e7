// Renders a read result for the terminal in the five formats of the
// reference CLI (`--format json|jsonl|csv|table|kv`). The input is the
// HTTP API's ReadOutput document (query_name, target, row_count, columns,
// rows), so a local read and a read through a server print the same text:
// a local ReadResult is first encoded as the server encodes it
// (engine/result_json.h). csv, table and kv print strings bare, null as
// `null` and lists as compact JSON.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "omnigraph/graph.h"

namespace omnigraph::cli {

enum class ReadFormat { kTable, kKv, kCsv, kJsonl, kJson };

// "table", "kv", "csv", "jsonl", "json"; nullopt for anything else.
std::optional<ReadFormat> parse_read_format(std::string_view text);
// The accepted names, comma separated, for error messages.
std::string read_format_choices();

// How table cells longer than the column width show: cut with `…`, or
// split over several lines.
enum class TableCellLayout { kTruncate, kWrap };

// "truncate", "wrap"; nullopt for anything else.
std::optional<TableCellLayout> parse_table_cell_layout(std::string_view text);

struct ReadRenderOptions {
  // Table columns are at most this wide (never below 8).
  std::size_t max_column_width = 80;
  TableCellLayout cell_layout = TableCellLayout::kTruncate;
};

// The rendered text without a trailing newline. `output` is a ReadOutput
// object; without `columns` (older servers omit it when empty) the columns
// are the sorted union of the row keys.
std::string render_read(const rapidjson::Value& output, ReadFormat format,
                        const ReadRenderOptions& options = {});
std::string render_read(const ReadResult& result, ReadFormat format,
                        const ReadRenderOptions& options = {});

}  // namespace omnigraph::cli
