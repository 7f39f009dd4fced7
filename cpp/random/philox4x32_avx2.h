// Philox4x32-10 for AVX2: the ISA trait of philox4x32_simd.h (4 blocks per register), and the keep
// rule on 8 words. Include only from code compiled for AVX2 (or its SIMDe emulation); the including
// file provides the intrinsics.
#pragma once

#include <stdint.h>

#include "philox4x32_simd.h"

namespace selu {
namespace philox {

struct Avx2 {
  using V = __m256i;
  using Keep = __m256i;  // a keep mask: all-ones lanes are kept
  static constexpr int kBlocks = 4;

  static V set1_32(uint32_t k) { return _mm256_set1_epi32(static_cast<int>(k)); }
  static V set1_64(uint64_t v) { return _mm256_set1_epi64x(static_cast<long long>(v)); }
  // Lane L of set s works on block {0, 2, 1, 3}[L] of the set.
  static V set_blocks(int s) { return _mm256_setr_epi64x(4 * s + 0, 4 * s + 2, 4 * s + 1, 4 * s + 3); }
  static V add64(V a, V b) { return _mm256_add_epi64(a, b); }
  static V mul_lo32(V a, V b) { return _mm256_mul_epu32(a, b); }
  static V high32(V a) { return _mm256_srli_epi64(a, 32); }
  static V xor2(V a, V b) { return _mm256_xor_si256(a, b); }
  static V xor3(V a, V b, V c) { return _mm256_xor_si256(a, _mm256_xor_si256(b, c)); }
  static V zero() { return _mm256_setzero_si256(); }
  static V pair_low_words(V lo, V hi) { return _mm256_blend_epi32(lo, _mm256_slli_epi64(hi, 32), 0xAA); }
  // A 128-bit lane holds lanes {0, 1} (blocks 0 and 2) or {2, 3} (blocks 1 and 3): blocks 0 | 1, 2 | 3.
  static V unpacklo64(V a, V b) { return _mm256_unpacklo_epi64(a, b); }
  static V unpackhi64(V a, V b) { return _mm256_unpackhi_epi64(a, b); }

  // The keep rule of philox4x32.h for a threshold T < 2^32 (T = 2^32 keeps all and needs no words):
  // r < T as unsigned 32-bit, via a signed compare of both sides biased by 2^31.
  static V threshold_words(uint64_t threshold) {
    return _mm256_set1_epi32(static_cast<int>(static_cast<uint32_t>(threshold) ^ 0x80000000u));
  }
  static Keep keep(V words, V threshold) {
    return _mm256_cmpgt_epi32(threshold, _mm256_xor_si256(words, _mm256_set1_epi32(INT32_MIN)));
  }
};

}  // namespace philox
}  // namespace selu
