// SELU forward values and backward products for one AVX2 vector: the maths of the AVX2 kernels
// (selu_avx2.cc), for every kernel compiled with the AVX2 flags (-mavx2 -mfma) that needs SELU of a
// register: the fused selu + alpha-dropout and selu + moments kernels include this header too. The
// maths is written once for both ISAs in selu_math_simd.h; this header gives it the AVX2 trait.
//
// API (namespace selu::avx2; every function is lane-wise: a lane's result depends only on that
// lane's inputs, so a masked tail gives bit for bit what a full vector gives):
//
//   SeluF32 k(const SeluConstants<float>& c);    broadcast constants; build once per call
//   __m256  selu_f32(__m256 x, const SeluF32& k)              selu(x) for 8 floats
//   __m256  selu_grad_f32(__m256 g, __m256 x, const SeluF32& k)
//                            g·selu'(x) for 8 floats (λ for x > 0, λα·eˣ otherwise): in float where
//                            x ≥ −69 and |g| < 2^100 (a compensated form), in double elsewhere
//   SeluF64 k(const SeluConstants<double>& c);
//   __m256d selu_f64(__m256d x, const SeluF64& k)             selu(x) for 4 doubles
//   __m256d selu_grad_f64(__m256d g, __m256d x, const SeluF64& k)   g·selu'(x) for 4 doubles
//
// Accuracy (ulp as docs/ACCURACY.md), as measured by cpp/tests/selu (float32: every input):
//   selu_f32       0.761 ulp max over all 2^32 floats (default α, λ); ~0.76 with other constants,
//                  except for results below ~2^-124 in magnitude, which can reach 1 ulp when a
//                  product by λ_lo or λα_lo underflows there (positive_split, selu_math_simd.h);
//   selu_grad_f32  0.865 ulp with g = 1 (every x), 1.21 ulp with drawn gradients (the largest where g
//                  is below 2^-100, whose small product g·lo underflows; 1.14 where the result is
//                  normal);
//   selu_f64       0.75 ulp (default constants; 0.82 for others, up to 1 ulp for subnormal results);
//   selu_grad_f64  1.49 ulp (two roundings: λα·eʳ, then the product with g).
//
// Edge values: NaN in x or g gives NaN; selu(+Inf) = +Inf; selu(±0) = ±0 (for λ > 0, λα ≥ 0).
// Below the clamp (x ≤ −88 float, x ≤ −709 double; −Inf included) 2ⁿ is exactly 0, so the result is
// −(λα_hi + λα_lo) rounded once, i.e. −λα; from x ≈ −17.33 (float) / −38 (double) down that is also
// the rounding of the exact value. Subnormal x are computed, never flushed; the code leaves MXCSR
// alone and assumes its default (round to nearest, no FTZ/DAZ). Backward products are correct where
// they are tiny or subnormal even when eˣ alone underflows (float64: gradient 1e300 at x = −1000
// gives about 8.9e-135).
//
// Build requirement: -ffp-contract=off (binding.gyp and CMakeLists.txt set it). The error analysis
// counts every rounding as written; GCC would otherwise fuse a product with a following
// sum into an FMA and break the exact two-sums.
//
// How selu_f32 stays under 1 ulp (selu_f64 is the same with its own constants):
//   x ≤ 0: x = n·ln2 + rh (rh exact), s = 2ⁿ, expm1(x) = (s − 1) + s·rh + s·rh²·q(rh).
//   · a = s − 1 and b = s·rh are exact (a for n ≥ −24; below, a rounds to −1 and ea = s − (a + 1)
//     recovers the loss exactly and is added into b). A fast two-sum gives sum + e = a + b exactly.
//   · The rest, λα·s·rh²·q(rh), is at most ~0.2 of the result. It is formed with λα folded into the
//     polynomial's coefficients (no separate rounding of "λα times the rest"), with its leading term
//     λα_hi/2·s·rh² taken out of the polynomial (λα_hi/2 is exact, so q's last rounding near 1/2,
//     the largest single error, disappears), and added with λα_lo·sum and λα_hi·e in one FMA: corr.
//   · y = λα_hi·sum + corr, rounded once. Error: 0.5 ulp from that rounding plus the errors of corr
//     (its own rounding and that of s·rh², ≤ 0.2·2^-24 relative each).
//   A plain λα·expm1f(x) costs ~1.9 ulp: λα's own rounding and a second product rounding.
//   x > 0: λ_hi·x + λ_lo·x in one FMA: 0.5 ulp + 2^-24 (more only where λ_lo·x underflows).
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#if !defined(__AVX2__) || !defined(__FMA__)
#error "selu_math_avx2.h must be compiled with -mavx2 -mfma"
#endif

#include "selu_math_simd.h"

namespace selu {
namespace avx2 {

// Memory accesses, the same calls as avx512::Io: masks are 32-bit lanes (float) or 64-bit lanes
// (double) of all-ones; vmaskmov neither reads nor writes masked-out lanes (they load as 0).
struct Io {
  // The mask of lanes [0, k) of a register of T (k < its lanes): an unaligned load from the middle
  // of -1…-1 0…0.
  template <typename T>
  static __m256i first_lanes(size_t k) {
    alignas(64) static constexpr int32_t kTable32[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
    alignas(64) static constexpr int64_t kTable64[8] = {-1, -1, -1, -1, 0, 0, 0, 0};
    if constexpr (sizeof(T) == 4) return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kTable32 + 8 - k));
    else return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kTable64 + 4 - k));
  }
  static __m256 load(const float* p) { return _mm256_loadu_ps(p); }
  static __m256d load(const double* p) { return _mm256_loadu_pd(p); }
  static __m256 load(const float* p, __m256i m) { return _mm256_maskload_ps(p, m); }
  static __m256d load(const double* p, __m256i m) { return _mm256_maskload_pd(p, m); }
  static void store(float* p, __m256 v) { _mm256_storeu_ps(p, v); }
  static void store(float* p, __m256i m, __m256 v) { _mm256_maskstore_ps(p, m, v); }
  static void store(double* p, __m256d v) { _mm256_storeu_pd(p, v); }
  static void store(double* p, __m256i m, __m256d v) { _mm256_maskstore_pd(p, m, v); }
  static void stream(float* p, __m256 v) { _mm256_stream_ps(p, v); }
  static void stream(double* p, __m256d v) { _mm256_stream_pd(p, v); }
};

// The trait of selu_math_simd.h: 8 floats or 4 doubles; masks are all-ones/zero lanes of a register.
struct Isa {
  using Io = avx2::Io;
  using F = __m256;
  using D = __m256d;
  static F set(float v) { return _mm256_set1_ps(v); }
  static D set(double v) { return _mm256_set1_pd(v); }
  static F fmadd(F a, F b, F c) { return _mm256_fmadd_ps(a, b, c); }
  static D fmadd(D a, D b, D c) { return _mm256_fmadd_pd(a, b, c); }
  static F fnmadd(F a, F b, F c) { return _mm256_fnmadd_ps(a, b, c); }
  static D fnmadd(D a, D b, D c) { return _mm256_fnmadd_pd(a, b, c); }
  static F blend_sign(F pos, F neg, F x) { return _mm256_blendv_ps(pos, neg, x); }
  static D blend_sign(D pos, D neg, D x) { return _mm256_blendv_pd(pos, neg, x); }
  static F max(F c, F x) { return _mm256_max_ps(c, x); }
  static D max(D c, D x) { return _mm256_max_pd(c, x); }
  static D min(D c, D x) { return _mm256_min_pd(c, x); }
  static F or_bits(F a, F b) { return _mm256_or_ps(a, b); }
  static D or_bits(D a, D b) { return _mm256_or_pd(a, b); }
  static F pow2(F z) { return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(z), 23)); }
  static D pow2(D z) { return _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_castpd_si256(z), 52)); }
  static D pow2_plus(D z, int k) {
    return _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_add_epi64(_mm256_castpd_si256(z), _mm256_set1_epi64x(k)), 52));
  }
  static F less(F a, F b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
  static F greater(F a, F b) { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
  static F not_less(F a, F b) { return _mm256_cmp_ps(a, b, _CMP_NLT_UQ); }
  static F abs(F a) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a); }
  static F either(F m1, F m2) { return _mm256_or_ps(m1, m2); }
  static F select(F m, F a, F b) { return _mm256_blendv_ps(a, b, m); }
  static bool any(F m) { return _mm256_movemask_ps(m) != 0; }
  static D less(D a, D b) { return _mm256_cmp_pd(a, b, _CMP_LT_OQ); }
  static D greater(D a, D b) { return _mm256_cmp_pd(a, b, _CMP_GT_OQ); }
  static D select(D m, D a, D b) { return _mm256_blendv_pd(a, b, m); }
  static bool any(D m) { return _mm256_movemask_pd(m) != 0; }
  static D zero_below(D x, D c, D u) { return _mm256_andnot_pd(_mm256_cmp_pd(x, c, _CMP_LT_OQ), u); }
  static D widen_lo(F v) { return _mm256_cvtps_pd(_mm256_castps256_ps128(v)); }
  static D widen_hi(F v) { return _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)); }
  static F join(D lo, D hi) { return _mm256_set_m128(_mm256_cvtpd_ps(hi), _mm256_cvtpd_ps(lo)); }
};

using SeluF32 = simd::SeluVec<Isa, float>;   // SeluF32 k(const SeluConstants<float>&)
using SeluF64 = simd::SeluVec<Isa, double>;  // SeluF64 k(const SeluConstants<double>&)
using simd::selu_f32, simd::selu_f64, simd::selu_grad_f32, simd::selu_grad_f64;

}  // namespace avx2
}  // namespace selu
