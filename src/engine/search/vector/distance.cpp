#include "engine/search/vector/distance.h"

#if defined(__x86_64__) || defined(_M_X64)
// GCC 12's AVX-512 extract intrinsics build on _mm256_undefined_*(), which
// -Wuninitialized reports inside the header.
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>
#define OG_X86 1
#endif

namespace omnigraph::engine::search::vector {

namespace {

float floats_portable(const float* a, const float* b, size_t dim) {
  // Four partial sums (like the wide kernels) keep the dependency chain short.
  float s[4] = {0, 0, 0, 0};
  size_t i = 0;
  for (; i + 4 <= dim; i += 4) {
    for (size_t j = 0; j < 4; ++j) {
      float d = a[i + j] - b[i + j];
      s[j] += d * d;
    }
  }
  for (; i < dim; ++i) {
    float d = a[i] - b[i];
    s[0] += d * d;
  }
  return (s[0] + s[1]) + (s[2] + s[3]);
}

uint32_t codes_portable(const uint8_t* a, const uint8_t* b, size_t dim) {
  uint32_t s = 0;
  for (size_t i = 0; i < dim; ++i) {
    int d = int{a[i]} - int{b[i]};
    s += static_cast<uint32_t>(d * d);
  }
  return s;
}

#if OG_X86

__attribute__((target("avx2,fma"))) inline float hsum256(__m256 s) {
  __m128 h = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
  h = _mm_add_ps(h, _mm_movehl_ps(h, h));
  h = _mm_add_ss(h, _mm_shuffle_ps(h, h, 1));
  return _mm_cvtss_f32(h);
}

__attribute__((target("avx2"))) inline uint32_t hsum256_epi32(__m256i s) {
  __m128i h = _mm_add_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
  h = _mm_add_epi32(h, _mm_shuffle_epi32(h, 0x4e));
  h = _mm_add_epi32(h, _mm_shuffle_epi32(h, 0xb1));
  return static_cast<uint32_t>(_mm_cvtsi128_si32(h));
}

__attribute__((target("avx2,fma"))) float floats_avx2(const float* a, const float* b, size_t dim) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= dim; i += 16) {
    __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
    __m256 d1 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8));
    s0 = _mm256_fmadd_ps(d0, d0, s0);
    s1 = _mm256_fmadd_ps(d1, d1, s1);
  }
  for (; i + 8 <= dim; i += 8) {
    __m256 d = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
    s0 = _mm256_fmadd_ps(d, d, s0);
  }
  float sum = hsum256(_mm256_add_ps(s0, s1));
  for (; i < dim; ++i) {
    float d = a[i] - b[i];
    sum += d * d;
  }
  return sum;
}

__attribute__((target("avx2"))) uint32_t codes_avx2(const uint8_t* a, const uint8_t* b,
                                                    size_t dim) {
  __m256i s = _mm256_setzero_si256();
  size_t i = 0;
  for (; i + 16 <= dim; i += 16) {
    __m256i x = _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i)));
    __m256i y = _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i)));
    __m256i d = _mm256_sub_epi16(x, y);
    s = _mm256_add_epi32(s, _mm256_madd_epi16(d, d));
  }
  uint32_t sum = hsum256_epi32(s);
  for (; i < dim; ++i) {
    int d = int{a[i]} - int{b[i]};
    sum += static_cast<uint32_t>(d * d);
  }
  return sum;
}

__attribute__((target("avx512f,avx2,fma"))) float floats_avx512(const float* a, const float* b,
                                                                size_t dim) {
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
  size_t i = 0;
  for (; i + 32 <= dim; i += 32) {
    __m512 d0 = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
    __m512 d1 = _mm512_sub_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16));
    s0 = _mm512_fmadd_ps(d0, d0, s0);
    s1 = _mm512_fmadd_ps(d1, d1, s1);
  }
  for (; i + 16 <= dim; i += 16) {
    __m512 d = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i));
    s0 = _mm512_fmadd_ps(d, d, s0);
  }
  if (i < dim) {  // the tail through a masked load: no read past the end
    __mmask16 m = static_cast<__mmask16>((1u << (dim - i)) - 1);
    __m512 d = _mm512_sub_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i));
    s1 = _mm512_fmadd_ps(d, d, s1);
  }
  // (By halves: GCC 12's _mm512_reduce_add_ps warns about itself.)
  __m512 s = _mm512_add_ps(s0, s1);
  __m256 lo = _mm512_castps512_ps256(s);
  __m256 hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(s), 1));
  return hsum256(_mm256_add_ps(lo, hi));
}

__attribute__((target("avx512f,avx512bw,avx512vl,avx2"))) uint32_t codes_avx512(const uint8_t* a,
                                                                                const uint8_t* b,
                                                                                size_t dim) {
  __m512i s = _mm512_setzero_si512();
  size_t i = 0;
  for (; i + 32 <= dim; i += 32) {
    __m512i x = _mm512_cvtepu8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + i)));
    __m512i y = _mm512_cvtepu8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + i)));
    __m512i d = _mm512_sub_epi16(x, y);
    s = _mm512_add_epi32(s, _mm512_madd_epi16(d, d));
  }
  if (i < dim) {
    __mmask32 m = static_cast<__mmask32>(dim - i >= 32 ? ~0u : ((1u << (dim - i)) - 1));
    __m512i x = _mm512_cvtepu8_epi16(_mm256_maskz_loadu_epi8(m, a + i));
    __m512i y = _mm512_cvtepu8_epi16(_mm256_maskz_loadu_epi8(m, b + i));
    __m512i d = _mm512_sub_epi16(x, y);
    s = _mm512_add_epi32(s, _mm512_madd_epi16(d, d));
  }
  __m256i h = _mm256_add_epi32(_mm512_castsi512_si256(s), _mm512_extracti64x4_epi64(s, 1));
  return hsum256_epi32(h);
}

#endif  // OG_X86

const L2Kernels kPortable{floats_portable, codes_portable, "portable"};
#if OG_X86
const L2Kernels kAvx2{floats_avx2, codes_avx2, "avx2"};
const L2Kernels kAvx512{floats_avx512, codes_avx512, "avx512"};

bool has_avx2() {
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
bool has_avx512() {
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl");
}
#endif

}  // namespace

const L2Kernels& portable_l2_kernels() {
  return kPortable;
}

size_t supported_l2_kernels(const L2Kernels** out, size_t capacity) {
  size_t n = 0;
  if (n < capacity) out[n++] = &kPortable;
#if OG_X86
  __builtin_cpu_init();
  if (has_avx2() && n < capacity) out[n++] = &kAvx2;
  if (has_avx512() && n < capacity) out[n++] = &kAvx512;
#endif
  return n;
}

const L2Kernels& l2_kernels() {
  static const L2Kernels* chosen = [] {
    const L2Kernels* all[3];
    size_t n = supported_l2_kernels(all, 3);
    return all[n - 1];  // the widest this CPU runs
  }();
  return *chosen;
}

}  // namespace omnigraph::engine::search::vector
