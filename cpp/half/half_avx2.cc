// The conversions with AVX2 and F16C (compiled with -mavx2 -mfma -mf16c; selected only when the CPU has
// all three), and SELU of float16 values in registers (half_simd.h, selu_f16) with the AVX2 SELU maths.
// float16: VCVTPH2PS / VCVTPS2PH with round-to-nearest-even in the immediate (MXCSR is not consulted).
// bfloat16: integer operations, the same as f32_to_bf16: add 0x7fff plus the lowest kept bit, shift,
// and a quieted NaN where the input is a NaN.
#include <immintrin.h>

#include "../selu/selu_math_avx2.h"
#include "half_simd.h"

namespace selu {
namespace {

struct Avx2 {
  static constexpr size_t kLanes = 8;
  using F = __m256;

  // 8 values of a format in a float32 register, and back (rounding to nearest even).
  static F load_f16(const uint16_t* src) { return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(src))); }
  static void store_f16(uint16_t* dst, F v) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst), _mm256_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT));
  }
  static F load_bf16(const uint16_t* src) {
    const __m256i wide = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(src)));
    return _mm256_castsi256_ps(_mm256_slli_epi32(wide, 16));
  }
  static void store_bf16(uint16_t* dst, F v) {
    const __m256i u = _mm256_castps_si256(v);
    const __m256i magnitude = _mm256_and_si256(u, _mm256_set1_epi32(0x7fffffff));
    const __m256i is_nan = _mm256_cmpgt_epi32(magnitude, _mm256_set1_epi32(0x7f800000));
    const __m256i odd = _mm256_and_si256(_mm256_srli_epi32(u, 16), _mm256_set1_epi32(1));
    const __m256i rounded = _mm256_srli_epi32(_mm256_add_epi32(_mm256_add_epi32(u, _mm256_set1_epi32(0x7fff)), odd), 16);
    const __m256i nan = _mm256_or_si256(_mm256_srli_epi32(u, 16), _mm256_set1_epi32(0x40));
    const __m256i result = _mm256_blendv_epi8(rounded, nan, is_nan);  // each lane < 2^16
    // Pack the 8 lanes to 16 bits: packus works per 128-bit half, the permute joins the halves.
    const __m256i packed = _mm256_permute4x64_epi64(_mm256_packus_epi32(result, result), 0x08);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst), _mm256_castsi256_si128(packed));
  }
  // The conversion kernels' vectors.
  static void widen_f16(const uint16_t* src, float* dst) { _mm256_storeu_ps(dst, load_f16(src)); }
  static void narrow_f16(const float* src, uint16_t* dst) { store_f16(dst, _mm256_loadu_ps(src)); }
  static void widen_bf16(const uint16_t* src, float* dst) { _mm256_storeu_ps(dst, load_bf16(src)); }
  static void narrow_bf16(const float* src, uint16_t* dst) { store_bf16(dst, _mm256_loadu_ps(src)); }

  // The AVX2 SELU kernels' maths (selu_math_avx2.h).
  using Selu = avx2::SeluF32;
  static F selu(F v, const Selu& k) { return avx2::selu_f32(v, k); }
};

}  // namespace

const HalfKernelTable kHalfAvx2 = half_simd::table_with_selu<Avx2>();

}  // namespace selu
