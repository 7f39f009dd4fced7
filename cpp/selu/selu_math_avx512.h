// SELU forward values and backward products for one AVX-512 vector: the maths of the AVX-512
// kernels (selu_avx512.cc), for every kernel compiled with the AVX-512 flags (-mavx512f -mavx512dq
// -mavx512bw -mavx512vl -mavx2 -mfma) that needs SELU of a register, e.g. the fused kernels.
//
// API (namespace selu::avx512; lane-wise, so a masked tail gives bit for bit what a full vector
// gives):
//
//   SeluF32 k(const SeluConstants<float>& c);    broadcast constants; build once per call
//   __m512  selu_f32(__m512 x, const SeluF32& k)              selu(x) for 16 floats
//   __m512  selu_grad_f32(__m512 g, __m512 x, const SeluF32& k)
//                            g·selu'(x) for 16 floats (λ for x > 0, λα·eˣ otherwise), computed in double
//   SeluF64 k(const SeluConstants<double>& c);
//   __m512d selu_f64(__m512d x, const SeluF64& k)             selu(x) for 8 doubles
//   __m512d selu_grad_f64(__m512d g, __m512d x, const SeluF64& k)   g·selu'(x) for 8 doubles
//
//   io::load(p) / io::load(p, mask), io::store(p, v) / io::store(p, mask, v) (mask: __mmask16 for
//   float, __mmask8 for double; masked-out lanes are neither read nor written, and load as 0),
//   io::stream(p, v) (p 64-byte aligned), io::widen(__m256 → __m512d), io::narrow(__m512d → __m256):
//   the memory accesses and conversions the kernels use, so that code built on this header also
//   builds, and stays memory-safe, under emulation.
//
// The algorithm, its constants, accuracy and edge values are those of selu_math_avx2.h, operation
// for operation (mask blends where AVX2 uses blendv): the two ISAs give bit-identical results, which
// cpp/tests/selu checks. Read that header's comment; the -ffp-contract=off build requirement is the
// same.
//
// Emulation: with SELU_KERNELS_EMULATE_AVX512 defined (and only -mavx2 -mfma), the intrinsics come
// from SIMDe (Debian's libsimde-dev, header-only), which implements each 512-bit operation as two
// AVX2 operations with the same IEEE results. The native tests use this to run the AVX-512 algorithm
// on CPUs without AVX-512. SIMDe 0.7.4 lacks masked loads/stores, streaming stores and the ps↔pd
// conversions, hence the io helpers (emulated lane by lane, so nothing outside the mask is touched).
// Everything is then declared in the inline namespace selu::avx512::emulated, so an emulated and a
// native build of this header can be linked into one program without mixing their inline functions.
#pragma once

#if defined(SELU_KERNELS_EMULATE_AVX512)
#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/x86/avx512.h>
#if !defined(SIMDE_X86_AVX2_NATIVE) || !defined(SIMDE_X86_FMA_NATIVE)
#error "AVX-512 emulation needs -mavx2 -mfma: SIMDe must use real fused multiply-adds"
#endif
#include <cstring>
#else
#include <immintrin.h>
#if !defined(__AVX512F__) || !defined(__AVX512DQ__) || !defined(__FMA__)
#error "selu_math_avx512.h must be compiled with -mavx512f -mavx512dq (and -mfma)"
#endif
#endif

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <cstdlib>

#include "../common/expm1_poly.h"
#include "selu_params.h"

// Under emulation GCC declines to inline these large functions (every 512-bit value then goes
// through memory), which makes the emulated tests several times slower; natively it inlines them.
#if defined(SELU_KERNELS_EMULATE_AVX512)
#define SELU_AVX512_INLINE inline __attribute__((always_inline))
#else
#define SELU_AVX512_INLINE inline
#endif

namespace selu {
namespace avx512 {
#if defined(SELU_KERNELS_EMULATE_AVX512)
inline namespace emulated {
#endif

namespace io {

#if defined(SELU_KERNELS_EMULATE_AVX512)
// Lane by lane through a buffer: masked-out lanes are neither read nor written (0 when loaded).
template <typename T, typename V, typename Mask>
inline V masked_load(const T* p, Mask k, V (*load_aligned)(const void*)) {
  constexpr int kLanes = sizeof(V) / sizeof(T);
  alignas(64) T buf[kLanes] = {};
  for (int i = 0; i < kLanes; ++i)
    if ((k >> i) & 1) buf[i] = p[i];
  return load_aligned(buf);
}
template <typename T, typename V, typename Mask>
inline void masked_store(T* p, Mask k, V v, void (*store_aligned)(void*, V)) {
  constexpr int kLanes = sizeof(V) / sizeof(T);
  alignas(64) T buf[kLanes];
  store_aligned(buf, v);
  for (int i = 0; i < kLanes; ++i)
    if ((k >> i) & 1) p[i] = buf[i];
}
inline __m512 load_aligned_ps(const void* p) { return _mm512_load_ps(p); }
inline __m512d load_aligned_pd(const void* p) { return _mm512_load_pd(p); }
inline void store_aligned_ps(void* p, __m512 v) { _mm512_store_ps(p, v); }
inline void store_aligned_pd(void* p, __m512d v) { _mm512_store_pd(p, v); }

inline __m512 load(const float* p, __mmask16 k) { return masked_load(p, k, load_aligned_ps); }
inline __m512d load(const double* p, __mmask8 k) { return masked_load(p, k, load_aligned_pd); }
inline void store(float* p, __mmask16 k, __m512 v) { masked_store(p, k, v, store_aligned_ps); }
inline void store(double* p, __mmask8 k, __m512d v) { masked_store(p, k, v, store_aligned_pd); }
// An ordinary store, but it insists on the 64-byte alignment the real instruction needs, so the
// tests catch a kernel that streams to an unaligned address.
inline void stream(float* p, __m512 v) {
  if (reinterpret_cast<uintptr_t>(p) % 64 != 0) std::abort();
  _mm512_store_ps(p, v);
}
inline void stream(double* p, __m512d v) {
  if (reinterpret_cast<uintptr_t>(p) % 64 != 0) std::abort();
  _mm512_store_pd(p, v);
}
inline __m512d widen(__m256 v) {
  return _mm512_insertf64x4(_mm512_castpd256_pd512(_mm256_cvtps_pd(_mm256_castps256_ps128(v))),
                            _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)), 1);
}
inline __m256 narrow(__m512d v) {
  return _mm256_set_m128(_mm256_cvtpd_ps(_mm512_extractf64x4_pd(v, 1)),
                         _mm256_cvtpd_ps(_mm512_castpd512_pd256(v)));
}
#else
inline __m512 load(const float* p, __mmask16 k) { return _mm512_maskz_loadu_ps(k, p); }
inline __m512d load(const double* p, __mmask8 k) { return _mm512_maskz_loadu_pd(k, p); }
inline void store(float* p, __mmask16 k, __m512 v) { _mm512_mask_storeu_ps(p, k, v); }
inline void store(double* p, __mmask8 k, __m512d v) { _mm512_mask_storeu_pd(p, k, v); }
inline void stream(float* p, __m512 v) { _mm512_stream_ps(p, v); }
inline void stream(double* p, __m512d v) { _mm512_stream_pd(p, v); }
inline __m512d widen(__m256 v) { return _mm512_cvtps_pd(v); }
inline __m256 narrow(__m512d v) { return _mm512_cvtpd_ps(v); }
#endif
inline __m512 load(const float* p) { return _mm512_loadu_ps(p); }
inline __m512d load(const double* p) { return _mm512_loadu_pd(p); }
inline void store(float* p, __m512 v) { _mm512_storeu_ps(p, v); }
inline void store(double* p, __m512d v) { _mm512_storeu_pd(p, v); }

}  // namespace io

namespace detail {

// As avx2::detail::same_sign_split and positive_split (λ as a + b for the x > 0 branch).
template <typename T>
inline SplitConstant<T> same_sign_split(SplitConstant<T> c) {
  if (c.hi == 0 || !std::isfinite(c.hi)) return c;
  if (c.lo == 0) return {c.hi, std::copysign(std::numeric_limits<T>::denorm_min(), c.hi)};
  if (std::signbit(c.lo) == std::signbit(c.hi)) return c;
  const T hi = std::nextafter(c.hi, T(0));
  const long double lo = static_cast<long double>(c.lo) + (static_cast<long double>(c.hi) - hi);
  return {hi, static_cast<T>(lo)};
}

template <typename T>
inline SplitConstant<T> positive_split(SplitConstant<T> c) {
  const T a = (c.hi - T(1)) + c.lo;
  if (c.hi >= 1 && a > 0 && c.hi + c.lo <= T(1.0625)) return {a, T(1)};
  return same_sign_split(c);
}

inline __m512 set(float v) { return _mm512_set1_ps(v); }
inline __m512d set(double v) { return _mm512_set1_pd(v); }

inline __mmask16 sign_mask(__m512 x) { return _mm512_movepi32_mask(_mm512_castps_si512(x)); }
inline __mmask8 sign_mask(__m512d x) { return _mm512_movepi64_mask(_mm512_castpd_si512(x)); }

template <int kFirst, int kLast>
SELU_AVX512_INLINE __m512 horner(__m512 r, const __m512* p) {
  __m512 q = p[kLast];
  for (int k = kLast - 1; k >= kFirst; --k) q = _mm512_fmadd_ps(q, r, p[k]);
  return q;
}
template <int kFirst, int kLast>
SELU_AVX512_INLINE __m512d horner(__m512d r, const __m512d* p) {
  __m512d q = p[kLast];
  for (int k = kLast - 1; k >= kFirst; --k) q = _mm512_fmadd_pd(q, r, p[k]);
  return q;
}

}  // namespace detail

// ---- float64 ------------------------------------------------------------------------------------

struct SeluF64 {
  __m512d scale_hi, scale_lo;              // λ as a + b for the x > 0 branch (detail::positive_split)
  __m512d scale_alpha_hi, scale_alpha_lo;  // λα
  __m512d neg_sign;                        // OR-ed into x ≤ 0 results: −0.0 when λα ≥ 0, else +0.0
  __m512d grad_zero_below;                 // eˣ counts as exactly 0 below this x
  __m512d q[11];                           // expm1_poly::kExpm1QF64
  __m512d q_lambda[11];                    // λα_hi·kExpm1QF64[k]

  explicit SeluF64(const SeluConstants<double>& c) {
    const SplitConstant<double> scale = detail::positive_split(c.scale);
    scale_hi = _mm512_set1_pd(scale.hi);
    scale_lo = _mm512_set1_pd(scale.lo);
    scale_alpha_hi = _mm512_set1_pd(c.scale_alpha.hi);
    scale_alpha_lo = _mm512_set1_pd(c.scale_alpha.lo);
    neg_sign = _mm512_set1_pd(std::signbit(c.scale_alpha.hi) ? 0.0 : -0.0);
    // −16446·ln2: below it the scalar kernel's long double exp(x) is 0, and an infinite gradient
    // gives Inf·0 = NaN there; mirroring that keeps the levels in agreement.
    grad_zero_below = _mm512_set1_pd(-0x1.643bfcfe13c57p+13);
    for (int k = 0; k < 11; ++k) {
      q[k] = _mm512_set1_pd(expm1_poly::kExpm1QF64[k]);
      q_lambda[k] = _mm512_set1_pd(c.scale_alpha.hi * expm1_poly::kExpm1QF64[k]);
    }
  }
};

// selu(x) for 8 doubles: avx2::selu_f64 step for step.
SELU_AVX512_INLINE __m512d selu_f64(__m512d x, const SeluF64& k) {
  using namespace expm1_poly;
  using detail::set;
  const __m512d one = set(1.0);
  const __m512d xc = _mm512_max_pd(set(kForwardClampF64), x);
  const __m512d z = _mm512_fmadd_pd(xc, set(kLog2eF64), set(kRoundMagicF64));
  const __m512d n = _mm512_sub_pd(z, set(kRoundMagicF64));
  const __m512d s = _mm512_castsi512_pd(_mm512_slli_epi64(_mm512_castpd_si512(z), 52));
  const __m512d rh = _mm512_fnmadd_pd(n, set(kLn2HiF64), xc);
  const __m512d rl = _mm512_mul_pd(n, set(-kLn2LoF64));
  const __m512d a = _mm512_sub_pd(s, one);
  const __m512d ea = _mm512_sub_pd(s, _mm512_add_pd(a, one));
  const __m512d b = _mm512_fmadd_pd(s, rh, ea);
  const __m512d sum = _mm512_add_pd(a, b);
  const __m512d e = _mm512_sub_pd(b, _mm512_sub_pd(sum, a));
  const __m512d srl = _mm512_mul_pd(s, rl);
  const __m512d e_all = _mm512_add_pd(e, _mm512_fmadd_pd(srl, rh, srl));
  const __m512d sr2 = _mm512_mul_pd(b, rh);
  const __m512d w = _mm512_fmadd_pd(k.scale_alpha_hi, e_all, _mm512_mul_pd(k.scale_alpha_lo, sum));
  const __m512d q1 = detail::horner<1, 10>(rh, k.q_lambda);  // (q(rh) − 1/2)/rh, times λα_hi
  const __m512d rest = _mm512_fmadd_pd(_mm512_mul_pd(sr2, rh), q1, w);
  const __m512d corr = _mm512_fmadd_pd(sr2, k.q_lambda[0], rest);
  const __m512d neg = _mm512_or_pd(_mm512_fmadd_pd(k.scale_alpha_hi, sum, corr), k.neg_sign);
  const __m512d pos = _mm512_fmadd_pd(k.scale_hi, x, _mm512_mul_pd(k.scale_lo, x));
  return _mm512_mask_blend_pd(detail::sign_mask(x), pos, neg);
}

namespace detail {

// grad·λα·eˣ for x ≤ 0: avx2::detail::grad_times_neg_slope step for step (read its comment).
SELU_AVX512_INLINE __m512d grad_times_neg_slope(__m512d grad, __m512d x, const SeluF64& k) {
  using namespace expm1_poly;
  const __m512d one = set(1.0);
  // Operand order matters: max(c, NaN) and min(c, NaN) return the NaN (their second operand).
  const __m512d xc = _mm512_min_pd(_mm512_setzero_pd(), _mm512_max_pd(set(-1500.0), x));
  const __m512d z = _mm512_fmadd_pd(xc, set(kLog2eF64), set(kRoundMagicF64));
  const __m512d n = _mm512_sub_pd(z, set(kRoundMagicF64));
  const __m512d rh = _mm512_fnmadd_pd(n, set(kLn2HiF64), xc);
  const __m512d rl = _mm512_mul_pd(n, set(-kLn2LoF64));
  const __m512d q = horner<0, 10>(rh, k.q);
  const __m512d p = _mm512_mul_pd(_mm512_mul_pd(rh, rh), q);
  const __m512d em1 = _mm512_add_pd(rh, p);
  const __m512d tail = _mm512_fmadd_pd(rl, em1, _mm512_add_pd(rl, p));
  const __m512d big = _mm512_add_pd(one, rh);
  const __m512d lost = _mm512_sub_pd(rh, _mm512_sub_pd(big, one));
  const __m512d small = _mm512_add_pd(lost, tail);
  const __m512d u_corr = _mm512_fmadd_pd(k.scale_alpha_hi, small, _mm512_mul_pd(k.scale_alpha_lo, big));
  __m512d u = _mm512_fmadd_pd(k.scale_alpha_hi, big, u_corr);
  u = _mm512_maskz_mov_pd(_mm512_cmp_pd_mask(x, k.grad_zero_below, _CMP_NLT_UQ), u);
  const __m512d s = _mm512_castsi512_pd(_mm512_slli_epi64(_mm512_castpd_si512(z), 52));
  __m512d out = _mm512_mul_pd(grad, _mm512_mul_pd(u, s));
  const __mmask8 far_lanes = _mm512_cmp_pd_mask(n, set(-1000.5), _CMP_LT_OQ);
  if (far_lanes != 0) {
    const __m512d s_far = _mm512_castsi512_pd(
        _mm512_slli_epi64(_mm512_add_epi64(_mm512_castpd_si512(z), _mm512_set1_epi64(1600)), 52));
    const __m512d far = _mm512_mul_pd(_mm512_mul_pd(_mm512_mul_pd(grad, set(0x1p-600)), s_far),
                                      _mm512_mul_pd(u, set(0x1p-1000)));
    out = _mm512_mask_blend_pd(far_lanes, out, far);
  }
  return out;
}

}  // namespace detail

// grad·selu'(x) for 8 doubles: grad·λ for x > 0, grad·λα·eˣ otherwise (±0 and NaN included).
SELU_AVX512_INLINE __m512d selu_grad_f64(__m512d grad, __m512d x, const SeluF64& k) {
  const __m512d neg = detail::grad_times_neg_slope(grad, x, k);
  const __m512d pos = _mm512_fmadd_pd(k.scale_hi, grad, _mm512_mul_pd(k.scale_lo, grad));
  return _mm512_mask_blend_pd(_mm512_cmp_pd_mask(x, _mm512_setzero_pd(), _CMP_GT_OQ), neg, pos);
}

// ---- float32 ------------------------------------------------------------------------------------

struct SeluF32 {
  __m512 scale_hi, scale_lo;              // λ as a + b for the x > 0 branch (detail::positive_split)
  __m512 scale_alpha_hi, scale_alpha_lo;  // λα
  __m512 neg_sign;                        // as SeluF64::neg_sign
  __m512 q_lambda[6];                     // λα_hi·kExpm1QF32[k]
  __m512d grad_scale, grad_scale_alpha, grad_q[6], grad_zero_below;  // as avx2::SeluF32

  explicit SeluF32(const SeluConstants<float>& c) {
    const SplitConstant<float> scale = detail::positive_split(c.scale);
    scale_hi = _mm512_set1_ps(scale.hi);
    scale_lo = _mm512_set1_ps(scale.lo);
    scale_alpha_hi = _mm512_set1_ps(c.scale_alpha.hi);
    scale_alpha_lo = _mm512_set1_ps(c.scale_alpha.lo);
    neg_sign = _mm512_set1_ps(std::signbit(c.scale_alpha.hi) ? 0.0f : -0.0f);
    for (int k = 0; k < 6; ++k) {
      q_lambda[k] = _mm512_set1_ps(c.scale_alpha.hi * expm1_poly::kExpm1QF32[k]);
      grad_q[k] = _mm512_set1_pd(expm1_poly::kExpm1QF32[k]);
    }
    grad_scale = _mm512_set1_pd(static_cast<double>(c.scale.hi) + static_cast<double>(c.scale.lo));
    grad_scale_alpha =
        _mm512_set1_pd(static_cast<double>(c.scale_alpha.hi) + static_cast<double>(c.scale_alpha.lo));
    grad_zero_below = _mm512_set1_pd(-0x1.74910d52d3052p+9);  // −1075·ln2
  }
};

// selu(x) for 16 floats: avx2::selu_f32 step for step.
SELU_AVX512_INLINE __m512 selu_f32(__m512 x, const SeluF32& k) {
  using namespace expm1_poly;
  using detail::set;
  const __m512 one = set(1.0f);
  const __m512 xc = _mm512_max_ps(set(kForwardClampF32), x);
  const __m512 z = _mm512_fmadd_ps(xc, set(kLog2eF32), set(kRoundMagicF32));
  const __m512 n = _mm512_sub_ps(z, set(kRoundMagicF32));
  const __m512 s = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_castps_si512(z), 23));
  const __m512 rh = _mm512_fnmadd_ps(n, set(kLn2HiF32), xc);
  const __m512 a = _mm512_sub_ps(s, one);
  const __m512 ea = _mm512_sub_ps(s, _mm512_add_ps(a, one));
  const __m512 b = _mm512_fmadd_ps(s, rh, ea);
  const __m512 sum = _mm512_add_ps(a, b);
  const __m512 e = _mm512_sub_ps(b, _mm512_sub_ps(sum, a));
  const __m512 sr2 = _mm512_mul_ps(b, rh);
  const __m512 w = _mm512_fmadd_ps(k.scale_alpha_hi, e, _mm512_mul_ps(k.scale_alpha_lo, sum));
  const __m512 q1 = detail::horner<1, 5>(rh, k.q_lambda);  // (q(rh) − 1/2)/rh, times λα_hi
  const __m512 rest = _mm512_fmadd_ps(_mm512_mul_ps(sr2, rh), q1, w);
  const __m512 corr = _mm512_fmadd_ps(sr2, k.q_lambda[0], rest);
  const __m512 neg = _mm512_or_ps(_mm512_fmadd_ps(k.scale_alpha_hi, sum, corr), k.neg_sign);
  const __m512 pos = _mm512_fmadd_ps(k.scale_hi, x, _mm512_mul_ps(k.scale_lo, x));
  return _mm512_mask_blend_ps(detail::sign_mask(x), pos, neg);
}

namespace detail {

// avx2::detail::grad_for_float step for step, on 8 lanes.
SELU_AVX512_INLINE __m512d grad_for_float(__m512d g, __m512d x, const SeluF32& k) {
  using namespace expm1_poly;
  const __m512d xc = _mm512_min_pd(_mm512_setzero_pd(), _mm512_max_pd(set(-700.0), x));
  const __m512d z = _mm512_fmadd_pd(xc, set(kLog2eF64), set(kRoundMagicF64));
  const __m512d n = _mm512_sub_pd(z, set(kRoundMagicF64));
  const __m512d s = _mm512_castsi512_pd(_mm512_slli_epi64(_mm512_castpd_si512(z), 52));
  const __m512d r = _mm512_fnmadd_pd(n, set(kLn2LoF64), _mm512_fnmadd_pd(n, set(kLn2HiF64), xc));
  const __m512d q = horner<0, 5>(r, k.grad_q);
  const __m512d em1 = _mm512_fmadd_pd(_mm512_mul_pd(r, r), q, r);
  const __m512d ls = _mm512_mul_pd(k.grad_scale_alpha, s);
  __m512d slope = _mm512_fmadd_pd(ls, em1, ls);
  slope = _mm512_maskz_mov_pd(_mm512_cmp_pd_mask(x, k.grad_zero_below, _CMP_NLT_UQ), slope);
  slope = _mm512_mask_blend_pd(_mm512_cmp_pd_mask(x, _mm512_setzero_pd(), _CMP_GT_OQ), slope, k.grad_scale);
  return _mm512_mul_pd(g, slope);
}

}  // namespace detail

// grad·selu'(x) for 16 floats, computed in double as avx2::selu_grad_f32.
SELU_AVX512_INLINE __m512 selu_grad_f32(__m512 grad, __m512 x, const SeluF32& k) {
  const __m256 g_lo = _mm512_castps512_ps256(grad);
  const __m256 g_hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(grad), 1));
  const __m256 x_lo = _mm512_castps512_ps256(x);
  const __m256 x_hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(x), 1));
  const __m256 lo = io::narrow(detail::grad_for_float(io::widen(g_lo), io::widen(x_lo), k));
  const __m256 hi = io::narrow(detail::grad_for_float(io::widen(g_hi), io::widen(x_hi), k));
  return _mm512_castpd_ps(_mm512_insertf64x4(_mm512_castpd256_pd512(_mm256_castps_pd(lo)), _mm256_castps_pd(hi), 1));
}

#if defined(SELU_KERNELS_EMULATE_AVX512)
}  // inline namespace emulated
#endif
}  // namespace avx512
}  // namespace selu
