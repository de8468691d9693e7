#include "cli/read_format.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/result_json.h"
#include "engine/temporal.h"

namespace omnigraph::cli {
namespace {

using engine::Value;

constexpr std::pair<std::string_view, ReadFormat> kFormats[] = {
    {"table", ReadFormat::kTable}, {"kv", ReadFormat::kKv},     {"csv", ReadFormat::kCsv},
    {"jsonl", ReadFormat::kJsonl}, {"json", ReadFormat::kJson},
};

template <typename Writer>
void write_string(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

template <typename Writer>
void write_optional(Writer& w, const std::optional<std::string>& s) {
  if (s) {
    write_string(w, *s);
  } else {
    w.Null();
  }
}

template <typename Writer>
void write_target(Writer& w, const ReadResult& r) {
  w.StartObject();
  w.Key("branch");
  write_optional(w, r.branch);
  w.Key("snapshot");
  write_optional(w, r.snapshot);
  w.EndObject();
}

template <typename Writer>
void write_row(Writer& w, const ReadResult& r, const std::vector<Value>& row) {
  w.StartObject();
  for (std::size_t i = 0; i < r.columns.size(); ++i) {
    write_string(w, r.columns[i]);
    if (i < row.size()) {
      engine::write_result_value(w, row[i]);
    } else {
      w.Null();
    }
  }
  w.EndObject();
}

std::string render_json(const ReadResult& r) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  w.SetIndent(' ', 2);
  w.StartObject();
  w.Key("query_name");
  write_string(w, r.query_name);
  w.Key("target");
  write_target(w, r);
  w.Key("row_count");
  w.Uint64(r.rows.size());
  // Omitted when empty, like the reference's skip_serializing_if.
  if (!r.columns.empty()) {
    w.Key("columns");
    w.StartArray();
    for (const auto& c : r.columns) write_string(w, c);
    w.EndArray();
  }
  w.Key("rows");
  w.StartArray();
  for (const auto& row : r.rows) write_row(w, r, row);
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string render_jsonl(const ReadResult& r) {
  rapidjson::StringBuffer buffer;
  {
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    w.Key("kind");
    w.String("metadata");
    w.Key("query_name");
    write_string(w, r.query_name);
    w.Key("target");
    write_target(w, r);
    w.Key("row_count");
    w.Uint64(r.rows.size());
    w.EndObject();
  }
  std::string out(buffer.GetString(), buffer.GetSize());
  for (const auto& row : r.rows) {
    buffer.Clear();
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    write_row(w, r, row);
    out += '\n';
    out.append(buffer.GetString(), buffer.GetSize());
  }
  return out;
}

// A cell as csv/table/kv show it: strings (and what JSON encodes as
// strings: dates, non-finite floats) bare, everything else as compact JSON.
std::string stringify(const Value& value) {
  switch (value.kind()) {
    case Value::Kind::kNull:
    case Value::Kind::kBlob: return "null";
    case Value::Kind::kString: return value.as_string();
    case Value::Kind::kDate: return engine::format_date(value.as_date());
    case Value::Kind::kDateTime: return engine::format_datetime(value.as_datetime());
    case Value::Kind::kFloat: {
      double d = value.as_float();
      if (std::isnan(d)) return "NaN";
      if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
      break;
    }
    default: break;
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  engine::write_result_value(w, value);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// The stringified cells, row by row, one per column.
std::vector<std::vector<std::string>> stringify_rows(const ReadResult& r) {
  std::vector<std::vector<std::string>> out;
  out.reserve(r.rows.size());
  for (const auto& row : r.rows) {
    std::vector<std::string> cells;
    cells.reserve(r.columns.size());
    for (std::size_t i = 0; i < r.columns.size(); ++i) {
      cells.push_back(i < row.size() ? stringify(row[i]) : std::string("null"));
    }
    out.push_back(std::move(cells));
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

std::string csv_escape(const std::string& value) {
  if (value.find_first_of(",\"\n\r") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string render_csv(const ReadResult& r) {
  std::vector<std::string> lines;
  std::vector<std::string> header;
  for (const auto& c : r.columns) header.push_back(csv_escape(c));
  lines.push_back(join(header, ","));
  for (auto& cells : stringify_rows(r)) {
    for (auto& cell : cells) cell = csv_escape(cell);
    lines.push_back(join(cells, ","));
  }
  return join(lines, "\n");
}

std::string header_line(const ReadResult& r) {
  std::string target = r.snapshot ? "snapshot " + *r.snapshot
                       : r.branch ? "branch " + *r.branch
                                  : std::string("target");
  return std::to_string(r.rows.size()) + " rows from " + target + " via " + r.query_name;
}

std::string render_kv(const ReadResult& r) {
  std::vector<std::string> lines{header_line(r)};
  if (r.rows.empty()) {
    lines.push_back("(no rows)");
    return join(lines, "\n");
  }
  auto rows = stringify_rows(r);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) lines.emplace_back();
    lines.push_back("row " + std::to_string(i + 1));
    for (std::size_t c = 0; c < r.columns.size(); ++c) {
      lines.push_back(r.columns[c] + ": " + rows[i][c]);
    }
  }
  return join(lines, "\n");
}

// Widths count characters (code points), not bytes.
std::size_t char_count(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// The byte length of the first `n` characters of `s`.
std::size_t prefix_bytes(std::string_view s, std::size_t n) {
  std::size_t i = 0;
  for (std::size_t seen = 0; i < s.size(); ++i) {
    if ((s[i] & 0xC0) != 0x80) {
      if (seen == n) break;
      ++seen;
    }
  }
  return i;
}

std::string normalize_cell(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// Display width of a normalized cell: its one line, less a trailing CR
// (what a line split drops).
std::size_t cell_width(std::string_view cell) {
  if (!cell.empty() && cell.back() == '\r') cell.remove_suffix(1);
  return char_count(cell);
}

std::string fit_cell(const std::string& value, std::size_t width) {
  if (char_count(value) <= width) return value;
  if (width <= 1) return value.substr(0, prefix_bytes(value, width));
  return value.substr(0, prefix_bytes(value, width - 1)) + "\u2026";
}

std::string pad(const std::string& value, std::size_t width) {
  std::size_t n = char_count(value);
  return n >= width ? value : value + std::string(width - n, ' ');
}

std::string render_table(const ReadResult& r, const ReadRenderOptions& options) {
  std::vector<std::string> lines{header_line(r)};
  if (r.columns.empty()) {
    lines.push_back("(no rows)");
    return join(lines, "\n");
  }
  auto rows = stringify_rows(r);
  for (auto& cells : rows) {
    for (auto& cell : cells) cell = normalize_cell(cell);
  }
  const std::size_t max_width = options.max_column_width;
  std::vector<std::size_t> widths;
  for (std::size_t c = 0; c < r.columns.size(); ++c) {
    std::size_t width = char_count(r.columns[c]);
    for (const auto& cells : rows)
      width = std::max(width, std::min(cell_width(cells[c]), max_width));
    widths.push_back(std::min(width, std::max<std::size_t>(max_width, 8)));
  }

  std::vector<std::string> parts;
  for (std::size_t c = 0; c < r.columns.size(); ++c) parts.push_back(pad(r.columns[c], widths[c]));
  lines.push_back(join(parts, " | "));
  parts.clear();
  for (std::size_t width : widths) parts.emplace_back(width, '-');
  lines.push_back(join(parts, "-+-"));

  for (const auto& cells : rows) {
    parts.clear();
    for (std::size_t c = 0; c < cells.size(); ++c) {
      parts.push_back(pad(fit_cell(cells[c], widths[c]), widths[c]));
    }
    lines.push_back(join(parts, " | "));
  }
  return join(lines, "\n");
}

}  // namespace

std::optional<ReadFormat> parse_read_format(std::string_view text) {
  for (const auto& [name, format] : kFormats) {
    if (name == text) return format;
  }
  return std::nullopt;
}

std::string read_format_choices() {
  std::string out;
  for (const auto& [name, format] : kFormats) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

std::string render_read(const ReadResult& result, ReadFormat format,
                        const ReadRenderOptions& options) {
  switch (format) {
    case ReadFormat::kJson: return render_json(result);
    case ReadFormat::kJsonl: return render_jsonl(result);
    case ReadFormat::kCsv: return render_csv(result);
    case ReadFormat::kKv: return render_kv(result);
    case ReadFormat::kTable: return render_table(result, options);
  }
  return {};
}

}  // namespace omnigraph::cli
