// SELU forward values and backward products of one register, written once over an ISA trait Isa:
// the maths of selu_math_avx2.h and selu_math_avx512.h, which define their trait and include this
// header (include those, from code compiled for that ISA). The method, its accuracy and its edge
// values are described in selu_math_avx2.h; both ISAs run these exact operations, so they give
// bit-identical results (cpp/tests/selu checks it). Build requirement: -ffp-contract=off, so that no
// product and sum below is fused into an FMA the error analysis does not count.
//
// Additions, subtractions and products are written as operators on the registers (GCC and Clang
// vector extensions: the same instructions as _mm*_add/sub/mul_*, which are defined that way). The
// trait provides the rest, where the ISAs differ:
//   F, D                      registers of floats and doubles (D has half F's lanes)
//   set(v)                    v in every lane (float → F, double → D)
//   fmadd(a, b, c), fnmadd    a·b + c and c − a·b, one rounding
//   max(c, x), min(c, x)      as maxps/minps: x when either is NaN
//   or_bits(a, b)             bitwise OR
//   pow2(z)                   2ⁿ from the exponent bits n + bias left in z's low mantissa bits
//   pow2_plus(z, k)           the same for n + k (double; k ≤ 1600)
//   blend_sign(pos, neg, x)   neg where x's sign bit is set, else pos
//   less(a, b), greater(a, b) a lane mask of a < b, a > b (ordered: false for NaN), F and D
//   not_less(a, b)            the float lanes where a < b is false (NaN included)
//   either(m1, m2)            the lanes set in m1 or m2 (float masks);  abs(f): |f| for floats
//   select(m, a, b)           b where m is set, else a;  any(m): whether some lane of m is set
//   zero_below(x, c, u)       0 where x < c (ordered), else u
//   widen_lo(f), widen_hi(f)  the low and high halves of F as D;  join(lo, hi): both narrowed to one F
//
// Everything is declared in selu::simd (in its inline namespace emulated when built with
// SELU_KERNELS_EMULATE_AVX512, as selu_math_avx512.h explains).
#pragma once

#include <cmath>
#include <limits>
#include <type_traits>

#include "../common/expm1_poly.h"
#include "selu_params.h"

// Under emulation GCC declines to inline these large functions (every 512-bit value then goes
// through memory), which makes the emulated tests several times slower; natively it inlines them.
#if defined(SELU_KERNELS_EMULATE_AVX512)
#define SELU_SIMD_INLINE inline __attribute__((always_inline))
#else
#define SELU_SIMD_INLINE inline
#endif

namespace selu {
namespace simd {
#if defined(SELU_KERNELS_EMULATE_AVX512)
inline namespace emulated {
#endif

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

// A register of T (not std::conditional: a vector type as a template argument loses its attributes).
template <typename Isa, typename T>
struct VecOf { using type = typename Isa::D; };
template <typename Isa>
struct VecOf<Isa, float> { using type = typename Isa::F; };
template <typename Isa, typename T>
using Vec = typename VecOf<Isa, T>::type;

// The broadcast constants of one call (build once per call). Forward: λ, λα and λα·q in T. Backward,
// always in double (hi + lo of two floats is exact in double): λ and λα, T's polynomial q, and the x
// below which eˣ counts as exactly 0: −1075·ln2 for float (there the scalar kernel's double exp(x) is
// 0), −16446·ln2 for double (its long double exp(x)); an infinite gradient gives Inf·0 = NaN there,
// and mirroring that keeps the levels in agreement.
template <typename Isa, typename T>
struct SeluVec {
  static constexpr int kDegree = expm1_poly::Expm1<T>::kDegree;
  using V = Vec<Isa, T>;
  using D = typename Isa::D;
  V scale_hi, scale_lo;              // λ as a + b for the x > 0 branch (positive_split)
  V scale_alpha_hi, scale_alpha_lo;  // λα
  V neg_sign;                        // OR-ed into x ≤ 0 results: −0.0 when λα ≥ 0, else +0.0
  V q_lambda[kDegree + 1];           // λα_hi·q[k]; [0] = λα_hi/2 exactly
  D grad_scale, grad_scale_alpha;    // used by the float backward only
  D grad_q[kDegree + 1];
  D grad_zero_below;
  bool grad_in_float;                // the float backward's own form applies (selu_grad_f32)

  explicit SeluVec(const SeluConstants<T>& c) {
    const SplitConstant<T> scale = positive_split(c.scale);
    scale_hi = Isa::set(scale.hi);
    scale_lo = Isa::set(scale.lo);
    scale_alpha_hi = Isa::set(c.scale_alpha.hi);
    scale_alpha_lo = Isa::set(c.scale_alpha.lo);
    neg_sign = Isa::set(std::signbit(c.scale_alpha.hi) ? T(0) : T(-0.0));
    for (int k = 0; k <= kDegree; ++k) {
      q_lambda[k] = Isa::set(c.scale_alpha.hi * expm1_poly::Expm1<T>::q()[k]);
      grad_q[k] = Isa::set(static_cast<double>(expm1_poly::Expm1<T>::q()[k]));
    }
    grad_scale = Isa::set(static_cast<double>(c.scale.hi) + static_cast<double>(c.scale.lo));
    grad_scale_alpha = Isa::set(static_cast<double>(c.scale_alpha.hi) + static_cast<double>(c.scale_alpha.lo));
    grad_zero_below = Isa::set(std::is_same<T, float>::value ? -0x1.74910d52d3052p+9 : -0x1.643bfcfe13c57p+13);
    // The float backward form (selu_grad_f32) needs λα > 0 (a zero result then has g's sign) and λα
    // moderate: with |g| < 2^100, g·λα·eʳ stays far from overflow, and its small part far from underflow
    // for ordinary g.
    grad_in_float = std::is_same<T, float>::value && c.scale_alpha.hi >= T(0x1p-20) && c.scale_alpha.hi <= T(0x1p20);
  }
};

namespace detail {

// Horner's rule for p[first] + p[first+1]·r + … + p[last]·r^(last−first) (coefficients already
// broadcast). Horner is the most accurate order, and these kernels are throughput-bound, so its
// longer dependency chain costs nothing.
template <typename Isa, int kFirst, int kLast, typename V>
SELU_SIMD_INLINE V horner(V r, const V* p) {
  V q = p[kLast];
  for (int k = kLast - 1; k >= kFirst; --k) q = Isa::fmadd(q, r, p[k]);
  return q;
}

// n = round(x·log2e) for a clamped x (|n| small enough that 2ⁿ, Isa::pow2(z), is normal or exactly
// 0). The callers go on with rh = x − n·ln2_hi, each in the order its register use was tuned for.
template <typename Isa, typename T>
struct Reduced {
  using V = Vec<Isa, T>;
  V z;  // x·log2e + the rounding magic: n + bias in the low mantissa bits
  V n;
};

template <typename Isa, typename T>
SELU_SIMD_INLINE Reduced<Isa, T> reduce(Vec<Isa, T> xc) {
  using C = expm1_poly::Expm1<T>;
  Reduced<Isa, T> r;
  r.z = Isa::fmadd(xc, Isa::set(C::kLog2e), Isa::set(C::kRoundMagic));
  r.n = r.z - Isa::set(C::kRoundMagic);
  return r;
}

}  // namespace detail

// selu(x) for one register of T (method and error: selu_math_avx2.h).
template <typename Isa, typename T>
SELU_SIMD_INLINE Vec<Isa, T> selu_forward(Vec<Isa, T> x, const SeluVec<Isa, T>& k) {
  using V = Vec<Isa, T>;
  using C = expm1_poly::Expm1<T>;
  const V one = Isa::set(T(1));
  // max(c, x) returns x when x is NaN, so NaN flows through every step below.
  const V xc = Isa::max(Isa::set(C::kForwardClamp), x);
  const detail::Reduced<Isa, T> r = detail::reduce<Isa, T>(xc);
  const V s = Isa::pow2(r.z);  // 2ⁿ
  // Exact: |rh| < 1/2, and xc (|xc| ≥ 1/4 when n ≠ 0) and n·ln2_hi lie on one grid (2^-25 / 2^-54).
  const V rh = Isa::fnmadd(r.n, Isa::set(C::kLn2Hi), xc);
  // rl = −n·ln2_lo: x − n·ln2 = rh + rl to ~2^-105 (double). For float, s·rl is below 0.04 ulp of
  // the result and left out (rl is then unused).
  const V rl = r.n * Isa::set(-C::kLn2Lo);
  const V a = s - one;                // exact for n ≥ −24 (float) / −53 (double)
  const V ea = s - (a + one);         // s − 1 − a: 0, or s below
  const V b = Isa::fmadd(s, rh, ea);  // exact where a is, else s·(1 + rh)
  const V sum = a + b;
  V e = b - (sum - a);  // a + b − sum, exact
  if constexpr (std::is_same<T, double>::value) {
    // s·rl·eʳʰ ≈ s·rl·(1 + rh): the part of eʳ − 1 that rl contributes, to 2^-60 of the result.
    const V srl = s * rl;
    e = e + Isa::fmadd(srl, rh, srl);
  }
  // s·rh² as b·rh: one product fewer; where b holds s·(1 + rh) this costs < 0.1 ulp.
  const V sr2 = b * rh;
  const V w = Isa::fmadd(k.scale_alpha_hi, e, k.scale_alpha_lo * sum);
  const V q1 = detail::horner<Isa, 1, C::kDegree>(rh, k.q_lambda);  // (q(rh) − 1/2)/rh, times λα_hi
  const V rest = Isa::fmadd(sr2 * rh, q1, w);
  const V corr = Isa::fmadd(sr2, k.q_lambda[0], rest);
  // The sum of x = −0 is +0: the OR restores the sign (every x ≤ 0 result has the sign of −λα).
  const V neg = Isa::or_bits(Isa::fmadd(k.scale_alpha_hi, sum, corr), k.neg_sign);
  const V pos = Isa::fmadd(k.scale_hi, x, k.scale_lo * x);
  // The sign bit of x picks: −0 and NaNs with the sign set take the x ≤ 0 branch.
  return Isa::blend_sign(pos, neg, x);
}

namespace detail {

// grad·λα·eˣ for double x ≤ 0 (other lanes: anything). eˣ = 2ⁿ·eʳ; u = λα·eʳ is formed to ~0.5 ulp
// and the power of two is applied without ever underflowing an intermediate:
//  - n ≥ −1000: grad·(u·2ⁿ), u·2ⁿ normal, one rounding;
//  - n < −1000 (x < −693: eˣ near or below the double range, the product still representable for a
//    large grad): ((grad·2^-600)·2^(n+1600))·(u·2^-1000). The first two products are exact unless
//    they underflow, and they underflow only where the true result is below 2^-2000, i.e. 0.
// The second form is computed only when a lane needs it: its intermediates underflow for ordinary
// x, and subnormal results cost microcode assists on many x86 cores. Per lane the result is the same
// either way, so it does not depend on how an array is split into vectors.
template <typename Isa>
SELU_SIMD_INLINE typename Isa::D grad_times_neg_slope(typename Isa::D grad, typename Isa::D x,
                                                      const SeluVec<Isa, double>& k) {
  using D = typename Isa::D;
  using C = expm1_poly::Expm1<double>;
  const D one = Isa::set(1.0);
  // Below −1500 every double gradient gives a result far under the smallest subnormal; above 0 the
  // lane takes the other branch, and clamping keeps its intermediates ordinary numbers.
  // Operand order matters: max(c, NaN) and min(c, NaN) return the NaN (their second operand).
  const D xc = Isa::min(Isa::set(0.0), Isa::max(Isa::set(-1500.0), x));
  const Reduced<Isa, double> r = reduce<Isa, double>(xc);
  const D rh = Isa::fnmadd(r.n, Isa::set(C::kLn2Hi), xc);  // exact, as in selu_forward
  const D rl = r.n * Isa::set(-C::kLn2Lo);  // up to 5e-14 here: keep rl·(eʳʰ−1)
  const D p = (rh * rh) * horner<Isa, 0, C::kDegree>(rh, k.grad_q);  // eʳʰ − 1 − rh
  const D em1 = rh + p;                                                // eʳʰ − 1
  const D tail = Isa::fmadd(rl, em1, rl + p);                          // eʳ − 1 − rh
  const D big = one + rh;                                              // eʳ = big + (lost + tail)
  const D lost = rh - (big - one);                                     // exact (fast two-sum)
  const D small = lost + tail;
  const D u_corr = Isa::fmadd(k.scale_alpha_hi, small, k.scale_alpha_lo * big);
  const D u = Isa::zero_below(x, k.grad_zero_below, Isa::fmadd(k.scale_alpha_hi, big, u_corr));
  D out = grad * (u * Isa::pow2(r.z));
  const auto far_lanes = Isa::less(r.n, Isa::set(-1000.5));
  if (Isa::any(far_lanes)) {
    const D far = ((grad * Isa::set(0x1p-600)) * Isa::pow2_plus(r.z, 1600)) * (u * Isa::set(0x1p-1000));
    out = Isa::select(far_lanes, out, far);
  }
  return out;
}

// g·selu'(x) for floats widened to double: g·λ for x > 0, g·λα·eˣ otherwise, to ~2^-32 relative
// (the float polynomial's accuracy), far more than one final rounding to float needs. Unlike the
// float64 kernel this needs no care for underflow: a float gradient is below 2^128, so where
// eˣ < 2^-1000 (x < −693) the result is far below the smallest float, and double holds every
// intermediate on the way.
template <typename Isa>
SELU_SIMD_INLINE typename Isa::D grad_for_float(typename Isa::D g, typename Isa::D x, const SeluVec<Isa, float>& k) {
  using D = typename Isa::D;
  using C = expm1_poly::Expm1<double>;
  // max(c, NaN) and min(c, NaN) return the NaN: NaN flows through. x > 0 lanes use 0.
  const D xc = Isa::min(Isa::set(0.0), Isa::max(Isa::set(-700.0), x));
  const Reduced<Isa, double> red = reduce<Isa, double>(xc);
  const D s = Isa::pow2(red.z);
  const D r = Isa::fnmadd(red.n, Isa::set(C::kLn2Lo), Isa::fnmadd(red.n, Isa::set(C::kLn2Hi), xc));
  const D q = horner<Isa, 0, expm1_poly::Expm1<float>::kDegree>(r, k.grad_q);  // q to 2^-28: eʳ to 2^-32
  const D em1 = Isa::fmadd(r * r, q, r);
  const D ls = k.grad_scale_alpha * s;
  const D slope = Isa::zero_below(x, k.grad_zero_below, Isa::fmadd(ls, em1, ls));  // λα·2ⁿ·eʳ
  return g * Isa::select(Isa::greater(x, Isa::set(0.0)), slope, k.grad_scale);
}

// grad·selu'(x) for floats, computed in double and rounded once to float: ≤ 0.51 ulp, and
// results that are subnormal floats come out correctly rounded (eˣ alone underflows float at −87).
// Half the lanes per instruction of the float form below, which leaves some lanes to this one.
template <typename Isa>
SELU_SIMD_INLINE typename Isa::F selu_grad_f32_wide(typename Isa::F grad, typename Isa::F x, const SeluVec<Isa, float>& k) {
  const typename Isa::D lo = grad_for_float<Isa>(Isa::widen_lo(grad), Isa::widen_lo(x), k);
  const typename Isa::D hi = grad_for_float<Isa>(Isa::widen_hi(grad), Isa::widen_hi(x), k);
  return Isa::join(lo, hi);
}

// The float form's domain: x ≥ −69, so that n = round(x·log2e) ≥ −100 and 2ⁿ is a normal float, and
// |g| < 2^100, so that g·λα·e^(x − n·ln2) (at most 2.5·|g|) cannot overflow before the scaling by 2ⁿ.
constexpr float kGradFloatMinX = -69.0f;
constexpr float kGradFloatMaxG = 0x1p100f;

// g·selu'(x) in float arithmetic, for x ≥ kGradFloatMinX and |g| < kGradFloatMaxG (other lanes:
// anything; the caller replaces them). x ≤ 0: x = n·ln2 + rh + rl with rh exact and rl = −n·ln2_lo
// tiny, so λα·eˣ = 2ⁿ·λα·e^rh·(1 + rl). λα·e^rh = λα_hi + y + λα_lo with y = λα_hi·rh +
// rh²·(λα_hi·q(rh)) (the forward's polynomial, to 2^-28) rounded once; λα_hi + y is split exactly into
// hi + lo (Fast2Sum, |y| < λα_hi), and lo gathers λα_lo and hi·rl. Then g·(hi + lo) = fmadd(g, hi,
// g·lo), where g·lo is ~2^-24 of the result, and the product by 2ⁿ is exact unless the result is
// subnormal (then it is that result's one rounding, with the earlier ones far below its ulp). What
// counts: y's rounding (≤ 2^-25 against λα·e^rh ≥ 1.24, 1/4 ulp) and the final one, 0.87 ulp measured
// over every x with g = 1; for |g| below about 2^-100, g·lo is itself subnormal and its rounding adds up
// to half an ulp near the smallest normal results (1.21 ulp measured; cpp/tests/selu, docs/ACCURACY.md).
// x > 0: g·λ as the forward's x > 0 branch.
template <typename Isa>
SELU_SIMD_INLINE typename Isa::F grad_in_float(typename Isa::F g, typename Isa::F x, const SeluVec<Isa, float>& k) {
  using F = typename Isa::F;
  using C = expm1_poly::Expm1<float>;
  const Reduced<Isa, float> red = reduce<Isa, float>(x);
  const F rh = Isa::fnmadd(red.n, Isa::set(C::kLn2Hi), x);  // exact (selu_forward)
  const F rl = red.n * Isa::set(-C::kLn2Lo);
  const F y = Isa::fmadd(k.scale_alpha_hi, rh, (rh * rh) * horner<Isa, 0, C::kDegree>(rh, k.q_lambda));
  const F hi = k.scale_alpha_hi + y;
  const F lo = Isa::fmadd(hi, rl, ((k.scale_alpha_hi - hi) + y) + k.scale_alpha_lo);
  F neg = Isa::fmadd(g, hi, g * lo) * Isa::pow2(red.z);
  // A zero g gives a zero of g's sign (as g·λα·eˣ, λα > 0); +0 + −0 would be +0 for g = −0.
  neg = Isa::blend_sign(neg, Isa::or_bits(neg, Isa::set(-0.0f)), g);
  const F pos = Isa::fmadd(k.scale_hi, g, k.scale_lo * g);
  return Isa::select(Isa::greater(x, Isa::set(0.0f)), neg, pos);
}

}  // namespace detail

// grad·selu'(x) for floats: ≤ 2 ulp (docs/ACCURACY.md). The float form, twice the lanes per
// instruction of the double one, where it applies; the double form for lanes with x < −69, |g| ≥ 2^100
// (±Inf and NaN included) and for parameters outside the float form's range. Each lane's result
// depends only on its own x and g, never on its neighbours, so splits, threads and ISAs agree bit for
// bit. NaN x gives NaN in both forms.
template <typename Isa>
SELU_SIMD_INLINE typename Isa::F selu_grad_f32(typename Isa::F grad, typename Isa::F x, const SeluVec<Isa, float>& k) {
  if (!k.grad_in_float) return detail::selu_grad_f32_wide<Isa>(grad, x, k);
  const typename Isa::F y = detail::grad_in_float<Isa>(grad, x, k);
  const auto wide_lanes = Isa::either(Isa::less(x, Isa::set(detail::kGradFloatMinX)),
                                      Isa::not_less(Isa::abs(grad), Isa::set(detail::kGradFloatMaxG)));
  if (!Isa::any(wide_lanes)) return y;
  return Isa::select(wide_lanes, y, detail::selu_grad_f32_wide<Isa>(grad, x, k));
}

// grad·selu'(x) for doubles: grad·λ for x > 0, grad·λα·eˣ otherwise (±0 and NaN included).
template <typename Isa>
SELU_SIMD_INLINE typename Isa::D selu_grad_f64(typename Isa::D grad, typename Isa::D x, const SeluVec<Isa, double>& k) {
  const typename Isa::D neg = detail::grad_times_neg_slope<Isa>(grad, x, k);
  const typename Isa::D pos = Isa::fmadd(k.scale_hi, grad, k.scale_lo * grad);
  return Isa::select(Isa::greater(x, Isa::set(0.0)), neg, pos);
}

// selu(x) for floats and for doubles.
template <typename Isa>
SELU_SIMD_INLINE typename Isa::F selu_f32(typename Isa::F x, const SeluVec<Isa, float>& k) {
  return selu_forward<Isa, float>(x, k);
}
template <typename Isa>
SELU_SIMD_INLINE typename Isa::D selu_f64(typename Isa::D x, const SeluVec<Isa, double>& k) {
  return selu_forward<Isa, double>(x, k);
}

#if defined(SELU_KERNELS_EMULATE_AVX512)
}  // inline namespace emulated
#endif
}  // namespace simd
}  // namespace selu
