#include "prolly/boundary.h"

#include <cmath>
#include <cstring>

namespace omnigraph::prolly {
namespace {

inline uint64_t load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

inline uint64_t load32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// Both halves of the 128-bit product, folded: one multiply mixes 64 bits
// of input into 64 bits of state (the wyhash construction).
inline uint64_t fold_multiply(uint64_t a, uint64_t b) {
  const unsigned __int128 product = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}

constexpr uint64_t kSecret0 = 0xa0761d6478bd642fULL;
constexpr uint64_t kSecret1 = 0xe7037ed1a0b428dbULL;

// Weibull(k=4) cumulative hazard: (x / lambda)^4.
inline double hazard(size_t bytes) {
  double x = static_cast<double>(bytes) / static_cast<double>(kTargetNodeBytes);
  double x2 = x * x;
  return x2 * x2;
}

}  // namespace

uint64_t key_hash(std::string_view key, uint64_t seed) {
  // 16 bytes per multiply; keys here are mostly 8 to 40 bytes, where this
  // costs two or three multiplies instead of the eight of a byte-word loop.
  const char* p = key.data();
  size_t n = key.size();
  uint64_t state = seed ^ fold_multiply(seed ^ kSecret0, kSecret1);
  uint64_t a = 0;
  uint64_t b = 0;
  if (n <= 16) {
    if (n >= 4) {
      // Two overlapping 4-byte reads from each end cover every byte.
      const size_t middle = (n >> 3) << 2;
      a = (load32(p) << 32) | load32(p + middle);
      b = (load32(p + n - 4) << 32) | load32(p + n - 4 - middle);
    } else if (n > 0) {
      a = (static_cast<uint64_t>(static_cast<unsigned char>(p[0])) << 16) |
          (static_cast<uint64_t>(static_cast<unsigned char>(p[n >> 1])) << 8) |
          static_cast<unsigned char>(p[n - 1]);
    }
  } else {
    while (n > 16) {
      state = fold_multiply(load64(p) ^ kSecret1, load64(p + 8) ^ state);
      p += 16;
      n -= 16;
    }
    // The last 16 bytes (overlapping what the loop read when n < 16 now).
    a = load64(p + n - 16);
    b = load64(p + n - 8);
  }
  return fold_multiply(a ^ kSecret1 ^ key.size(), b ^ state ^ kSecret0);
}

bool is_boundary(uint8_t level, std::string_view key, size_t size_before, size_t size_after,
                 size_t entries) {
  // An internal node needs two children, or a level of huge keys would never
  // shrink and the tree would never reach a single root.
  if (level > 0 && entries < 2) return false;
  if (size_after >= kMaxNodeBytes) return true;
  if (size_after < kMinNodeBytes) return false;
  // P(size ends in (before, after] | it did not end by before) is
  // p = 1 - exp(-d), d the growth of the cumulative hazard.
  const double d = hazard(size_after) - hazard(size_before);
  uint64_t seed = 0x9e3779b97f4a7c15ULL * (static_cast<uint64_t>(level) + 1);
  uint64_t h = key_hash(key, seed);
  const double u = static_cast<double>(h >> 11) * 0x1p-53;
  // p <= d always, so a draw well above d is no boundary without computing
  // exp (most entries: d is a few hundredths). The margin covers rounding
  // in exp, so the decision is exactly the one below.
  if (u >= d + 0x1p-40) return false;
  return u < 1.0 - std::exp(-d);
}

}  // namespace omnigraph::prolly
