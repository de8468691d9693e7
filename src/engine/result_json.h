// Encodes result cells as the reference's JSON (languages.md §6.2): dates
// as "YYYY-MM-DD", datetimes as "YYYY-MM-DDTHH:MM:SS.mmmZ", 64-bit integers
// as numbers, non-finite floats as "NaN"/"Infinity"/"-Infinity", blobs as
// null (their bytes come from a separate API), vectors as number arrays.
#pragma once

#include <cmath>

#include "engine/temporal.h"
#include "engine/value.h"

namespace omnigraph::engine {

// Writer is any RapidJSON writer (Writer<StringBuffer>, PrettyWriter, ...).
template <typename Writer>
void write_result_value(Writer& writer, const Value& value) {
  auto write_string = [&](const std::string& s) {
    writer.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  };
  auto write_double = [&](double d) {
    if (std::isnan(d)) {
      writer.String("NaN");
    } else if (std::isinf(d)) {
      writer.String(d > 0 ? "Infinity" : "-Infinity");
    } else {
      writer.Double(d);
    }
  };
  switch (value.kind()) {
    case Value::Kind::kNull: writer.Null(); break;
    case Value::Kind::kBool: writer.Bool(value.as_bool()); break;
    case Value::Kind::kInt: writer.Int64(value.as_int()); break;
    case Value::Kind::kUInt: writer.Uint64(value.as_uint()); break;
    case Value::Kind::kFloat: write_double(value.as_float()); break;
    case Value::Kind::kString: write_string(value.as_string()); break;
    case Value::Kind::kDate: write_string(format_date(value.as_date())); break;
    case Value::Kind::kDateTime: write_string(format_datetime(value.as_datetime())); break;
    case Value::Kind::kBlob: writer.Null(); break;
    case Value::Kind::kList:
      writer.StartArray();
      for (const Value& element : value.as_list()) write_result_value(writer, element);
      writer.EndArray();
      break;
    case Value::Kind::kVector:
      writer.StartArray();
      for (float f : value.as_vector().values) write_double(static_cast<double>(f));
      writer.EndArray();
      break;
  }
}

}  // namespace omnigraph::engine
