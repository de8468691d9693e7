// Small helpers for the CLI's JSON: `--json` output is one pretty document
// with a two-space indent, like the reference's serde_json::to_string_pretty;
// command results are contract-shaped rapidjson documents (cli/backend.h).
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

namespace omnigraph::cli {

using JsonWriter = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

// Prints the document `body(writer)` writes, then a newline.
template <typename Body>
void print_json(Body&& body) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.SetIndent(' ', 2);
  body(w);
  std::cout << buffer.GetString() << "\n";
}

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

using CompactWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// A document built by `body(writer)`; member order is kept as written, so
// documents mirror the server's output field by field.
template <typename Body>
rapidjson::Document make_document(Body&& body) {
  rapidjson::StringBuffer buffer;
  CompactWriter w(buffer);
  body(w);
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseFullPrecisionFlag>(buffer.GetString(), buffer.GetSize());
  return doc;
}

// `value` as compact JSON text.
inline std::string to_compact_json(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  CompactWriter w(buffer);
  value.Accept(w);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// Prints `value` like print_json.
inline void print_document(const rapidjson::Value& value) {
  print_json([&](JsonWriter& w) { value.Accept(w); });
}

// Field accessors for documents the CLI built or a server sent; a missing
// or mistyped field reads as empty / 0 / nullopt.
inline std::string get_string(const rapidjson::Value& object, const char* key) {
  if (!object.IsObject()) return {};
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsString()) return {};
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

inline std::optional<std::string> get_optional_string(const rapidjson::Value& object,
                                                      const char* key) {
  if (!object.IsObject()) return std::nullopt;
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

inline uint64_t get_uint(const rapidjson::Value& object, const char* key) {
  if (!object.IsObject()) return 0;
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsUint64()) return 0;
  return it->value.GetUint64();
}

inline int64_t get_int(const rapidjson::Value& object, const char* key) {
  if (!object.IsObject()) return 0;
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsInt64()) return 0;
  return it->value.GetInt64();
}

inline bool get_bool(const rapidjson::Value& object, const char* key) {
  if (!object.IsObject()) return false;
  auto it = object.FindMember(key);
  return it != object.MemberEnd() && it->value.IsBool() && it->value.GetBool();
}

// The array member `key`, or an empty array when absent.
inline const rapidjson::Value& get_array(const rapidjson::Value& object, const char* key) {
  static const rapidjson::Value kEmpty(rapidjson::kArrayType);
  if (!object.IsObject()) return kEmpty;
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsArray()) return kEmpty;
  return it->value;
}

}  // namespace omnigraph::cli
