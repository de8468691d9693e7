// Squared-L2 kernels for vector search, chosen once at runtime from what the
// CPU supports (AVX-512, AVX2, or portable C++), so one binary built with
// portable flags still uses the wide instructions where they exist.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace omnigraph::engine::search::vector {

// Squared L2 between two float vectors of `dim` values.
using FloatL2 = float (*)(const float* a, const float* b, size_t dim);
// Squared L2 between two 8-bit code vectors of `dim` bytes (exact integer).
using CodeL2 = uint32_t (*)(const uint8_t* a, const uint8_t* b, size_t dim);

struct L2Kernels {
  FloatL2 floats;
  CodeL2 codes;
  std::string_view name;  // "avx512", "avx2" or "portable"
};

// The kernels for this CPU (resolved on first use).
const L2Kernels& l2_kernels();
// The portable kernels (reference for tests, and the fallback).
const L2Kernels& portable_l2_kernels();
// Every kernel set this CPU can run, portable first (tests compare them).
size_t supported_l2_kernels(const L2Kernels** out, size_t capacity);

}  // namespace omnigraph::engine::search::vector
