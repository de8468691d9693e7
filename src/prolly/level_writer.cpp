#include "prolly/level_writer.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "prolly/boundary.h"
#include "prolly/node.h"

namespace omnigraph::prolly {

LevelWriter::LevelWriter(uint8_t level, Sink sink) : level_(level), sink_(std::move(sink)) {
  body_.reserve(kMaxNodeBytes + 1024);
}

namespace {

size_t common_prefix(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t x, y;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    if (x != y) {
      // The first differing byte is the lowest one in memory order.
      const int bit = std::endian::native == std::endian::little ? std::countr_zero(x ^ y)
                                                                 : std::countl_zero(x ^ y);
      return i + static_cast<size_t>(bit / 8);
    }
  }
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

}  // namespace

bool LevelWriter::add(std::string_view key, std::string_view payload, uint64_t count) {
  size_t shared = 0;
  if (has_last_) {
    shared = common_prefix(last_key_, key);
    // Greater than the last key: it has a byte past the shared prefix, and
    // that byte is greater (or the last key ends there).
    const bool greater = shared < key.size() && (shared == last_key_.size() ||
                                                 static_cast<unsigned char>(key[shared]) >
                                                     static_cast<unsigned char>(last_key_[shared]));
    if (!greater) return false;
  }
  has_last_ = true;
  size_t before = body_.size();
  // The node's first key is whole; later ones share what they can with the previous key.
  if (entries_ == 0) shared = 0;
  put_varint(body_, shared);
  put_varint(body_, key.size() - shared);
  body_.append(key.substr(shared));
  last_key_.assign(key);
  if (level_ == 0) {
    put_varint(body_, payload.size());
    payload_off_ = body_.size();
    body_.append(payload);
  } else {
    payload_off_ = body_.size();
    body_.append(payload);
    put_varint(body_, count);
  }
  payload_len_ = payload.size();
  ++entries_;
  count_ += count;
  if (is_boundary(level_, key, before, body_.size(), entries_)) close();
  return true;
}

void LevelWriter::flush() {
  if (entries_ > 0) close();
}

void LevelWriter::close() {
  WrittenNode node;
  node.chunk = encode_node(level_, entries_, body_);
  node.hash = Hash::of(node.chunk);
  node.last_key = last_key_;
  node.count = count_;
  node.entries = entries_;
  body_.clear();
  entries_ = 0;
  count_ = 0;
  ++nodes_;
  sink_(std::move(node));
}

}  // namespace omnigraph::prolly
