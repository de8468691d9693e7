// Standard base64 (RFC 4648, with padding), as blobs use in JSONL
// ("base64:<data>").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace omnigraph {

std::string base64_encode(std::string_view bytes);
// nullopt when `text` is not canonical padded base64 (wrong length, a
// character outside the alphabet, misplaced '=').
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace omnigraph
