// Philox4x32-10 for AVX2: the rounds of philox4x32.h on 8 blocks at once (32 consecutive elements of
// the dropout stream), bit-identical to the scalar definition. Include only from code compiled for
// AVX2 (or its SIMDe emulation); the including file provides the intrinsics.
//
// Layout: word j of the 8 blocks lives in one register (structure of arrays), so each round is two
// _mm256_mul_epu32 per multiplied word (even and odd lanes) plus blends and XORs. Lane L works on block
// b + kLaneBlock[L]; that order makes the final 4x8 transpose come out in element order with in-lane
// unpacks only (no cross-lane permutes).
#pragma once

#include <stdint.h>

#include "philox4x32.h"

namespace selu {
namespace philox {

struct RoundKeysAvx2 {
  __m256i k0[kRounds];
  __m256i k1[kRounds];
};

inline RoundKeysAvx2 round_keys_avx2(uint64_t seed) {
  const RoundKeys keys = round_keys(seed);
  RoundKeysAvx2 v;
  for (int r = 0; r < kRounds; ++r) {
    v.k0[r] = _mm256_set1_epi32(static_cast<int>(keys.k0[r]));
    v.k1[r] = _mm256_set1_epi32(static_cast<int>(keys.k1[r]));
  }
  return v;
}

// (hi, lo) of the 32x32-bit products m·x in all 8 lanes. _mm256_mul_epu32 multiplies the even lanes;
// the odd lanes are shifted down for a second multiply and the halves are blended back.
inline void mulhilo_avx2(__m256i m, __m256i x, __m256i* hi, __m256i* lo) {
  const __m256i even = _mm256_mul_epu32(x, m);
  const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(x, 32), m);
  *lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
  *hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}

// The words of global elements 4b .. 4b + 32·kSets − 1 (blocks b .. b + 8·kSets − 1, below 2^62), in
// element order: words[j] holds elements 4b + 8j .. 4b + 8j + 7. The kSets independent sets of 8
// blocks are interleaved round by round: one set alone is bound by the latency of a round (multiply,
// shift, blend, XOR), two keep the multipliers busy.
template <int kSets>
inline void philox_words_avx2(uint64_t b, const RoundKeysAvx2& keys, __m256i* words) {
  const __m256i sign = _mm256_set1_epi32(INT32_MIN);
  const __m256i mul0 = _mm256_set1_epi32(static_cast<int>(kMul0));
  const __m256i mul1 = _mm256_set1_epi32(static_cast<int>(kMul1));
  const __m256i lane_block = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
  __m256i x0[kSets], x1[kSets], x2[kSets], x3[kSets];
  for (int s = 0; s < kSets; ++s) {
    // Counter words 0 and 1 are the 64-bit block index of each lane; a carry out of the low word
    // (blocks straddling a multiple of 2^32) increments the high word.
    const uint64_t base = b + 8 * static_cast<uint64_t>(s);
    const __m256i base_lo = _mm256_set1_epi32(static_cast<int>(static_cast<uint32_t>(base)));
    const __m256i c0 = _mm256_add_epi32(base_lo, lane_block);
    const __m256i carry = _mm256_cmpgt_epi32(_mm256_xor_si256(base_lo, sign), _mm256_xor_si256(c0, sign));
    const __m256i c1 = _mm256_sub_epi32(_mm256_set1_epi32(static_cast<int>(static_cast<uint32_t>(base >> 32))), carry);
    // Round 1 with counter words 2 and 3 equal to 0: the second product is 0.
    __m256i hi0, lo0;
    mulhilo_avx2(mul0, c0, &hi0, &lo0);
    x0[s] = _mm256_xor_si256(c1, keys.k0[0]);
    x1[s] = _mm256_setzero_si256();
    x2[s] = _mm256_xor_si256(hi0, keys.k1[0]);
    x3[s] = lo0;
  }
  for (int r = 1; r < kRounds; ++r) {
    for (int s = 0; s < kSets; ++s) {
      __m256i hi0, lo0, hi1, lo1;
      mulhilo_avx2(mul0, x0[s], &hi0, &lo0);
      mulhilo_avx2(mul1, x2[s], &hi1, &lo1);
      x0[s] = _mm256_xor_si256(_mm256_xor_si256(hi1, x1[s]), keys.k0[r]);
      x1[s] = lo1;
      x2[s] = _mm256_xor_si256(_mm256_xor_si256(hi0, x3[s]), keys.k1[r]);
      x3[s] = lo0;
    }
  }
  for (int s = 0; s < kSets; ++s) {
    // 4x8 transpose within 128-bit lanes: lane L holds block {0,2,4,6,1,3,5,7}[L] of the set.
    const __m256i t0 = _mm256_unpacklo_epi32(x0[s], x1[s]);
    const __m256i t1 = _mm256_unpacklo_epi32(x2[s], x3[s]);
    const __m256i t2 = _mm256_unpackhi_epi32(x0[s], x1[s]);
    const __m256i t3 = _mm256_unpackhi_epi32(x2[s], x3[s]);
    words[4 * s + 0] = _mm256_unpacklo_epi64(t0, t1);  // blocks 0 | 1
    words[4 * s + 1] = _mm256_unpackhi_epi64(t0, t1);  // blocks 2 | 3
    words[4 * s + 2] = _mm256_unpacklo_epi64(t2, t3);  // blocks 4 | 5
    words[4 * s + 3] = _mm256_unpackhi_epi64(t2, t3);  // blocks 6 | 7
  }
}

// The keep rule of philox4x32.h for a threshold T < 2^32 (T = 2^32 keeps all and needs no words):
// r < T as unsigned 32-bit, via a signed compare of both sides biased by 2^31. All-ones lanes are kept.
inline __m256i biased_threshold_avx2(uint64_t threshold) {
  return _mm256_set1_epi32(static_cast<int>(static_cast<uint32_t>(threshold) ^ 0x80000000u));
}
inline __m256i keep_mask_avx2(__m256i words, __m256i biased_threshold) {
  return _mm256_cmpgt_epi32(biased_threshold, _mm256_xor_si256(words, _mm256_set1_epi32(INT32_MIN)));
}

}  // namespace philox
}  // namespace selu
