// LEB128 varints and zigzag: the compact integer encoding used by every
// binary format in the project (rows, tree nodes, commits).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"

namespace omnigraph {

inline void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

inline uint64_t zigzag_encode(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline int64_t zigzag_decode(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

// Reads from a byte string, throwing Error(kInternal) on truncation: a
// short read always means a corrupt chunk, never bad user input.
class ByteReader {
 public:
  explicit ByteReader(std::string_view data) : data_(data) {}

  bool done() const { return pos_ >= data_.size(); }
  size_t remaining() const { return data_.size() - pos_; }

  uint64_t varint() {
    uint64_t result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t b = byte();
      result |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
    }
    throw_internal("corrupt data: varint too long");
  }
  int64_t svarint() { return zigzag_decode(varint()); }

  uint8_t byte() {
    if (pos_ >= data_.size()) throw_internal("corrupt data: unexpected end");
    return static_cast<uint8_t>(data_[pos_++]);
  }

  std::string_view bytes(size_t n) {
    if (n > remaining()) throw_internal("corrupt data: unexpected end");
    std::string_view out = data_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  // A varint length followed by that many bytes.
  std::string_view length_prefixed() { return bytes(varint()); }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

inline void put_length_prefixed(std::string& out, std::string_view bytes) {
  put_varint(out, bytes.size());
  out.append(bytes);
}

}  // namespace omnigraph
