// A thin layer over RapidJSON's writer for building response objects field
// by field in declaration order (the wire contract fixes the order).
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omnigraph::server::http {

class JsonWriter {
 public:
  JsonWriter() : writer_(buffer_) {}

  JsonWriter& begin_object() { return writer_.StartObject(), *this; }
  JsonWriter& end_object() { return writer_.EndObject(), *this; }
  JsonWriter& begin_array() { return writer_.StartArray(), *this; }
  JsonWriter& end_array() { return writer_.EndArray(), *this; }

  JsonWriter& key(std::string_view k) {
    writer_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
    return *this;
  }
  JsonWriter& string(std::string_view s) {
    writer_.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    return *this;
  }
  JsonWriter& optional_string(const std::optional<std::string>& s) {
    if (s) return string(*s);
    writer_.Null();
    return *this;
  }
  JsonWriter& null() { return writer_.Null(), *this; }
  JsonWriter& boolean(bool b) { return writer_.Bool(b), *this; }
  JsonWriter& u64(uint64_t v) { return writer_.Uint64(v), *this; }
  JsonWriter& i64(int64_t v) { return writer_.Int64(v), *this; }
  // Splices already-encoded JSON (e.g. schema steps) in as one value.
  JsonWriter& raw(std::string_view json) {
    writer_.RawValue(json.data(), json.size(), rapidjson::kObjectType);
    return *this;
  }
  JsonWriter& string_array(const std::vector<std::string>& items) {
    begin_array();
    for (const auto& item : items) string(item);
    return end_array();
  }

  // Field shorthands.
  JsonWriter& field(std::string_view k, std::string_view v) { return key(k).string(v); }
  JsonWriter& field(std::string_view k, const char* v) { return key(k).string(v); }
  JsonWriter& field(std::string_view k, const std::string& v) { return key(k).string(v); }
  JsonWriter& field(std::string_view k, const std::optional<std::string>& v) {
    return key(k).optional_string(v);
  }
  JsonWriter& field(std::string_view k, bool v) { return key(k).boolean(v); }
  JsonWriter& field(std::string_view k, uint64_t v) { return key(k).u64(v); }
  JsonWriter& field(std::string_view k, int64_t v) { return key(k).i64(v); }

  rapidjson::Writer<rapidjson::StringBuffer>& raw_writer() { return writer_; }
  std::string str() const { return std::string(buffer_.GetString(), buffer_.GetSize()); }

 private:
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

}  // namespace omnigraph::server::http
