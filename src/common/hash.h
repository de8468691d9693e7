// Content addresses: the SHA-256 of a chunk's bytes.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>

namespace omnigraph {

struct Hash {
  static constexpr size_t kSize = 32;
  std::array<uint8_t, kSize> bytes{};

  // SHA-256 of `data`.
  static Hash of(std::string_view data);
  // Parses 64 lowercase/uppercase hex characters; throws Error(kBadRequest) otherwise.
  static Hash from_hex(std::string_view hex);
  // Takes exactly 32 raw bytes; throws Error(kInternal) otherwise.
  static Hash from_bytes(std::string_view raw);

  std::string hex() const;
  std::string_view raw() const {
    return {reinterpret_cast<const char*>(bytes.data()), kSize};
  }
  // The all-zero hash stands for "no chunk" (an empty tree, no parent).
  bool is_zero() const;

  friend bool operator==(const Hash&, const Hash&) = default;
  friend auto operator<=>(const Hash&, const Hash&) = default;
};

struct HashHasher {
  size_t operator()(const Hash& h) const {
    size_t v;
    std::memcpy(&v, h.bytes.data(), sizeof v);  // already uniformly distributed
    return v;
  }
};

}  // namespace omnigraph
