// The data the crash writer publishes: per ref, a chain of "link" chunks,
// each naming its ref, its sequence number, the previous link and a few
// payload chunks written in the same batch.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "store/chunk_store.h"

namespace omnigraph::crash {

struct Link {
  std::string ref;
  uint64_t seq = 0;          // 1 for the first link of a ref
  std::optional<Hash> prev;  // absent for seq 1
  std::vector<Hash> payloads;
};

std::string encode_link(const Link& link);
// Throws std::runtime_error on anything malformed.
Link decode_link(const std::string& data);

// Builds the next link after `prev` (nullopt = none yet) with 1-3 payload
// chunks of random size; returns the chunks to write, link chunk last.
std::vector<store::Chunk> make_link(const std::string& ref, const std::optional<Hash>& prev,
                                    uint64_t seq, std::mt19937_64& rng);

// Follows the chain from `head` back for at most `depth` links (or to its
// start), checking that every link and payload is present, hashes to its
// key, belongs to `ref` and counts down by one. Returns head's seq; throws
// std::runtime_error describing the first problem.
uint64_t verify_chain(store::ChunkStore& chunks, const std::string& ref, const Hash& head,
                      uint64_t depth);

}  // namespace omnigraph::crash
