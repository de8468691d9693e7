#include "common/hash.h"

#include <openssl/sha.h>

#include "common/error.h"

namespace omnigraph {

Hash Hash::of(std::string_view data) {
  Hash h;
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), h.bytes.data());
  return h;
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Hash Hash::from_hex(std::string_view hex) {
  if (hex.size() != kSize * 2) {
    throw_bad_request("invalid hash '" + std::string(hex) + "': expected 64 hex characters");
  }
  Hash h;
  for (size_t i = 0; i < kSize; ++i) {
    int hi = hex_value(hex[2 * i]);
    int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) throw_bad_request("invalid hash '" + std::string(hex) + "': not hex");
    h.bytes[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return h;
}

Hash Hash::from_bytes(std::string_view raw) {
  if (raw.size() != kSize) throw_internal("corrupt hash: expected 32 bytes, got " + std::to_string(raw.size()));
  Hash h;
  std::memcpy(h.bytes.data(), raw.data(), kSize);
  return h;
}

std::string Hash::hex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(kSize * 2, '0');
  for (size_t i = 0; i < kSize; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0xf];
  }
  return out;
}

bool Hash::is_zero() const {
  for (uint8_t b : bytes) {
    if (b != 0) return false;
  }
  return true;
}

}  // namespace omnigraph
