#include "crash_chain.h"

#include <sstream>
#include <stdexcept>

namespace omnigraph::crash {

std::string encode_link(const Link& link) {
  std::string out = "link\n" + link.ref + "\n" + std::to_string(link.seq) + "\n" +
                    (link.prev ? link.prev->hex() : "-") + "\n";
  for (const Hash& p : link.payloads) out += p.hex() + "\n";
  return out;
}

Link decode_link(const std::string& data) {
  std::istringstream in(data);
  std::string tag, seq, prev;
  Link link;
  if (!std::getline(in, tag) || tag != "link" || !std::getline(in, link.ref) ||
      !std::getline(in, seq) || !std::getline(in, prev)) {
    throw std::runtime_error("malformed link chunk");
  }
  link.seq = std::stoull(seq);
  if (prev != "-") link.prev = Hash::from_hex(prev);
  for (std::string line; std::getline(in, line);) link.payloads.push_back(Hash::from_hex(line));
  return link;
}

std::vector<store::Chunk> make_link(const std::string& ref, const std::optional<Hash>& prev,
                                    uint64_t seq, std::mt19937_64& rng) {
  std::vector<store::Chunk> chunks;
  Link link{ref, seq, prev, {}};
  int n = 1 + static_cast<int>(rng() % 3);
  for (int i = 0; i < n; ++i) {
    std::string data = ref + "/" + std::to_string(seq) + "/" + std::to_string(i) + "/";
    size_t size = 64 + rng() % 8000;
    while (data.size() < size) data.push_back(static_cast<char>('a' + rng() % 26));
    Hash h = Hash::of(data);
    link.payloads.push_back(h);
    chunks.push_back({h, std::move(data)});
  }
  std::string encoded = encode_link(link);
  chunks.push_back({Hash::of(encoded), std::move(encoded)});
  return chunks;
}

namespace {

std::string fetch(store::ChunkStore& chunks, const Hash& h, const std::string& what) {
  std::optional<std::string> data = chunks.get(h);
  if (!data) throw std::runtime_error(what + " " + h.hex() + " is missing");
  if (Hash::of(*data) != h) throw std::runtime_error(what + " " + h.hex() + " has wrong content");
  return *data;
}

}  // namespace

uint64_t verify_chain(store::ChunkStore& chunks, const std::string& ref, const Hash& head,
                      uint64_t depth) {
  std::optional<Hash> at = head;
  uint64_t head_seq = 0;
  uint64_t expected_seq = 0;
  for (uint64_t i = 0; at && i < depth; ++i) {
    Link link = decode_link(fetch(chunks, *at, "link"));
    if (link.ref != ref) throw std::runtime_error("link " + at->hex() + " belongs to " + link.ref);
    if (i == 0) {
      head_seq = expected_seq = link.seq;
    } else if (link.seq != expected_seq) {
      throw std::runtime_error("link " + at->hex() + " has seq " + std::to_string(link.seq) +
                               ", expected " + std::to_string(expected_seq));
    }
    for (const Hash& p : link.payloads) fetch(chunks, p, "payload");
    if (link.seq == 1 && link.prev) throw std::runtime_error("first link has a predecessor");
    if (link.seq > 1 && !link.prev) throw std::runtime_error("link without predecessor");
    --expected_seq;
    at = link.prev;
  }
  return head_seq;
}

}  // namespace omnigraph::crash
