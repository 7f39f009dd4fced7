// Philox4x32-10 for AVX2: the rounds of philox4x32.h on 4·kSets blocks at once (16·kSets consecutive
// elements of the dropout stream), bit-identical to the scalar definition. Include only from code
// compiled for AVX2 (or its SIMDe emulation); the including file provides the intrinsics.
//
// Layout: one block per 64-bit lane, 4 blocks per register, counter word j of those blocks in one
// register (in the low half of each lane). _mm256_mul_epu32 multiplies the low halves and returns the
// whole 64-bit product, so a product is at once the next round's lo word (in the low half, where the
// next multiply reads it) and holds the hi word (one shift down). The high halves of the state carry
// junk that no multiply reads and the final transpose drops. Per round and 4 blocks: 2 multiplies,
// 2 shifts, 4 XORs; the packed layout (8 blocks per register) needs 18 operations per 8 blocks, as it
// must split each multiplicand into even and odd lanes and blend the products back. It needs twice
// the registers per block in flight, though: the kernels hide the rounds' latency by interleaving
// them with their own work (PhiloxAvx2's steps) rather than with more sets.
// Lane L of a set works on block {0, 2, 1, 3}[L] of the set: that order makes the final transpose
// come out in element order with in-lane unpacks only (no cross-lane permutes).
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

// The generator in steps, so that a kernel can interleave the rounds of the next group's words with
// its own work on the current group (their instruction streams are independent): start, then
// round(1) .. round(kRounds − 1), then finish. Together they give the words of global elements
// 4b .. 4b + 16·kSets − 1 (blocks b .. b + 4·kSets − 1) in element order: words[j] holds elements
// 4b + 8j .. 4b + 8j + 7. Block indices are 64-bit lanes, so b may pass 2^62 − 1 (the last block of
// the stream) by a few groups without overflow: kernels that generate a group ahead do, and never use
// those words. The kSets independent sets of 4 blocks go through each round together: one set alone
// is bound by the latency of a round (multiply, shift, XOR).
template <int kSets>
struct PhiloxAvx2 {
  __m256i x0[kSets], x1[kSets], x2[kSets], x3[kSets];

  // Round 1 (r = 0): counter words 2 and 3 are 0, so the second product is 0.
  inline void start(uint64_t b, const RoundKeysAvx2& keys) {
    const __m256i mul0 = _mm256_set1_epi64x(kMul0);  // in the low half, the only one multiplies read
    const __m256i base = _mm256_set1_epi64x(static_cast<long long>(b));
    for (int s = 0; s < kSets; ++s) {
      // Counter words 0 and 1 are the low and high halves of the lane's 64-bit block index.
      const __m256i c = _mm256_add_epi64(base, _mm256_setr_epi64x(4 * s + 0, 4 * s + 2, 4 * s + 1, 4 * s + 3));
      const __m256i p0 = _mm256_mul_epu32(c, mul0);
      x0[s] = _mm256_xor_si256(_mm256_srli_epi64(c, 32), keys.k0[0]);
      x1[s] = _mm256_setzero_si256();
      x2[s] = _mm256_xor_si256(_mm256_srli_epi64(p0, 32), keys.k1[0]);
      x3[s] = p0;
    }
  }

  // Round r + 1, for 1 ≤ r < kRounds.
  inline void round(int r, const RoundKeysAvx2& keys) {
    const __m256i mul0 = _mm256_set1_epi64x(kMul0);
    const __m256i mul1 = _mm256_set1_epi64x(kMul1);
    for (int s = 0; s < kSets; ++s) {
      const __m256i p0 = _mm256_mul_epu32(x0[s], mul0);
      const __m256i p1 = _mm256_mul_epu32(x2[s], mul1);
      // x1 ^ key is ready a round early: only one XOR follows the multiply and the shift.
      x0[s] = _mm256_xor_si256(_mm256_srli_epi64(p1, 32), _mm256_xor_si256(x1[s], keys.k0[r]));
      x1[s] = p1;
      x2[s] = _mm256_xor_si256(_mm256_srli_epi64(p0, 32), _mm256_xor_si256(x3[s], keys.k1[r]));
      x3[s] = p0;
    }
  }

  inline void finish(__m256i* words) const {
    for (int s = 0; s < kSets; ++s) {
      // Each lane's low words, paired: (w0, w1) and (w2, w3) per 64-bit lane, then one 128-bit lane
      // holds lanes {0, 1} (blocks 0 and 2) or {2, 3} (blocks 1 and 3) of the set.
      const __m256i w01 = _mm256_blend_epi32(x0[s], _mm256_slli_epi64(x1[s], 32), 0xAA);
      const __m256i w23 = _mm256_blend_epi32(x2[s], _mm256_slli_epi64(x3[s], 32), 0xAA);
      words[2 * s + 0] = _mm256_unpacklo_epi64(w01, w23);  // blocks 0 | 1
      words[2 * s + 1] = _mm256_unpackhi_epi64(w01, w23);  // blocks 2 | 3
    }
  }
};

// All steps at once: the words of blocks b .. b + 4·kSets − 1 into words[0 .. 2·kSets).
template <int kSets>
inline void philox_words_avx2(uint64_t b, const RoundKeysAvx2& keys, __m256i* words) {
  PhiloxAvx2<kSets> gen;
  gen.start(b, keys);
#pragma GCC unroll 16
  for (int r = 1; r < kRounds; ++r) gen.round(r, keys);
  gen.finish(words);
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
