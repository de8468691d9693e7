// Small helpers for the CLI's `--json` output: one pretty document with a
// two-space indent, like the reference's serde_json::to_string_pretty.
#pragma once

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

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

inline void write_string(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

inline void write_optional(JsonWriter& w, const std::optional<std::string>& s) {
  if (s) {
    write_string(w, *s);
  } else {
    w.Null();
  }
}

}  // namespace omnigraph::cli
