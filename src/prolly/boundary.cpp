#include "prolly/boundary.h"

#include <cmath>
#include <cstring>

namespace omnigraph::prolly {
namespace {

constexpr uint64_t kMul = 0xc6a4a7935bd1e995ULL;

inline uint64_t load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

inline uint64_t fmix64(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

// Weibull(k=4) cumulative hazard: (x / lambda)^4.
inline double hazard(size_t bytes) {
  double x = static_cast<double>(bytes) / static_cast<double>(kTargetNodeBytes);
  double x2 = x * x;
  return x2 * x2;
}

}  // namespace

uint64_t key_hash(std::string_view key, uint64_t seed) {
  const char* p = key.data();
  size_t n = key.size();
  uint64_t h = seed ^ (n * kMul);
  while (n >= 8) {
    uint64_t k = load64(p);
    k *= kMul;
    k ^= k >> 47;
    k *= kMul;
    h ^= k;
    h *= kMul;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    uint64_t k = 0;
    std::memcpy(&k, p, n);
    h ^= k;
    h *= kMul;
  }
  return fmix64(h);
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
