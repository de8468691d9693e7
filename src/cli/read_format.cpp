#include "cli/read_format.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <set>
#include <vector>

#include "cli/cli_json.h"
#include "engine/result_json.h"
#include "engine/wire_output.h"

namespace omnigraph::cli {
namespace {

using Json = rapidjson::Value;

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

std::string compact(const Json& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  value.Accept(w);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string member_string(const Json& object, const char* key) {
  if (!object.IsObject()) return {};
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsString()) return {};
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

const Json* member(const Json& object, const char* key) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(key);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

// The parts of a ReadOutput the text formats need.
struct View {
  std::string query_name;
  std::optional<std::string> branch;
  std::optional<std::string> snapshot;
  uint64_t row_count = 0;
  std::vector<std::string> columns;
  std::vector<const Json*> rows;  // objects keyed by column
};

View view_of(const Json& output) {
  View v;
  v.query_name = member_string(output, "query_name");
  if (const Json* target = member(output, "target"); target && target->IsObject()) {
    if (const Json* b = member(*target, "branch"); b && b->IsString()) v.branch = b->GetString();
    if (const Json* s = member(*target, "snapshot"); s && s->IsString()) {
      v.snapshot = s->GetString();
    }
  }
  if (const Json* rows = member(output, "rows"); rows && rows->IsArray()) {
    for (const Json& row : rows->GetArray()) v.rows.push_back(&row);
  }
  if (const Json* n = member(output, "row_count"); n && n->IsUint64()) {
    v.row_count = n->GetUint64();
  } else {
    v.row_count = v.rows.size();
  }
  if (const Json* columns = member(output, "columns"); columns && columns->IsArray()) {
    for (const Json& c : columns->GetArray()) {
      if (c.IsString()) v.columns.emplace_back(c.GetString(), c.GetStringLength());
    }
  }
  if (v.columns.empty()) {
    std::set<std::string> keys;
    for (const Json* row : v.rows) {
      if (!row->IsObject()) continue;
      for (const auto& m : row->GetObject())
        keys.emplace(m.name.GetString(), m.name.GetStringLength());
    }
    v.columns.assign(keys.begin(), keys.end());
  }
  return v;
}

// A cell as csv/table/kv show it: strings bare, null as `null`, everything
// else as compact JSON.
std::string stringify(const Json* value) {
  if (value == nullptr || value->IsNull()) return "null";
  if (value->IsString()) return std::string(value->GetString(), value->GetStringLength());
  return compact(*value);
}

std::vector<std::vector<std::string>> stringify_rows(const View& v) {
  std::vector<std::vector<std::string>> out;
  out.reserve(v.rows.size());
  for (const Json* row : v.rows) {
    std::vector<std::string> cells;
    cells.reserve(v.columns.size());
    for (const std::string& column : v.columns) {
      const Json* cell = nullptr;
      if (row->IsObject()) {
        auto it = row->FindMember(column.c_str());
        if (it != row->MemberEnd()) cell = &it->value;
      }
      cells.push_back(stringify(cell));
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

std::string render_json(const Json& output) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  w.SetIndent(' ', 2);
  output.Accept(w);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string render_jsonl(const View& v) {
  rapidjson::StringBuffer buffer;
  {
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    w.Key("kind");
    w.String("metadata");
    w.Key("query_name");
    write_string(w, v.query_name);
    w.Key("target");
    w.StartObject();
    w.Key("branch");
    write_optional(w, v.branch);
    w.Key("snapshot");
    write_optional(w, v.snapshot);
    w.EndObject();
    w.Key("row_count");
    w.Uint64(v.row_count);
    w.EndObject();
  }
  std::string out(buffer.GetString(), buffer.GetSize());
  for (const Json* row : v.rows) {
    out += '\n';
    out += compact(*row);
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

std::string render_csv(const View& v) {
  std::vector<std::string> lines;
  std::vector<std::string> header;
  for (const auto& c : v.columns) header.push_back(csv_escape(c));
  lines.push_back(join(header, ","));
  for (auto& cells : stringify_rows(v)) {
    for (auto& cell : cells) cell = csv_escape(cell);
    lines.push_back(join(cells, ","));
  }
  return join(lines, "\n");
}

std::string header_line(const View& v) {
  std::string target = v.snapshot ? "snapshot " + *v.snapshot
                       : v.branch ? "branch " + *v.branch
                                  : std::string("target");
  return std::to_string(v.row_count) + " rows from " + target + " via " + v.query_name;
}

std::string render_kv(const View& v) {
  std::vector<std::string> lines{header_line(v)};
  if (v.rows.empty()) {
    lines.push_back("(no rows)");
    return join(lines, "\n");
  }
  auto rows = stringify_rows(v);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) lines.emplace_back();
    lines.push_back("row " + std::to_string(i + 1));
    for (std::size_t c = 0; c < v.columns.size(); ++c) {
      lines.push_back(v.columns[c] + ": " + rows[i][c]);
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

std::vector<std::string> split_cell(const std::string& value, std::size_t width,
                                    TableCellLayout layout) {
  if (char_count(value) <= width) return {value};
  if (layout == TableCellLayout::kTruncate) {
    if (width <= 1) return {value.substr(0, prefix_bytes(value, width))};
    return {value.substr(0, prefix_bytes(value, width - 1)) + "\u2026"};
  }
  std::vector<std::string> parts;
  std::string_view rest = value;
  const std::size_t step = std::max<std::size_t>(width, 1);
  while (!rest.empty()) {
    std::size_t bytes = prefix_bytes(rest, step);
    parts.emplace_back(rest.substr(0, bytes));
    rest.remove_prefix(bytes);
  }
  return parts;
}

std::string pad(const std::string& value, std::size_t width) {
  std::size_t n = char_count(value);
  return n >= width ? value : value + std::string(width - n, ' ');
}

std::string render_table(const View& v, const ReadRenderOptions& options) {
  std::vector<std::string> lines{header_line(v)};
  if (v.columns.empty()) {
    lines.push_back("(no rows)");
    return join(lines, "\n");
  }
  auto rows = stringify_rows(v);
  for (auto& cells : rows) {
    for (auto& cell : cells) cell = normalize_cell(cell);
  }
  const std::size_t max_width = options.max_column_width;
  std::vector<std::size_t> widths;
  for (std::size_t c = 0; c < v.columns.size(); ++c) {
    std::size_t width = char_count(v.columns[c]);
    for (const auto& cells : rows)
      width = std::max(width, std::min(cell_width(cells[c]), max_width));
    widths.push_back(std::min(width, std::max<std::size_t>(max_width, 8)));
  }

  std::vector<std::string> parts;
  for (std::size_t c = 0; c < v.columns.size(); ++c) parts.push_back(pad(v.columns[c], widths[c]));
  lines.push_back(join(parts, " | "));
  parts.clear();
  for (std::size_t width : widths) parts.emplace_back(width, '-');
  lines.push_back(join(parts, "-+-"));

  for (const auto& cells : rows) {
    std::vector<std::vector<std::string>> segments;
    std::size_t height = 1;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      segments.push_back(split_cell(cells[c], widths[c], options.cell_layout));
      height = std::max(height, segments.back().size());
    }
    for (std::size_t line = 0; line < height; ++line) {
      parts.clear();
      for (std::size_t c = 0; c < cells.size(); ++c) {
        parts.push_back(
            pad(line < segments[c].size() ? segments[c][line] : std::string(), widths[c]));
      }
      lines.push_back(join(parts, " | "));
    }
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

std::optional<TableCellLayout> parse_table_cell_layout(std::string_view text) {
  if (text == "truncate") return TableCellLayout::kTruncate;
  if (text == "wrap") return TableCellLayout::kWrap;
  return std::nullopt;
}

std::string render_read(const rapidjson::Value& output, ReadFormat format,
                        const ReadRenderOptions& options) {
  if (format == ReadFormat::kJson) return render_json(output);
  const View v = view_of(output);
  switch (format) {
    case ReadFormat::kJson: break;
    case ReadFormat::kJsonl: return render_jsonl(v);
    case ReadFormat::kCsv: return render_csv(v);
    case ReadFormat::kKv: return render_kv(v);
    case ReadFormat::kTable: return render_table(v, options);
  }
  return {};
}

std::string render_read(const ReadResult& result, ReadFormat format,
                        const ReadRenderOptions& options) {
  const rapidjson::Document output =
      make_document([&](CompactWriter& w) { engine::write_read_output(w, result); });
  return render_read(output, format, options);
}

}  // namespace omnigraph::cli
