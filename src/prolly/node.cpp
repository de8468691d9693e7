#include "prolly/node.h"

#include <cstring>

#include "common/error.h"

namespace omnigraph::prolly {

void put_varint(std::string& out, uint64_t v) {
  char buf[10];
  size_t n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  out.append(buf, n);
}

std::string encode_node(uint8_t level, uint64_t entry_count, std::string_view body) {
  std::string out;
  out.reserve(body.size() + 12);
  out.push_back(static_cast<char>(kNodeFormat));
  out.push_back(static_cast<char>(level));
  put_varint(out, entry_count);
  out.append(body);
  return out;
}

namespace {

// Bounds-checked reader over a chunk; every failure names the chunk.
class Reader {
 public:
  Reader(const Hash& hash, const std::string& data) : hash_(hash), data_(data) {}

  [[noreturn]] void fail(const char* what) const {
    throw_internal("corrupt prolly node " + hash_.hex() + ": " + what + " at byte " +
                   std::to_string(pos_));
  }
  uint8_t byte() {
    if (pos_ >= data_.size()) fail("truncated");
    return static_cast<uint8_t>(data_[pos_++]);
  }
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t b = byte();
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    fail("varint too long");
  }
  // Skips n bytes, returning where they start.
  uint32_t take(uint64_t n) {
    if (n > data_.size() - pos_) fail("length past end");
    uint32_t at = static_cast<uint32_t>(pos_);
    pos_ += n;
    return at;
  }
  bool at_end() const { return pos_ == data_.size(); }

 private:
  const Hash& hash_;
  const std::string& data_;
  size_t pos_ = 0;
};

}  // namespace

std::shared_ptr<const Node> Node::decode(const Hash& hash, std::string data) {
  auto node = std::make_shared<Node>();
  node->hash_ = hash;
  node->data_ = std::move(data);
  const std::string& d = node->data_;
  if (d.size() > UINT32_MAX) throw_internal("corrupt prolly node " + hash.hex() + ": too large");
  Reader r(hash, d);
  const uint8_t format = r.byte();
  if (format != kNodeFormat && format != kPlainNodeFormat) {
    r.fail("not a prolly node (bad format byte)");
  }
  node->level_ = r.byte();
  if (node->level_ > kMaxLevel) r.fail("level out of range");
  uint64_t n = r.varint();
  if (n == 0) r.fail("empty node");
  if (n > d.size()) r.fail("entry count exceeds chunk size");
  node->slots_.reserve(n);
  bool leaf = node->level_ == 0;
  if (!leaf) {
    node->cum_.reserve(n + 1);
    node->cum_.push_back(0);
  }
  const bool shared_keys = format == kNodeFormat;
  std::string& keys = node->keys_;
  // `keys` grows as they are rebuilt, unreserved: reserving the chunk's
  // size (mostly values) doubled what a cached node held, and the node
  // cache then kept fewer nodes (single-row commits: 1-4% slower).
  std::string_view prev;
  for (uint64_t i = 0; i < n; ++i) {
    Slot s{};
    std::string_view key;
    if (shared_keys) {
      const uint64_t shared = r.varint();
      if (shared > prev.size()) r.fail("shared key prefix longer than the previous key");
      const size_t prev_off = keys.size() - prev.size();
      const size_t prev_len = prev.size();
      const uint64_t suffix_len = r.varint();
      const uint32_t suffix_off = r.take(suffix_len);
      if (shared + suffix_len > kMaxKeySize) r.fail("key too long");
      s.key_off = static_cast<uint32_t>(keys.size());
      s.key_len = static_cast<uint32_t>(shared + suffix_len);
      // Appending may reallocate `keys`: copy the shared bytes by offset.
      keys.append(keys, prev_off, shared);
      keys.append(d, suffix_off, suffix_len);
      key = std::string_view(keys.data() + s.key_off, s.key_len);
      prev = std::string_view(keys.data() + prev_off, prev_len);  // `keys` may have moved
    } else {
      s.key_len = static_cast<uint32_t>(r.varint());
      s.key_off = r.take(s.key_len);
      key = std::string_view(d.data() + s.key_off, s.key_len);
    }
    if (i > 0 && !(prev < key)) r.fail("keys not strictly increasing");
    prev = key;
    if (leaf) {
      s.val_len = static_cast<uint32_t>(r.varint());
      s.val_off = r.take(s.val_len);
    } else {
      s.val_len = Hash::kSize;
      s.val_off = r.take(Hash::kSize);
      uint64_t c = r.varint();
      if (c == 0) r.fail("zero subtree count");
      node->cum_.push_back(node->cum_.back() + c);
    }
    node->slots_.push_back(s);
  }
  if (!r.at_end()) r.fail("trailing bytes");
  // Keys are sorted, so the first and last key bound the common prefix.
  std::string_view first = node->key(0), last = node->last_key();
  size_t common = 0;
  while (common < first.size() && common < last.size() && first[common] == last[common]) ++common;
  node->prefix_len_ = static_cast<uint32_t>(common);
  node->prefix_.assign(first.substr(0, common));
  for (size_t i = 0; i < n; ++i) node->slots_[i].probe = node->probe_of(node->key(i));
  return node;
}

Hash Node::child(size_t i) const {
  return Hash::from_bytes(payload(i));
}

uint64_t Node::probe_of(std::string_view key) const {
  uint64_t v = 0;
  size_t n = key.size() - prefix_len_;  // callers ensure key starts with the prefix
  if (n > 8) n = 8;
  for (size_t i = 0; i < n; ++i) {
    v |= static_cast<uint64_t>(static_cast<uint8_t>(key[prefix_len_ + i])) << (56 - 8 * i);
  }
  return v;
}

size_t Node::lower_bound(std::string_view key) const {
  const size_t n = slots_.size();
  std::string_view prefix = prefix_;
  if (key.substr(0, prefix_len_) != prefix) {
    // Every key starts with the prefix, so all are greater or all smaller.
    return key < prefix ? 0 : n;
  }
  const uint64_t probe = probe_of(key);
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const Slot& s = slots_[mid];
    bool less = s.probe != probe ? s.probe < probe : this->key(mid) < key;
    if (less) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

size_t Node::memory_size() const {
  return sizeof(Node) + prefix_.capacity() + data_.capacity() + keys_.capacity() +
         slots_.capacity() * sizeof(Slot) + cum_.capacity() * sizeof(uint64_t);
}

}  // namespace omnigraph::prolly
