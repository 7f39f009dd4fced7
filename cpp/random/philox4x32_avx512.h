// Philox4x32-10 for AVX-512 (F + BW + DQ + VL): the ISA trait of philox4x32_simd.h (8 blocks per
// register, the three-way XORs as one ternary-logic op), and the keep rule on 16 words.
// Include only from code compiled for AVX-512, or for its SIMDe emulation (SELU_KERNELS_EMULATE_AVX512,
// see selu_math_avx512.h); the including file provides the intrinsics. Under emulation the trait is
// declared in the inline namespace philox::emulated, so both builds can be linked into one program.
// Only intrinsics that SIMDe 0.7.4 implements are used (hence cmpge rather than cmplt).
#pragma once

#include <stdint.h>

#include "philox4x32_simd.h"

namespace selu {
namespace philox {
#if defined(SELU_KERNELS_EMULATE_AVX512)
inline namespace emulated {
#endif

struct Avx512 {
  using V = __m512i;
  using Keep = __mmask16;
  static constexpr int kBlocks = 8;

  static V set1_32(uint32_t k) { return _mm512_set1_epi32(static_cast<int>(k)); }
  static V set1_64(uint64_t v) { return _mm512_set1_epi64(static_cast<long long>(v)); }
  // Lane L of set s works on block {0, 4, 1, 5, 2, 6, 3, 7}[L] of the set.
  static V set_blocks(int s) {
    return _mm512_setr_epi64(8 * s + 0, 8 * s + 4, 8 * s + 1, 8 * s + 5, 8 * s + 2, 8 * s + 6, 8 * s + 3, 8 * s + 7);
  }
  static V add64(V a, V b) { return _mm512_add_epi64(a, b); }
  static V mul_lo32(V a, V b) { return _mm512_mul_epu32(a, b); }
  static V high32(V a) { return _mm512_srli_epi64(a, 32); }
  static V xor2(V a, V b) { return _mm512_xor_si512(a, b); }
  static V xor3(V a, V b, V c) { return _mm512_ternarylogic_epi32(a, b, c, 0x96); }
  static V zero() { return _mm512_setzero_si512(); }
  static V pair_low_words(V lo, V hi) { return _mm512_mask_blend_epi32(0xAAAA, lo, _mm512_slli_epi64(hi, 32)); }
  // 128-bit lane j holds lanes 2j and 2j + 1, i.e. blocks j and 4 + j: blocks 0 | 1 | 2 | 3, 4 | 5 | 6 | 7.
  static V unpacklo64(V a, V b) { return _mm512_unpacklo_epi64(a, b); }
  static V unpackhi64(V a, V b) { return _mm512_unpackhi_epi64(a, b); }

  // The keep rule of philox4x32.h for T < 2^32 (T = 2^32 keeps all and needs no words): r < T.
  static V threshold_words(uint64_t threshold) { return _mm512_set1_epi32(static_cast<int>(static_cast<uint32_t>(threshold))); }
  static Keep keep(V words, V threshold) { return static_cast<__mmask16>(~_mm512_cmpge_epu32_mask(words, threshold)); }
};

#if defined(SELU_KERNELS_EMULATE_AVX512)
}  // inline namespace emulated
#endif
}  // namespace philox
}  // namespace selu
