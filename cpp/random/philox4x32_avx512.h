// Philox4x32-10 for AVX-512 (F + BW + DQ + VL): the rounds of philox4x32.h on 16 blocks at once (64
// consecutive elements of the dropout stream), bit-identical to the scalar definition. Include only
// from code compiled for AVX-512, or for its SIMDe emulation (SELU_KERNELS_EMULATE_AVX512, see
// selu_math_avx512.h); the including file provides the intrinsics. Under emulation everything is
// declared in the inline namespace philox::emulated, so both builds can be linked into one program.
// Only intrinsics that SIMDe 0.7.4 implements are used (hence cmpge rather than cmplt).
//
// Same structure as philox4x32_avx2.h: one register per counter word, two _mm512_mul_epu32 per
// multiplied word, three-way XORs as one ternary-logic op, and a lane order
// kLaneBlock[L] = 4·(L mod 4) + L/4 that makes the in-lane transpose come out in element order.
#pragma once

#include <stdint.h>

#include "philox4x32.h"

namespace selu {
namespace philox {
#if defined(SELU_KERNELS_EMULATE_AVX512)
inline namespace emulated {
#endif

struct RoundKeysAvx512 {
  __m512i k0[kRounds];
  __m512i k1[kRounds];
};

inline RoundKeysAvx512 round_keys_avx512(uint64_t seed) {
  const RoundKeys keys = round_keys(seed);
  RoundKeysAvx512 v;
  for (int r = 0; r < kRounds; ++r) {
    v.k0[r] = _mm512_set1_epi32(static_cast<int>(keys.k0[r]));
    v.k1[r] = _mm512_set1_epi32(static_cast<int>(keys.k1[r]));
  }
  return v;
}

// (hi, lo) of the 32x32-bit products m·x in all 16 lanes (even lanes directly, odd lanes shifted down).
inline void mulhilo_avx512(__m512i m, __m512i x, __m512i* hi, __m512i* lo) {
  const __m512i even = _mm512_mul_epu32(x, m);
  const __m512i odd = _mm512_mul_epu32(_mm512_srli_epi64(x, 32), m);
  *lo = _mm512_mask_blend_epi32(0xAAAA, even, _mm512_slli_epi64(odd, 32));
  *hi = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(even, 32), odd);
}

inline __m512i xor3(__m512i a, __m512i b, __m512i c) { return _mm512_ternarylogic_epi32(a, b, c, 0x96); }

// The words of global elements 4b .. 4b + 64·kSets − 1 (blocks b .. b + 16·kSets − 1), in element
// order: words[j] holds elements 4b + 16j .. 4b + 16j + 15. The kSets independent sets of 16 blocks
// are interleaved round by round, as in philox4x32_avx2.h, so that the multiplier latency is hidden.
template <int kSets>
inline void philox_words_avx512(uint64_t b, const RoundKeysAvx512& keys, __m512i* words) {
  const __m512i mul0 = _mm512_set1_epi32(static_cast<int>(kMul0));
  const __m512i mul1 = _mm512_set1_epi32(static_cast<int>(kMul1));
  const __m512i lane_block = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
  __m512i x0[kSets], x1[kSets], x2[kSets], x3[kSets];
  for (int s = 0; s < kSets; ++s) {
    const uint64_t base = b + 16 * static_cast<uint64_t>(s);
    const __m512i base_lo = _mm512_set1_epi32(static_cast<int>(static_cast<uint32_t>(base)));
    const __m512i base_hi = _mm512_set1_epi32(static_cast<int>(static_cast<uint32_t>(base >> 32)));
    const __m512i c0 = _mm512_add_epi32(base_lo, lane_block);
    const __mmask16 carry = static_cast<__mmask16>(~_mm512_cmpge_epu32_mask(c0, base_lo));  // low word wrapped
    const __m512i c1 = _mm512_mask_add_epi32(base_hi, carry, base_hi, _mm512_set1_epi32(1));
    // Round 1 with counter words 2 and 3 equal to 0: the second product is 0.
    __m512i hi0, lo0;
    mulhilo_avx512(mul0, c0, &hi0, &lo0);
    x0[s] = _mm512_xor_si512(c1, keys.k0[0]);
    x1[s] = _mm512_setzero_si512();
    x2[s] = _mm512_xor_si512(hi0, keys.k1[0]);
    x3[s] = lo0;
  }
  for (int r = 1; r < kRounds; ++r) {
    for (int s = 0; s < kSets; ++s) {
      __m512i hi0, lo0, hi1, lo1;
      mulhilo_avx512(mul0, x0[s], &hi0, &lo0);
      mulhilo_avx512(mul1, x2[s], &hi1, &lo1);
      x0[s] = xor3(hi1, x1[s], keys.k0[r]);
      x1[s] = lo1;
      x2[s] = xor3(hi0, x3[s], keys.k1[r]);
      x3[s] = lo0;
    }
  }
  for (int s = 0; s < kSets; ++s) {
    // 4x16 transpose within 128-bit lanes: 128-bit lane j of words[4s + k] receives block 4k + j.
    const __m512i t0 = _mm512_unpacklo_epi32(x0[s], x1[s]);
    const __m512i t1 = _mm512_unpacklo_epi32(x2[s], x3[s]);
    const __m512i t2 = _mm512_unpackhi_epi32(x0[s], x1[s]);
    const __m512i t3 = _mm512_unpackhi_epi32(x2[s], x3[s]);
    words[4 * s + 0] = _mm512_unpacklo_epi64(t0, t1);
    words[4 * s + 1] = _mm512_unpackhi_epi64(t0, t1);
    words[4 * s + 2] = _mm512_unpacklo_epi64(t2, t3);
    words[4 * s + 3] = _mm512_unpackhi_epi64(t2, t3);
  }
}

// The keep rule of philox4x32.h for T < 2^32 (T = 2^32 keeps all and needs no words): r < T.
inline __mmask16 keep_mask_avx512(__m512i words, __m512i threshold32) {
  return static_cast<__mmask16>(~_mm512_cmpge_epu32_mask(words, threshold32));
}

#if defined(SELU_KERNELS_EMULATE_AVX512)
}  // inline namespace emulated
#endif
}  // namespace philox
}  // namespace selu
