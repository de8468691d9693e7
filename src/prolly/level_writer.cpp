#include "prolly/level_writer.h"

#include "prolly/boundary.h"
#include "prolly/node.h"

namespace omnigraph::prolly {

LevelWriter::LevelWriter(uint8_t level, Sink sink) : level_(level), sink_(std::move(sink)) {
  body_.reserve(kMaxNodeBytes + 1024);
}

void LevelWriter::add(std::string_view key, std::string_view payload, uint64_t count) {
  size_t before = body_.size();
  put_varint(body_, key.size());
  key_off_ = body_.size();
  key_len_ = key.size();
  body_.append(key);
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
}

void LevelWriter::flush() {
  if (entries_ > 0) close();
}

void LevelWriter::close() {
  WrittenNode node;
  node.chunk = encode_node(level_, entries_, body_);
  node.hash = Hash::of(node.chunk);
  node.last_key.assign(body_.data() + key_off_, key_len_);
  node.count = count_;
  node.entries = entries_;
  body_.clear();
  entries_ = 0;
  count_ = 0;
  ++nodes_;
  sink_(std::move(node));
}

}  // namespace omnigraph::prolly
