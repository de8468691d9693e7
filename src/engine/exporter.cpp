#include "engine/exporter.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "common/base64.h"
#include "common/error.h"
#include "engine/temporal.h"

namespace omnigraph::engine {
namespace {

using compiler::Property;
using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr size_t kFlushBytes = 64 * 1024;

// The reference writes a DateTime the way Arrow displays a Date64: chrono's
// NaiveDateTime debug form, "2024-01-15T10:30:00" plus ".mmm" when the
// milliseconds are not zero, no zone (the loader reads it back as UTC).
std::string export_datetime(DateTime time) {
  constexpr int64_t kMillisPerDay = 86'400'000;
  int64_t days = time.millis / kMillisPerDay;
  int64_t millis = time.millis % kMillisPerDay;
  if (millis < 0) {
    millis += kMillisPerDay;
    --days;
  }
  int64_t year = 0;
  unsigned month = 0;
  unsigned day = 0;
  civil_from_days(days, year, month, day);
  char text[64];
  int n = 0;
  if (year >= 0 && year <= 9999) {
    n = std::snprintf(text, sizeof text, "%04lld-%02u-%02u", static_cast<long long>(year), month,
                      day);
  } else {
    n = std::snprintf(text, sizeof text, "%+05lld-%02u-%02u", static_cast<long long>(year), month,
                      day);
  }
  const int64_t seconds = millis / 1000;
  n += std::snprintf(
      text + n, sizeof text - n, "T%02lld:%02lld:%02lld", static_cast<long long>(seconds / 3600),
      static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60));
  if (millis % 1000 != 0) {
    n += std::snprintf(text + n, sizeof text - n, ".%03lld", static_cast<long long>(millis % 1000));
  }
  return std::string(text, n);
}

// Rust's Display of a non-finite float, for the reference's error text.
std::string non_finite_text(double v) {
  if (std::isnan(v)) return "NaN";
  return v < 0 ? "-inf" : "inf";
}

void write_float(JsonWriter& json, double v, bool is_f32) {
  if (!std::isfinite(v)) {
    throw_internal(std::string("cannot encode ") + (is_f32 ? "f32" : "f64") + " value '" +
                   non_finite_text(v) + "' as JSON");
  }
  json.Double(v);
}

void write_string(JsonWriter& json, std::string_view text) {
  json.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

void write_value(JsonWriter& json, const Value& value, bool is_f32) {
  switch (value.kind()) {
    case Value::Kind::kNull: json.Null(); return;
    case Value::Kind::kBool: json.Bool(value.as_bool()); return;
    case Value::Kind::kInt: json.Int64(value.as_int()); return;
    case Value::Kind::kUInt: json.Uint64(value.as_uint()); return;
    case Value::Kind::kFloat: write_float(json, value.as_float(), is_f32); return;
    case Value::Kind::kString: write_string(json, value.as_string()); return;
    case Value::Kind::kDate: json.Int(value.as_date().days); return;
    case Value::Kind::kDateTime: write_string(json, export_datetime(value.as_datetime())); return;
    case Value::Kind::kBlob: {
      const Blob& blob = value.as_blob();
      if (blob.is_uri) {
        write_string(json, blob.data);
      } else {
        write_string(json, "base64:" + base64_encode(blob.data));
      }
      return;
    }
    case Value::Kind::kList:
      json.StartArray();
      for (const Value& element : value.as_list()) write_value(json, element, is_f32);
      json.EndArray();
      return;
    case Value::Kind::kVector:
      json.StartArray();
      for (float element : value.as_vector().values) write_float(json, element, true);
      json.EndArray();
      return;
  }
}

// The reference emits a table's properties in its storage column order,
// which is by property name (its catalog is rebuilt from the schema IR,
// whose properties are sorted by name).
std::vector<const Property*> export_order(const std::vector<Property>& properties) {
  std::vector<const Property*> out;
  out.reserve(properties.size());
  for (const Property& property : properties) out.push_back(&property);
  std::stable_sort(out.begin(), out.end(),
                   [](const Property* a, const Property* b) { return a->name < b->name; });
  return out;
}

bool is_f32(const Property& property) {
  return property.type.scalar == compiler::ScalarKind::kF32;
}

// Buffers whole lines and hands them to the stream in chunks.
class LineSink {
 public:
  explicit LineSink(std::ostream& out) : out_(out), json_(buffer_) {}

  JsonWriter& begin_line() {
    json_.Reset(buffer_);
    return json_;
  }
  void end_line() {
    buffer_.Put('\n');
    ++lines_;
    if (buffer_.GetSize() >= kFlushBytes) flush();
  }
  void flush() {
    out_.write(buffer_.GetString(), static_cast<std::streamsize>(buffer_.GetSize()));
    buffer_.Clear();
    if (!out_) throw_internal("error writing the export output");
  }
  uint64_t lines() const { return lines_; }

 private:
  std::ostream& out_;
  rapidjson::StringBuffer buffer_;
  JsonWriter json_;
  uint64_t lines_ = 0;
};

void write_data(JsonWriter& json, std::string_view id, const Row& row,
                const std::vector<const Property*>& properties) {
  json.Key("data");
  json.StartObject();
  json.Key("id");
  write_string(json, id);
  for (const Property* property : properties) {
    write_string(json, property->name);
    write_value(json, row.get(property->id), is_f32(*property));
  }
  json.EndObject();
}

void export_node_table(const GraphView& view, const compiler::NodeType& type, LineSink& sink) {
  const auto properties = export_order(type.properties);
  view.scan_nodes(type, [&](std::string_view id, const Row& row) {
    JsonWriter& json = sink.begin_line();
    json.StartObject();
    json.Key("type");
    write_string(json, type.name);
    write_data(json, id, row, properties);
    json.EndObject();
    sink.end_line();
    return true;
  });
}

void export_edge_table(const GraphView& view, const compiler::EdgeType& type, LineSink& sink) {
  const auto properties = export_order(type.properties);
  view.scan_edges(type, [&](std::string_view id, const EdgeRecord& edge) {
    JsonWriter& json = sink.begin_line();
    json.StartObject();
    json.Key("edge");
    write_string(json, type.name);
    json.Key("from");
    write_string(json, edge.src);
    json.Key("to");
    write_string(json, edge.dst);
    write_data(json, id, edge.row, properties);
    json.EndObject();
    sink.end_line();
    return true;
  });
}

// The selected table keys in ascending byte order (std::set of std::string
// compares bytewise): every edge:* table before every node:* table.
std::set<std::string> select_tables(const GraphView& view, const ExportFilter& filter) {
  const auto& available = view.root().tables;
  std::set<std::string> selected;
  for (const std::string& key : filter.table_keys) {
    if (available.count(key) == 0) throw_bad_request("unknown export table '" + key + "'");
    selected.insert(key);
  }
  for (const std::string& name : filter.types) {
    bool matched = false;
    for (std::string key : {"node:" + name, "edge:" + name}) {
      if (available.count(key) > 0) {
        selected.insert(std::move(key));
        matched = true;
      }
    }
    if (!matched) throw_bad_request("unknown export type '" + name + "'");
  }
  if (selected.empty()) {
    for (const auto& [key, state] : available) selected.insert(key);
  }
  return selected;
}

}  // namespace

uint64_t export_jsonl(const GraphView& view, std::ostream& out, const ExportFilter& filter) {
  const std::set<std::string> tables = select_tables(view, filter);
  const compiler::Catalog& catalog = view.catalog();
  LineSink sink(out);
  for (const std::string& key : tables) {
    if (const compiler::NodeType* node = catalog.node_for_table_key(key)) {
      export_node_table(view, *node, sink);
    } else if (const compiler::EdgeType* edge = catalog.edge_for_table_key(key)) {
      export_edge_table(view, *edge, sink);
    } else {
      throw_internal("table '" + key + "' is not in the graph's schema");
    }
  }
  sink.flush();
  return sink.lines();
}

}  // namespace omnigraph::engine
