// RapidJSON 1.1.0 (Debian's) rejects a `\uD800`-`\uDBFF` escape without its
// low half, but decodes a lone `\uDC00`-`\uDFFF` escape into bytes that are
// not UTF-8 (and would be stored and exported as such). The JSON parsers
// that take user input check for that escape themselves and report it as
// RapidJSON reports the other half of the case
// (kParseErrorStringUnicodeSurrogateInvalid).
#pragma once

#include <rapidjson/error/error.h>

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace omnigraph {

// The offset of the backslash of the first `\uDC00`-`\uDFFF` escape in
// `json` that does not directly follow a `\uD800`-`\uDBFF` escape.
std::optional<size_t> find_lone_low_surrogate(std::string_view json);

// The first problem in `json` given what RapidJSON reported for it (`code`
// at `offset`, kParseErrorNone when it parsed): RapidJSON's error, or a
// lone low surrogate escape when one comes first.
std::pair<rapidjson::ParseErrorCode, size_t> first_json_error(rapidjson::ParseErrorCode code,
                                                              size_t offset, std::string_view json);

}  // namespace omnigraph
