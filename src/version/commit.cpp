#include "version/commit.h"

#include <chrono>

#include "common/error.h"
#include "common/varint.h"

namespace omnigraph::version {
namespace {

constexpr char kTag = 'C';
constexpr uint8_t kFormatVersion = 1;

void check_invariants(const Commit& c) {
  if (c.parents.size() > 2) {
    throw_internal("commit has " + std::to_string(c.parents.size()) + " parents (at most 2)");
  }
  for (const Hash& p : c.parents) {
    if (p.is_zero()) throw_internal("commit has a zero parent hash");
  }
  if (c.parents.size() == 2 && c.parents[0] == c.parents[1]) {
    throw_internal("merge commit names the same parent twice: " + c.parents[0].hex());
  }
  if (c.parents.empty() ? c.generation != 1 : c.generation < 2) {
    throw_internal("commit generation " + std::to_string(c.generation) + " is impossible with " +
                   std::to_string(c.parents.size()) + " parents");
  }
}

}  // namespace

std::string encode_commit(const Commit& c) {
  check_invariants(c);
  std::string out;
  out.reserve(128 + c.branch.size() + (c.actor ? c.actor->size() : 0));
  out.push_back(kTag);
  out.push_back(static_cast<char>(kFormatVersion));
  out.append(c.root.raw());
  put_varint(out, c.parents.size());
  for (const Hash& p : c.parents) out.append(p.raw());
  out.push_back(c.actor ? 1 : 0);
  if (c.actor) put_length_prefixed(out, *c.actor);
  put_varint(out, zigzag_encode(c.time_us));
  put_length_prefixed(out, c.branch);
  out.append(c.graph_commit_id.raw());
  put_varint(out, c.manifest_version);
  put_varint(out, c.generation);
  return out;
}

Commit decode_commit(std::string_view data) {
  ByteReader r(data);
  if (r.byte() != kTag) throw_internal("corrupt commit: not a commit chunk");
  uint8_t format = r.byte();
  if (format != kFormatVersion) {
    throw_internal("unsupported commit format version " + std::to_string(format));
  }
  Commit c;
  c.root = Hash::from_bytes(r.bytes(Hash::kSize));
  uint64_t n_parents = r.varint();
  if (n_parents > 2) throw_internal("corrupt commit: " + std::to_string(n_parents) + " parents");
  for (uint64_t i = 0; i < n_parents; ++i)
    c.parents.push_back(Hash::from_bytes(r.bytes(Hash::kSize)));
  uint8_t has_actor = r.byte();
  if (has_actor > 1) throw_internal("corrupt commit: bad actor flag");
  if (has_actor) c.actor = std::string(r.length_prefixed());
  c.time_us = r.svarint();
  c.branch = std::string(r.length_prefixed());
  c.graph_commit_id = Ulid::from_bytes(r.bytes(16));
  c.manifest_version = r.varint();
  c.generation = r.varint();
  if (!r.done()) throw_internal("corrupt commit: trailing bytes");
  check_invariants(c);
  return c;
}

int64_t now_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace omnigraph::version
