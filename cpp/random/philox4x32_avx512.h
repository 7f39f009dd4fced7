// Philox4x32-10 for AVX-512 (F + BW + DQ + VL): the rounds of philox4x32.h on 8·kSets blocks at once
// (32·kSets consecutive elements of the dropout stream), bit-identical to the scalar definition.
// Include only from code compiled for AVX-512, or for its SIMDe emulation (SELU_KERNELS_EMULATE_AVX512, see
// selu_math_avx512.h); the including file provides the intrinsics. Under emulation everything is
// declared in the inline namespace philox::emulated, so both builds can be linked into one program.
// Only intrinsics that SIMDe 0.7.4 implements are used (hence cmpge rather than cmplt).
//
// Same layout as philox4x32_avx2.h (one block per 64-bit lane, here 8 blocks per register), with the
// three-way XORs as one ternary-logic op: per round and 8 blocks, 2 multiplies, 2 shifts and 2
// ternary-logic ops (the packed layout, 16 blocks per register, needed 16 operations per 16 blocks).
// Lane L of a set works on block {0, 4, 1, 5, 2, 6, 3, 7}[L] of the set, which makes the in-lane
// transpose come out in element order.
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

inline __m512i xor3(__m512i a, __m512i b, __m512i c) { return _mm512_ternarylogic_epi32(a, b, c, 0x96); }

// The generator in steps, as PhiloxAvx2 in philox4x32_avx2.h: start, round(1) .. round(kRounds − 1),
// finish give the words of global elements 4b .. 4b + 32·kSets − 1 (blocks b .. b + 8·kSets − 1; as
// there, b may pass the stream's last block without overflow), in element order: words[j] holds
// elements 4b + 16j .. 4b + 16j + 15. The kSets independent sets of 8 blocks go through each round
// together.
template <int kSets>
struct PhiloxAvx512 {
  __m512i x0[kSets], x1[kSets], x2[kSets], x3[kSets];

  // Round 1 (r = 0): counter words 2 and 3 are 0, so the second product is 0.
  inline void start(uint64_t b, const RoundKeysAvx512& keys) {
    const __m512i mul0 = _mm512_set1_epi64(kMul0);  // in the low half, the only one multiplies read
    const __m512i base = _mm512_set1_epi64(static_cast<long long>(b));
    for (int s = 0; s < kSets; ++s) {
      // Counter words 0 and 1 are the low and high halves of the lane's 64-bit block index.
      const __m512i c = _mm512_add_epi64(base, _mm512_setr_epi64(8 * s + 0, 8 * s + 4, 8 * s + 1, 8 * s + 5,
                                                                 8 * s + 2, 8 * s + 6, 8 * s + 3, 8 * s + 7));
      const __m512i p0 = _mm512_mul_epu32(c, mul0);
      x0[s] = _mm512_xor_si512(_mm512_srli_epi64(c, 32), keys.k0[0]);
      x1[s] = _mm512_setzero_si512();
      x2[s] = _mm512_xor_si512(_mm512_srli_epi64(p0, 32), keys.k1[0]);
      x3[s] = p0;
    }
  }

  // Round r + 1, for 1 ≤ r < kRounds.
  inline void round(int r, const RoundKeysAvx512& keys) {
    const __m512i mul0 = _mm512_set1_epi64(kMul0);
    const __m512i mul1 = _mm512_set1_epi64(kMul1);
    for (int s = 0; s < kSets; ++s) {
      const __m512i p0 = _mm512_mul_epu32(x0[s], mul0);
      const __m512i p1 = _mm512_mul_epu32(x2[s], mul1);
      x0[s] = xor3(_mm512_srli_epi64(p1, 32), x1[s], keys.k0[r]);
      x1[s] = p1;
      x2[s] = xor3(_mm512_srli_epi64(p0, 32), x3[s], keys.k1[r]);
      x3[s] = p0;
    }
  }

  inline void finish(__m512i* words) const {
    for (int s = 0; s < kSets; ++s) {
      // Each lane's low words, paired: (w0, w1) and (w2, w3) per 64-bit lane; 128-bit lane j then
      // holds lanes 2j and 2j + 1, i.e. blocks j and 4 + j of the set.
      const __m512i w01 = _mm512_mask_blend_epi32(0xAAAA, x0[s], _mm512_slli_epi64(x1[s], 32));
      const __m512i w23 = _mm512_mask_blend_epi32(0xAAAA, x2[s], _mm512_slli_epi64(x3[s], 32));
      words[2 * s + 0] = _mm512_unpacklo_epi64(w01, w23);  // blocks 0 | 1 | 2 | 3
      words[2 * s + 1] = _mm512_unpackhi_epi64(w01, w23);  // blocks 4 | 5 | 6 | 7
    }
  }
};

// All steps at once: the words of blocks b .. b + 8·kSets − 1 into words[0 .. 2·kSets).
template <int kSets>
inline void philox_words_avx512(uint64_t b, const RoundKeysAvx512& keys, __m512i* words) {
  PhiloxAvx512<kSets> gen;
  gen.start(b, keys);
#pragma GCC unroll 16
  for (int r = 1; r < kRounds; ++r) gen.round(r, keys);
  gen.finish(words);
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
