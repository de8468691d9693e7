#include "common/json_surrogates.h"

#include <cstring>

namespace omnigraph {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The code unit of a `\uXXXX` escape starting at json[at], or -1.
long escape_unit(std::string_view json, size_t at) {
  if (at + 6 > json.size() || json[at + 1] != 'u') return -1;
  long unit = 0;
  for (size_t i = at + 2; i < at + 6; ++i) {
    const int digit = hex_digit(json[i]);
    if (digit < 0) return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}

}  // namespace

std::optional<size_t> find_lone_low_surrogate(std::string_view json) {
  size_t high_end = std::string_view::npos;  // where the last high-surrogate escape ended
  size_t at = 0;
  while (at < json.size()) {
    const void* found = std::memchr(json.data() + at, '\\', json.size() - at);
    if (found == nullptr) break;
    at = static_cast<size_t>(static_cast<const char*>(found) - json.data());
    // Every backslash in valid JSON starts a two-character escape, so
    // stepping escape by escape never starts inside one (`\\u` is text).
    const long unit = escape_unit(json, at);
    if (unit >= 0xDC00 && unit <= 0xDFFF && high_end != at) return at;
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      high_end = at + 6;
    }
    at += unit >= 0 ? 6 : 2;
  }
  return std::nullopt;
}

std::pair<rapidjson::ParseErrorCode, size_t> first_json_error(rapidjson::ParseErrorCode code,
                                                              size_t offset,
                                                              std::string_view json) {
  const std::optional<size_t> lone = find_lone_low_surrogate(json);
  if (lone && (code == rapidjson::kParseErrorNone || *lone < offset)) {
    return {rapidjson::kParseErrorStringUnicodeSurrogateInvalid, *lone};
  }
  return {code, offset};
}

}  // namespace omnigraph
