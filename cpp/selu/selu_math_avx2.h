// SELU forward values and backward products for one AVX2 vector: the maths of the AVX2 kernels
// (selu_avx2.cc), for every kernel compiled with the AVX2 flags (-mavx2 -mfma) that needs SELU of a
// register: the fused selu + alpha-dropout and selu + moments kernels include this header too.
//
// API (namespace selu::avx2; every function is lane-wise: a lane's result depends only on that
// lane's inputs, so a masked tail gives bit for bit what a full vector gives):
//
//   SeluF32 k(const SeluConstants<float>& c);    broadcast constants; build once per call
//   __m256  selu_f32(__m256 x, const SeluF32& k)              selu(x) for 8 floats
//   __m256  selu_grad_f32(__m256 g, __m256 x, const SeluF32& k)
//                            g·selu'(x) for 8 floats (λ for x > 0, λα·eˣ otherwise), computed in double
//   SeluF64 k(const SeluConstants<double>& c);
//   __m256d selu_f64(__m256d x, const SeluF64& k)             selu(x) for 4 doubles
//   __m256d selu_grad_f64(__m256d g, __m256d x, const SeluF64& k)   g·selu'(x) for 4 doubles
//
// Accuracy (ulp as docs/ACCURACY.md), as measured by cpp/tests/selu (float32: every input):
//   selu_f32       0.761 ulp max over all 2^32 floats (default α, λ); ~0.76 with other constants,
//                  except for results below ~2^-124 in magnitude, which can reach 1 ulp when a
//                  product by λ_lo or λα_lo underflows there (positive_split below);
//   selu_grad_f32  0.505 ulp;
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
// counts every rounding as written; GCC would otherwise fuse a _mm256_mul_* with a following
// _mm256_add_* into an FMA and break the exact two-sums.
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

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>

#include "../common/expm1_poly.h"
#include "selu_params.h"

#if !defined(__AVX2__) || !defined(__FMA__)
#error "selu_math_avx2.h must be compiled with -mavx2 -mfma"
#endif

namespace selu {
namespace avx2 {

namespace detail {

// λ = hi + lo rearranged for the x > 0 branch, λ·x = hi·x + lo·x in one FMA, so that lo is
// nonzero with the sign of hi: then the sum is never Inf − Inf or 0·Inf at x = ±Inf, and a zero
// product keeps its sign, with no clamping of x in the kernel.
//  - lo = 0 (λ exactly representable): lo becomes the smallest subnormal, whose product with any
//    finite x is 0 or far below half an ulp of hi·x: the result stays hi·x rounded once.
//  - lo of the other sign: one ulp of hi moves into lo (|lo| ≤ ulp(hi); rounding the new lo costs
//    ~2^-48 (float) / 2^-105 (double) of λ).
template <typename T>
inline SplitConstant<T> same_sign_split(SplitConstant<T> c) {
  if (c.hi == 0 || !std::isfinite(c.hi)) return c;
  if (c.lo == 0) return {c.hi, std::copysign(std::numeric_limits<T>::denorm_min(), c.hi)};
  if (std::signbit(c.lo) == std::signbit(c.hi)) return c;
  const T hi = std::nextafter(c.hi, T(0));
  const long double lo = static_cast<long double>(c.lo) + (static_cast<long double>(c.hi) - hi);
  return {hi, static_cast<T>(lo)};
}

// λ as a + b for the x > 0 branch (λ·x = a·x + b·x in one FMA). For 1 < λ ≤ 1.0625 (the default
// λ01 = 1.0507 among them), a = λ − 1 and b = 1: b·x = x is then exact even where a product would
// underflow (subnormal x), and the only error besides the final rounding is a's, below 2^-28 of λ.
// Otherwise same_sign_split: its lo·x underflows for |λx| < 2^-100 or so, and the two roundings
// there add up to nearly 1 ulp.
template <typename T>
inline SplitConstant<T> positive_split(SplitConstant<T> c) {
  const T a = (c.hi - T(1)) + c.lo;  // hi − 1 is exact for hi in [1, 2)
  if (c.hi >= 1 && a > 0 && c.hi + c.lo <= T(1.0625)) return {a, T(1)};
  return same_sign_split(c);
}

inline __m256 set(float v) { return _mm256_set1_ps(v); }
inline __m256d set(double v) { return _mm256_set1_pd(v); }

// Horner's rule for p[first] + p[first+1]·r + … + p[last]·r^(last−first) (coefficients already
// broadcast). Horner is the most accurate order, and these kernels are throughput-bound, so its
// longer dependency chain costs nothing.
template <int kFirst, int kLast>
inline __m256 horner(__m256 r, const __m256* p) {
  __m256 q = p[kLast];
  for (int k = kLast - 1; k >= kFirst; --k) q = _mm256_fmadd_ps(q, r, p[k]);
  return q;
}
template <int kFirst, int kLast>
inline __m256d horner(__m256d r, const __m256d* p) {
  __m256d q = p[kLast];
  for (int k = kLast - 1; k >= kFirst; --k) q = _mm256_fmadd_pd(q, r, p[k]);
  return q;
}

}  // namespace detail

// ---- float64 ------------------------------------------------------------------------------------

struct SeluF64 {
  __m256d scale_hi, scale_lo;              // λ as a + b for the x > 0 branch (detail::positive_split)
  __m256d scale_alpha_hi, scale_alpha_lo;  // λα
  __m256d neg_sign;                        // OR-ed into x ≤ 0 results: −0.0 when λα ≥ 0, else +0.0
  __m256d grad_zero_below;                 // eˣ counts as exactly 0 below this x (see selu_grad_f64)
  __m256d q[11];                           // expm1_poly::kExpm1QF64 (for eˣ in the backward)
  __m256d q_lambda[11];                    // λα_hi·kExpm1QF64[k] (forward); [0] = λα_hi/2 exactly

  explicit SeluF64(const SeluConstants<double>& c) {
    const SplitConstant<double> scale = detail::positive_split(c.scale);
    scale_hi = _mm256_set1_pd(scale.hi);
    scale_lo = _mm256_set1_pd(scale.lo);
    scale_alpha_hi = _mm256_set1_pd(c.scale_alpha.hi);
    scale_alpha_lo = _mm256_set1_pd(c.scale_alpha.lo);
    neg_sign = _mm256_set1_pd(std::signbit(c.scale_alpha.hi) ? 0.0 : -0.0);
    // −16446·ln2: below it the scalar kernel's long double exp(x) is 0, and an infinite gradient
    // gives Inf·0 = NaN there; mirroring that keeps the levels in agreement.
    grad_zero_below = _mm256_set1_pd(-0x1.643bfcfe13c57p+13);
    for (int k = 0; k < 11; ++k) {
      q[k] = _mm256_set1_pd(expm1_poly::kExpm1QF64[k]);
      q_lambda[k] = _mm256_set1_pd(c.scale_alpha.hi * expm1_poly::kExpm1QF64[k]);
    }
  }
};

// selu(x) for 4 doubles (method: the header comment).
inline __m256d selu_f64(__m256d x, const SeluF64& k) {
  using namespace expm1_poly;
  using detail::set;
  const __m256d one = set(1.0);
  // max(c, x) returns x when x is NaN, so NaN flows through every step below.
  const __m256d xc = _mm256_max_pd(set(kForwardClampF64), x);
  const __m256d z = _mm256_fmadd_pd(xc, set(kLog2eF64), set(kRoundMagicF64));
  const __m256d n = _mm256_sub_pd(z, set(kRoundMagicF64));
  const __m256d s = _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_castpd_si256(z), 52));  // 2ⁿ
  // Exact: |rh| < 1/2, and xc (|xc| ≥ 1/4 when n ≠ 0) and n·ln2_hi lie on the 2^-54 grid.
  const __m256d rh = _mm256_fnmadd_pd(n, set(kLn2HiF64), xc);
  const __m256d rl = _mm256_mul_pd(n, set(-kLn2LoF64));  // x − n·ln2 = rh + rl to ~2^-105
  const __m256d a = _mm256_sub_pd(s, one);                      // exact for n ≥ −53
  const __m256d ea = _mm256_sub_pd(s, _mm256_add_pd(a, one));  // s − 1 − a: 0, or s for n < −53
  const __m256d b = _mm256_fmadd_pd(s, rh, ea);                 // exact for n ≥ −53
  const __m256d sum = _mm256_add_pd(a, b);
  const __m256d e = _mm256_sub_pd(b, _mm256_sub_pd(sum, a));   // a + b − sum, exact
  // s·rl·eʳʰ ≈ s·rl·(1 + rh): the part of eʳ − 1 that rl contributes, to 2^-60 of the result.
  const __m256d srl = _mm256_mul_pd(s, rl);
  const __m256d e_all = _mm256_add_pd(e, _mm256_fmadd_pd(srl, rh, srl));
  const __m256d sr2 = _mm256_mul_pd(b, rh);  // s·rh² (for n < −53 b also holds s·rh: < 0.1 ulp)
  const __m256d w = _mm256_fmadd_pd(k.scale_alpha_hi, e_all, _mm256_mul_pd(k.scale_alpha_lo, sum));
  const __m256d q1 = detail::horner<1, 10>(rh, k.q_lambda);  // (q(rh) − 1/2)/rh, times λα_hi
  const __m256d rest = _mm256_fmadd_pd(_mm256_mul_pd(sr2, rh), q1, w);
  const __m256d corr = _mm256_fmadd_pd(sr2, k.q_lambda[0], rest);
  // The sum of x = −0 is +0: the OR restores the sign (every x ≤ 0 result has the sign of −λα).
  const __m256d neg = _mm256_or_pd(_mm256_fmadd_pd(k.scale_alpha_hi, sum, corr), k.neg_sign);
  const __m256d pos = _mm256_fmadd_pd(k.scale_hi, x, _mm256_mul_pd(k.scale_lo, x));
  // blendv picks by the sign bit of x: −0 and NaNs with the sign set take the x ≤ 0 branch.
  return _mm256_blendv_pd(pos, neg, x);
}

namespace detail {

// grad·λα·eˣ for x ≤ 0 (other lanes: anything). eˣ = 2ⁿ·eʳ; u = λα·eʳ is formed to ~0.5 ulp and
// the power of two is applied without ever underflowing an intermediate:
//  - n ≥ −1000: grad·(u·2ⁿ), u·2ⁿ normal, one rounding;
//  - n < −1000 (x < −693: eˣ near or below the double range, the product still representable for a
//    large grad): ((grad·2^-600)·2^(n+1600))·(u·2^-1000). The first two products are exact unless
//    they underflow, and they underflow only where the true result is below 2^-2000, i.e. 0.
// The second form is computed only when a lane needs it: its intermediates underflow for ordinary
// x, and subnormal results cost microcode assists on many x86 cores. Per lane the result is the same
// either way, so it does not depend on how an array is split into vectors.
inline __m256d grad_times_neg_slope(__m256d grad, __m256d x, const SeluF64& k) {
  using namespace expm1_poly;
  const __m256d one = set(1.0);
  // Below −1500 every double gradient gives a result far under the smallest subnormal; above 0 the
  // lane takes the other branch, and clamping keeps its intermediates ordinary numbers.
  // Operand order matters: max(c, NaN) and min(c, NaN) return the NaN (their second operand).
  const __m256d xc = _mm256_min_pd(_mm256_setzero_pd(), _mm256_max_pd(set(-1500.0), x));
  const __m256d z = _mm256_fmadd_pd(xc, set(kLog2eF64), set(kRoundMagicF64));
  const __m256d n = _mm256_sub_pd(z, set(kRoundMagicF64));
  const __m256d rh = _mm256_fnmadd_pd(n, set(kLn2HiF64), xc);  // exact, as in selu_f64
  const __m256d rl = _mm256_mul_pd(n, set(-kLn2LoF64));         // up to 5e-14 here: keep rl·(eʳʰ−1)
  const __m256d q = horner<0, 10>(rh, k.q);
  const __m256d p = _mm256_mul_pd(_mm256_mul_pd(rh, rh), q);      // eʳʰ − 1 − rh
  const __m256d em1 = _mm256_add_pd(rh, p);                       // eʳʰ − 1
  const __m256d tail = _mm256_fmadd_pd(rl, em1, _mm256_add_pd(rl, p));  // eʳ − 1 − rh
  const __m256d big = _mm256_add_pd(one, rh);                      // eʳ = big + (lost + tail)
  const __m256d lost = _mm256_sub_pd(rh, _mm256_sub_pd(big, one));  // exact (fast two-sum)
  const __m256d small = _mm256_add_pd(lost, tail);
  const __m256d u_corr = _mm256_fmadd_pd(k.scale_alpha_hi, small, _mm256_mul_pd(k.scale_alpha_lo, big));
  __m256d u = _mm256_fmadd_pd(k.scale_alpha_hi, big, u_corr);
  u = _mm256_andnot_pd(_mm256_cmp_pd(x, k.grad_zero_below, _CMP_LT_OQ), u);
  const __m256d s = _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_castpd_si256(z), 52));
  __m256d out = _mm256_mul_pd(grad, _mm256_mul_pd(u, s));
  const __m256d far_lanes = _mm256_cmp_pd(n, set(-1000.5), _CMP_LT_OQ);
  if (_mm256_movemask_pd(far_lanes) != 0) {
    const __m256d s_far = _mm256_castsi256_pd(
        _mm256_slli_epi64(_mm256_add_epi64(_mm256_castpd_si256(z), _mm256_set1_epi64x(1600)), 52));
    const __m256d far = _mm256_mul_pd(_mm256_mul_pd(_mm256_mul_pd(grad, set(0x1p-600)), s_far),
                                      _mm256_mul_pd(u, set(0x1p-1000)));
    out = _mm256_blendv_pd(out, far, far_lanes);
  }
  return out;
}

}  // namespace detail

// grad·selu'(x) for 4 doubles: grad·λ for x > 0, grad·λα·eˣ otherwise (±0 and NaN included).
inline __m256d selu_grad_f64(__m256d grad, __m256d x, const SeluF64& k) {
  const __m256d neg = detail::grad_times_neg_slope(grad, x, k);
  const __m256d pos = _mm256_fmadd_pd(k.scale_hi, grad, _mm256_mul_pd(k.scale_lo, grad));
  return _mm256_blendv_pd(neg, pos, _mm256_cmp_pd(x, _mm256_setzero_pd(), _CMP_GT_OQ));
}

// ---- float32 ------------------------------------------------------------------------------------

struct SeluF32 {
  __m256 scale_hi, scale_lo;              // λ as a + b for the x > 0 branch (detail::positive_split)
  __m256 scale_alpha_hi, scale_alpha_lo;  // λα
  __m256 neg_sign;                        // as SeluF64::neg_sign
  __m256 q_lambda[6];                     // λα_hi·kExpm1QF32[k]; [0] = λα_hi/2 exactly
  // For the backward, which works in double: λ and λα as single doubles (hi + lo of two floats is
  // exact in double), the float polynomial's coefficients, and where double exp underflows to 0.
  __m256d grad_scale, grad_scale_alpha, grad_q[6], grad_zero_below;

  explicit SeluF32(const SeluConstants<float>& c) {
    const SplitConstant<float> scale = detail::positive_split(c.scale);
    scale_hi = _mm256_set1_ps(scale.hi);
    scale_lo = _mm256_set1_ps(scale.lo);
    scale_alpha_hi = _mm256_set1_ps(c.scale_alpha.hi);
    scale_alpha_lo = _mm256_set1_ps(c.scale_alpha.lo);
    neg_sign = _mm256_set1_ps(std::signbit(c.scale_alpha.hi) ? 0.0f : -0.0f);
    for (int k = 0; k < 6; ++k) {
      q_lambda[k] = _mm256_set1_ps(c.scale_alpha.hi * expm1_poly::kExpm1QF32[k]);
      grad_q[k] = _mm256_set1_pd(expm1_poly::kExpm1QF32[k]);
    }
    grad_scale = _mm256_set1_pd(static_cast<double>(c.scale.hi) + static_cast<double>(c.scale.lo));
    grad_scale_alpha =
        _mm256_set1_pd(static_cast<double>(c.scale_alpha.hi) + static_cast<double>(c.scale_alpha.lo));
    // −1075·ln2: below it the scalar kernel's double exp(x) is 0 and an infinite gradient gives NaN.
    grad_zero_below = _mm256_set1_pd(-0x1.74910d52d3052p+9);
  }
};

// selu(x) for 8 floats, in float arithmetic (method and error: the header comment).
inline __m256 selu_f32(__m256 x, const SeluF32& k) {
  using namespace expm1_poly;
  using detail::set;
  const __m256 one = set(1.0f);
  const __m256 xc = _mm256_max_ps(set(kForwardClampF32), x);  // NaN passes (max returns x)
  const __m256 z = _mm256_fmadd_ps(xc, set(kLog2eF32), set(kRoundMagicF32));
  const __m256 n = _mm256_sub_ps(z, set(kRoundMagicF32));
  const __m256 s = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(z), 23));  // 2ⁿ
  // Exact: |rh| < 1/2, and xc (|xc| ≥ 1/4 when n ≠ 0) and n·ln2_hi lie on the 2^-25 grid.
  // rl = −n·ln2_lo is left out: it is below |n|·2e-9, and s·rl stays below 0.04 ulp of the result.
  const __m256 rh = _mm256_fnmadd_ps(n, set(kLn2HiF32), xc);
  const __m256 a = _mm256_sub_ps(s, one);                      // exact for n ≥ −24
  const __m256 ea = _mm256_sub_ps(s, _mm256_add_ps(a, one));  // s − 1 − a: 0, or s for n < −24
  const __m256 b = _mm256_fmadd_ps(s, rh, ea);                 // exact for n ≥ −24, else s·(1+rh)
  const __m256 sum = _mm256_add_ps(a, b);
  const __m256 e = _mm256_sub_ps(b, _mm256_sub_ps(sum, a));   // a + b − sum, exact
  // s·rh² as b·rh: one product fewer; for n < −24 b also holds s·rh, which costs < 0.1 ulp there.
  const __m256 sr2 = _mm256_mul_ps(b, rh);
  const __m256 w = _mm256_fmadd_ps(k.scale_alpha_hi, e, _mm256_mul_ps(k.scale_alpha_lo, sum));
  const __m256 q1 = detail::horner<1, 5>(rh, k.q_lambda);  // (q(rh) − 1/2)/rh, times λα_hi
  const __m256 rest = _mm256_fmadd_ps(_mm256_mul_ps(sr2, rh), q1, w);
  const __m256 corr = _mm256_fmadd_ps(sr2, k.q_lambda[0], rest);
  const __m256 neg = _mm256_or_ps(_mm256_fmadd_ps(k.scale_alpha_hi, sum, corr), k.neg_sign);
  const __m256 pos = _mm256_fmadd_ps(k.scale_hi, x, _mm256_mul_ps(k.scale_lo, x));
  return _mm256_blendv_ps(pos, neg, x);
}

namespace detail {

// g·selu'(x) for 4 floats widened to double: g·λ for x > 0, g·λα·eˣ otherwise, to ~2^-32 relative
// (the float polynomial's accuracy), far more than one final rounding to float needs. Unlike the
// float64 kernel this needs no care for underflow: a float gradient is below 2^128, so where
// eˣ < 2^-1000 (x < −693) the result is far below the smallest float, and double holds every
// intermediate on the way.
inline __m256d grad_for_float(__m256d g, __m256d x, const SeluF32& k) {
  using namespace expm1_poly;
  // max(c, NaN) and min(c, NaN) return the NaN: NaN flows through. x > 0 lanes use 0.
  const __m256d xc = _mm256_min_pd(_mm256_setzero_pd(), _mm256_max_pd(set(-700.0), x));
  const __m256d z = _mm256_fmadd_pd(xc, set(kLog2eF64), set(kRoundMagicF64));
  const __m256d n = _mm256_sub_pd(z, set(kRoundMagicF64));
  const __m256d s = _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_castpd_si256(z), 52));  // 2ⁿ
  const __m256d r = _mm256_fnmadd_pd(n, set(kLn2LoF64), _mm256_fnmadd_pd(n, set(kLn2HiF64), xc));
  const __m256d q = horner<0, 5>(r, k.grad_q);  // q to 2^-28: eʳ to 2^-32
  const __m256d em1 = _mm256_fmadd_pd(_mm256_mul_pd(r, r), q, r);
  const __m256d ls = _mm256_mul_pd(k.grad_scale_alpha, s);
  __m256d slope = _mm256_fmadd_pd(ls, em1, ls);  // λα·2ⁿ·eʳ
  slope = _mm256_andnot_pd(_mm256_cmp_pd(x, k.grad_zero_below, _CMP_LT_OQ), slope);
  slope = _mm256_blendv_pd(slope, k.grad_scale, _mm256_cmp_pd(x, _mm256_setzero_pd(), _CMP_GT_OQ));
  return _mm256_mul_pd(g, slope);
}

}  // namespace detail

// grad·selu'(x) for 8 floats, computed in double and rounded once to float: ≤ 0.51 ulp, and
// results that are subnormal floats come out correctly rounded (eˣ alone underflows float at −87).
inline __m256 selu_grad_f32(__m256 grad, __m256 x, const SeluF32& k) {
  const __m256d lo = detail::grad_for_float(_mm256_cvtps_pd(_mm256_castps256_ps128(grad)),
                                            _mm256_cvtps_pd(_mm256_castps256_ps128(x)), k);
  const __m256d hi = detail::grad_for_float(_mm256_cvtps_pd(_mm256_extractf128_ps(grad, 1)),
                                            _mm256_cvtps_pd(_mm256_extractf128_ps(x, 1)), k);
  return _mm256_set_m128(_mm256_cvtpd_ps(hi), _mm256_cvtpd_ps(lo));
}

}  // namespace avx2
}  // namespace selu
