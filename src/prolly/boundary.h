// Where nodes end: content-defined chunk boundaries.
//
// A boundary falls after an entry when a hash of its key, seeded by the level,
// lands below a threshold that grows with the bytes accumulated in the node
// since the previous boundary. The threshold is the conditional probability of
// a Weibull(k=4, lambda=4 KiB) size distribution ending inside this entry, so
// node sizes cluster around 4 KiB with little spread, never below kMinNodeBytes
// (unless the level runs out) and never above kMaxNodeBytes plus one entry.
//
// The decision reads only the entry and the bytes since the last boundary,
// which are themselves fixed by the entries: the same entry set always yields
// the same nodes, whatever order it was written in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace omnigraph::prolly {

inline constexpr size_t kMinNodeBytes = 512;
inline constexpr size_t kTargetNodeBytes = 4096;
inline constexpr size_t kMaxNodeBytes = 16 * 1024;

// A fast non-cryptographic 64-bit hash (multiply-xorshift, Murmur-like).
uint64_t key_hash(std::string_view key, uint64_t seed);

// True when a node should end after an entry with `key` that grew the node's
// entry bytes from `size_before` to `size_after`; `entries` counts the node's
// entries including this one.
bool is_boundary(uint8_t level, std::string_view key, size_t size_before, size_t size_after,
                 size_t entries);

}  // namespace omnigraph::prolly
