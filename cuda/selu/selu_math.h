// SELU forward and backward for one element, for the CUDA kernels (and, compiled for the host, for the
// native tests in cuda/tests that compare them with the CPU kernels).
//
// float32 and float64 are each computed in their own precision with an extended-precision core, so the
// GPU needs no wider type (float64 is 1/64 speed on most GPUs):
//   x = k·ln2 + r (Cody–Waite, ln2 in three parts), |r| ≤ ln2/2 kept as a pair rh + rl;
//   expm1(r) = r + r²/2 + r³·Q(r) as a pair s + lo (Taylor to degree 9 for float, 14 for double: the
//   truncation error is below 2^-35 resp. 2^-61 relative);
//   expm1(x) = (2^k − 1) + 2^k·expm1(r), e^x = 2^k·(1 + expm1(r)), both as pairs;
//   then λα (itself a pair hi + lo, from lib/constants.ts) times the pair, rounded once.
// The result is within about 0.55 ulp of the exact value (faithful), so it is within 1 ulp of the CPU
// kernels, which are within half an ulp (cuda/tests/selu_math_test.cc checks every float32 input).
//
// Special values follow the CPU kernels: selu(−0) = −0, NaN stays NaN, selu(±Inf) = +Inf / −λα; the
// backward slope at x = 0 is λα (the negative branch, as PyTorch), and its x = −Inf slope is exactly 0.
#pragma once

#include "../common/hd.h"

namespace selu_cuda {

// λ and λα as unevaluated pairs in the working precision (selu::SeluConstants<T> has the same layout;
// the launchers build these from selu::make_selu_constants_f32/f64).
template <typename T>
struct SeluK {
  T scale_hi, scale_lo, scale_alpha_hi, scale_alpha_lo;
  double scale_alpha_wide;  // scale_alpha_hi + scale_alpha_lo in double (exact for float): the wide float32 path
};

// float32 SELU on GPUs with full-rate float64 (sm_80 A100, sm_90 H100/H200) goes through float64
// arithmetic (selu_negative_wide): about 20 instructions per element instead of about 60 for the
// float-float path, which keeps the kernels memory-bound there. Other GPUs (and the host build) use the
// float-float path. Both are faithful; cuda/tests checks both.
#if defined(__CUDA_ARCH__) && (__CUDA_ARCH__ == 800 || __CUDA_ARCH__ == 900)
#define SELU_WIDE_FLOAT 1
#else
#define SELU_WIDE_FLOAT 0
#endif

template <typename T>
struct ExpTraits;

template <>
struct ExpTraits<float> {
  static SELU_HD float inv_ln2() { return 0x1.715476p+0f; }
  // ln2 = l1 + l2 + l3; l1 and l2 have 15 significant bits, so k·l1 and k·l2 are exact for |k| < 512.
  static SELU_HD float l1() { return 0x1.62e4p-1f; }
  static SELU_HD float l2() { return 0x1.7f7cp-20f; }
  static SELU_HD float l3() { return 0x1.1cf79ap-36f; }
  // Below this the forward result is −λα after rounding (e^x < 2^-43): the argument is clamped there.
  static SELU_HD float forward_clamp() { return -30.0f; }
  // Below this g·λα·e^x is 0 for every finite g (e^-194 < 2^-280).
  static SELU_HD float backward_min() { return -200.0f; }
  static constexpr int kMinExp = -126;
  static constexpr int kBigExp = 64;  // gradients above 2^64 are pre-scaled so g·slope cannot overflow
  // Q(r) = Σ_{n=3..9} r^(n−3)/n!
  static SELU_HD float q(float r) {
    return horner(r, 0x1.555556p-3f, 0x1.555556p-5f, 0x1.111112p-7f, 0x1.6c16c2p-10f, 0x1.a01a02p-13f,
                  0x1.a01a02p-16f, 0x1.71de3ap-19f);
  }
};

template <>
struct ExpTraits<double> {
  static SELU_HD double inv_ln2() { return 0x1.71547652b82fep+0; }
  // l1, l2 have at most 40 significant bits: k·l1 and k·l2 are exact for |k| < 4096.
  static SELU_HD double l1() { return 0x1.62e42fefa4p-1; }
  static SELU_HD double l2() { return -0x1.8432a1b0e2p-43; }
  static SELU_HD double l3() { return -0x1.8cff81a12a17ep-85; }
  static SELU_HD double forward_clamp() { return -40.0; }
  static SELU_HD double backward_min() { return -1500.0; }
  static constexpr int kMinExp = -1022;
  static constexpr int kBigExp = 64;
  // Q(r) = Σ_{n=3..14} r^(n−3)/n!
  static SELU_HD double q(double r) {
    return horner(r, 0x1.5555555555555p-3, 0x1.5555555555555p-5, 0x1.1111111111111p-7, 0x1.6c16c16c16c17p-10,
                  0x1.a01a01a01a01ap-13, 0x1.a01a01a01a01ap-16, 0x1.71de3a556c734p-19, 0x1.27e4fb7789f5cp-22,
                  0x1.ae64567f544e4p-26, 0x1.1eed8eff8d898p-29, 0x1.6124613a86d09p-33, 0x1.93974a8c07c9dp-37);
  }
};

// x = k·ln2 + rh + rl for finite x ≤ 0 with |k| below the traits' bound; |rh + rl| ≤ ln2/2 + ε.
template <typename T>
SELU_HD void reduce_ln2(T x, T& kf, T& rh, T& rl) {
  using E = ExpTraits<T>;
  kf = rint_(x * E::inv_ln2());
  const T r1 = fma_(-kf, E::l1(), x);  // exact (Sterbenz: x and k·l1 are within a factor 2)
  const T p2 = kf * E::l2();           // exact
  two_sum(r1, -p2, rh, rl);
  rl = fma_(-kf, E::l3(), rl);
}

// expm1(rh + rl) = s + lo for |rh + rl| ≤ ln2/2 + ε.
template <typename T>
SELU_HD void expm1_reduced(T rh, T rl, T& s, T& lo) {
  const T h = rh * rh;
  const T he = fma_(rh, rh, -h);                 // rh² = h + he exactly
  const T h2 = T(0.5) * h;                       // r²/2 = h2 + h2e (up to rl² terms)
  const T h2e = fma_(rh, rl, T(0.5) * he);
  const T t = (rh * h) * ExpTraits<T>::q(rh);    // r³·Q(r), at most 2.5% of the result
  T e;
  fast_two_sum(rh, h2, s, e);                    // |rh| ≥ r²/2 for |r| < 2
  lo = e + (rl + (h2e + t));
}

// v·(hi + lo) rounded once, for finite v ≠ 0: tiny |v| is scaled up first, so that lo·v loses no bits
// to underflow (the product is then rounded once more only if it is subnormal).
template <typename T>
SELU_HD T scaled_product(T v, T hi, T lo) {
  using E = ExpTraits<T>;
  if (v < pow2<T>(-60) && v > -pow2<T>(-60)) {
    const T vs = v * pow2<T>(E::kBigExp);
    return fma_(hi, vs, lo * vs) * pow2<T>(-E::kBigExp);
  }
  return fma_(hi, v, lo * v);
}

// The negative branch of SELU: λα·expm1(x) for x ≤ 0 (x = −0 and NaN included).
template <typename T>
SELU_HD T selu_negative(T x, T sa_hi, T sa_lo) {
  if (x == T(0) || x != x) return x * sa_hi;  // ±0 keeps its sign; NaN stays NaN
  using E = ExpTraits<T>;
  if (x > -pow2<T>(-60)) return scaled_product(x, sa_hi, sa_lo);  // expm1(x) = x far below half an ulp
  if (x < E::forward_clamp()) x = E::forward_clamp();  // −Inf too
  T kf, rh, rl, s, lo;
  reduce_ln2(x, kf, rh, rl);
  expm1_reduced(rh, rl, s, lo);
  T u = s, v = lo;
  if (kf != T(0)) {
    const T sc = pow2<T>(static_cast<int>(kf));
    T ch, cl, ue;
    fast_two_sum(T(-1), sc, ch, cl);      // 2^k − 1 = ch + cl
    fast_two_sum(ch, s * sc, u, ue);      // |ch| ≥ 1/2 > |2^k·s|
    v = ue + (cl + lo * sc);
  }
  return fma_(sa_hi, u, fma_(sa_hi, v, sa_lo * u));
}

// ---- the float64 path for float32 (see SELU_WIDE_FLOAT) ---------------------------------------------

// expm1(r) for |r| ≤ ln2/2 + ε in double: r + r²·Σ_{n=2..9} r^(n−2)/n! (truncation below 2^-35 relative,
// far below what a float32 result needs).
SELU_HD double expm1_reduced_wide(double r) {
  const double p = horner(r, 0.5, 0x1.5555555555555p-3, 0x1.5555555555555p-5, 0x1.1111111111111p-7,
                          0x1.6c16c16c16c17p-10, 0x1.a01a01a01a01ap-13, 0x1.a01a01a01a01ap-16, 0x1.71de3a556c734p-19);
  return fma_(r * r, p, r);
}

// x = k·ln2 + r in double for |x| < 2^30: k rounded to nearest through the 1.5·2^52 shifter (its low
// mantissa bits hold k), scale = 2^k built from k's bits (no float-to-int conversion: defined for NaN).
SELU_HD double reduce_wide(double x, double& scale) {
  const double shifter = 0x1.8p52;
  const double km = fma_(x, 0x1.71547652b82fep+0, shifter);
  const double kd = km - shifter;
  const int32_t k = static_cast<int32_t>(static_cast<uint32_t>(bits(km)));
  scale = double_from_bits(static_cast<uint64_t>(static_cast<int64_t>(k) + 1023) << 52);
  const double r = fma_(-kd, 0x1.62e42fefa39efp-1, x);
  return fma_(-kd, 0x1.abc9e3b39803fp-56, r);
}

// λα·expm1(x) for float32 x ≤ 0 (−0 and NaN included), through double; sa = λα as a double.
SELU_HD float selu_negative_wide(float x, float sa_hi, double sa) {
  if (x == 0.0f || x != x) return x * sa_hi;
  const double xd = x < -30.0f ? -30.0 : static_cast<double>(x);  // −Inf too
  double scale;
  const double e = expm1_reduced_wide(reduce_wide(xd, scale));
  return static_cast<float>(sa * fma_(scale, e, scale - 1.0));  // 2^k·e^r − 1 = 2^k·expm1(r) + (2^k − 1)
}

// g·λα·e^x for float32 x ≤ 0, through double.
SELU_HD float selu_backward_negative_wide(float g, float x, float sa_hi, double sa) {
  if (!(x >= ExpTraits<float>::backward_min())) {
    if (x != x) return x + g;
    if (x == -INFINITY) return g * 0.0f;
    const float tiny = pow2<float>(ExpTraits<float>::kMinExp);
    return ((g * tiny) * tiny) * tiny;
  }
  (void)sa_hi;
  double scale;
  const double m = 1.0 + expm1_reduced_wide(reduce_wide(static_cast<double>(x), scale));  // e^r
  return static_cast<float>(((static_cast<double>(g) * sa) * m) * scale);  // 2^k ≥ 2^-289: exact scaling
}

// ---- dispatch ---------------------------------------------------------------------------------------

// kWide selects the float64 path for float32 (ignored for double).
template <typename T, bool kWide = SELU_WIDE_FLOAT>
SELU_HD T selu_forward(T x, const SeluK<T>& k) {
  if (x > T(0)) {
    // λ·x rounded once; +Inf stays +Inf (the fma would give Inf − Inf when scale_lo < 0).
    if (!(x < T(INFINITY))) return x * k.scale_hi;
    return scaled_product(x, k.scale_hi, k.scale_lo);
  }
  if constexpr (kWide && sizeof(T) == 4) return selu_negative_wide(x, k.scale_alpha_hi, k.scale_alpha_wide);
  else return selu_negative(x, k.scale_alpha_hi, k.scale_alpha_lo);
}

// p·2^kk rounded once unless the result is subnormal (then possibly twice): kk < kMinExp is applied
// in three negative steps, so an intermediate can only leave the normal range if the result does too.
template <typename T>
SELU_HD T scale_pow2(T p, int kk) {
  constexpr int kMin = ExpTraits<T>::kMinExp;
  if (kk >= kMin) return p * pow2<T>(kk);
  const int k1 = kk / 3;
  const int k2 = (kk - k1) / 2;
  return ((p * pow2<T>(k1)) * pow2<T>(k2)) * pow2<T>(kk - k1 - k2);
}

// The backward negative branch: g·λα·e^x for x ≤ 0.
template <typename T>
SELU_HD T selu_backward_negative(T g, T x, T sa_hi, T sa_lo) {
  using E = ExpTraits<T>;
  if (!(x >= E::backward_min())) {
    if (x != x) return x + g;                    // NaN input: NaN
    if (x == T(-INFINITY)) return g * T(0);      // e^-Inf = 0 exactly: ±0, NaN for an infinite g
    const T tiny = pow2<T>(E::kMinExp);          // the slope is positive but below every g's reach
    return ((g * tiny) * tiny) * tiny;
  }
  T kf, rh, rl, s, lo;
  reduce_ln2(x, kf, rh, rl);
  expm1_reduced(rh, rl, s, lo);
  T mh, ml;
  fast_two_sum(T(1), s, mh, ml);                 // e^r = mh + ml, |s| < 1/2
  ml = ml + lo;
  const T sh = sa_hi * mh;                       // λα·e^r = sh + sl
  const T sl = fma_(sa_hi, mh, -sh) + fma_(sa_hi, ml, sa_lo * mh);
  if (g == T(0) || !(g < T(INFINITY) && g > T(-INFINITY))) return g * sh;  // ±0, ±Inf, NaN
  int kk = static_cast<int>(kf);
  T gg = g;
  if (g > pow2<T>(E::kBigExp) || g < -pow2<T>(E::kBigExp)) {
    gg = g * pow2<T>(-E::kBigExp);
    kk += E::kBigExp;
  } else if (g < pow2<T>(-60) && g > -pow2<T>(-60)) {  // tiny g: keep gg·sl clear of underflow
    gg = g * pow2<T>(E::kBigExp);
    kk -= E::kBigExp;
  }
  return scale_pow2(fma_(gg, sh, gg * sl), kk);
}

template <typename T, bool kWide = SELU_WIDE_FLOAT>
SELU_HD T selu_backward(T g, T x, const SeluK<T>& k) {
  if (x > T(0)) {
    if (g == T(0) || !(g < T(INFINITY) && g > T(-INFINITY))) return g * k.scale_hi;
    return scaled_product(g, k.scale_hi, k.scale_lo);
  }
  if constexpr (kWide && sizeof(T) == 4) return selu_backward_negative_wide(g, x, k.scale_alpha_hi, k.scale_alpha_wide);
  else return selu_backward_negative(g, x, k.scale_alpha_hi, k.scale_alpha_lo);
}

}  // namespace selu_cuda
