// The conversions with AVX-512F (compiled with the AVX-512 flags only; called after the CPU check).
// float16: VCVTPH2PS / VCVTPS2PH on 16 lanes, round-to-nearest-even in the immediate; bfloat16:
// integer operations as in half_avx2.cc, narrowed with VPMOVDW.
//
// Not used: VCVTNEPS2BF16 (AVX512_BF16) treats float32 subnormal inputs as zero, so it does not round
// them to nearest even as the contract asks; the AVX512_FP16 conversions give the same results as
// VCVTPS2PH, which every AVX-512 CPU has, and no machine here can test them.
//
// Built a second time by the native tests with SELU_KERNELS_EMULATE_AVX512 (SIMDe on AVX2 + F16C) on
// CPUs without AVX-512; the table is then named kHalfAvx512Emulated. SIMDe has no 512-bit
// float16 conversions nor VPMOVZXWD / VPMOVDW: there they are two 256-bit F16C conversions and
// lane-by-lane widening and narrowing of integers.
#if defined(SELU_KERNELS_EMULATE_AVX512)
#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/x86/avx512.h>
#include <immintrin.h>  // F16C
#else
#include <immintrin.h>
#endif

#include "half_simd.h"

namespace selu {
namespace {

#if defined(SELU_KERNELS_EMULATE_AVX512)
__m512 widen_f16_vector(const uint16_t* src) {
  alignas(64) float lanes[16];
  _mm256_store_ps(lanes, ::_mm256_cvtph_ps(::_mm_loadu_si128(reinterpret_cast<const ::__m128i*>(src))));
  _mm256_store_ps(lanes + 8, ::_mm256_cvtph_ps(::_mm_loadu_si128(reinterpret_cast<const ::__m128i*>(src + 8))));
  return _mm512_load_ps(lanes);
}
void narrow_f16_vector(__m512 v, uint16_t* dst) {
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, v);
  ::_mm_storeu_si128(reinterpret_cast<::__m128i*>(dst), ::_mm256_cvtps_ph(::_mm256_load_ps(lanes), _MM_FROUND_TO_NEAREST_INT));
  ::_mm_storeu_si128(reinterpret_cast<::__m128i*>(dst + 8), ::_mm256_cvtps_ph(::_mm256_load_ps(lanes + 8), _MM_FROUND_TO_NEAREST_INT));
}
__m512i zero_extend_16_to_32(const uint16_t* src) {
  alignas(64) uint32_t lanes[16];
  for (int i = 0; i < 16; ++i) lanes[i] = src[i];
  return _mm512_load_si512(lanes);
}
void truncate_32_to_16(__m512i v, uint16_t* dst) {
  alignas(64) uint32_t lanes[16];
  _mm512_store_si512(lanes, v);
  for (int i = 0; i < 16; ++i) dst[i] = static_cast<uint16_t>(lanes[i]);
}
#else
__m512 widen_f16_vector(const uint16_t* src) {
  return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(src)));
}
void narrow_f16_vector(__m512 v, uint16_t* dst) {
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst), _mm512_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
}
__m512i zero_extend_16_to_32(const uint16_t* src) {
  return _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(src)));
}
void truncate_32_to_16(__m512i v, uint16_t* dst) {
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst), _mm512_cvtepi32_epi16(v));
}
#endif

struct Avx512 {
  static constexpr size_t kLanes = 16;

  static void widen_f16(const uint16_t* src, float* dst) { _mm512_storeu_ps(dst, widen_f16_vector(src)); }
  static void narrow_f16(const float* src, uint16_t* dst) { narrow_f16_vector(_mm512_loadu_ps(src), dst); }
  static void widen_bf16(const uint16_t* src, float* dst) {
    _mm512_storeu_si512(dst, _mm512_slli_epi32(zero_extend_16_to_32(src), 16));
  }
  static void narrow_bf16(const float* src, uint16_t* dst) {
    const __m512i u = _mm512_loadu_si512(src);
    const __m512i magnitude = _mm512_and_si512(u, _mm512_set1_epi32(0x7fffffff));
    const __mmask16 is_nan = _mm512_cmpgt_epi32_mask(magnitude, _mm512_set1_epi32(0x7f800000));
    const __m512i odd = _mm512_and_si512(_mm512_srli_epi32(u, 16), _mm512_set1_epi32(1));
    const __m512i rounded = _mm512_srli_epi32(_mm512_add_epi32(_mm512_add_epi32(u, _mm512_set1_epi32(0x7fff)), odd), 16);
    const __m512i nan = _mm512_or_si512(_mm512_srli_epi32(u, 16), _mm512_set1_epi32(0x40));
    const __m512i result = _mm512_mask_mov_epi32(rounded, is_nan, nan);
    truncate_32_to_16(result, dst);
  }
};

}  // namespace

#if defined(SELU_KERNELS_EMULATE_AVX512)
extern const HalfKernelTable kHalfAvx512Emulated;
const HalfKernelTable kHalfAvx512Emulated = half_simd::table<Avx512>();
#else
const HalfKernelTable kHalfAvx512 = half_simd::table<Avx512>();
#endif

}  // namespace selu
