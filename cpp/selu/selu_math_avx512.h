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
//                            g·selu'(x) for 16 floats (λ for x > 0, λα·eˣ otherwise): as the AVX2 one
//   SeluF64 k(const SeluConstants<double>& c);
//   __m512d selu_f64(__m512d x, const SeluF64& k)             selu(x) for 8 doubles
//   __m512d selu_grad_f64(__m512d g, __m512d x, const SeluF64& k)   g·selu'(x) for 8 doubles
//
//   Io::load(p) / Io::load(p, mask), Io::store(p, v) / Io::store(p, mask, v) (mask: __mmask16 for
//   float, __mmask8 for double; masked-out lanes are neither read nor written, and load as 0),
//   Io::stream(p, v) (p 64-byte aligned), Io::first_lanes<T>(k), Io::widen(__m256 → __m512d), Io::narrow(__m512d → __m256):
//   the memory accesses and conversions the kernels use, so that code built on this header also
//   builds, and stays memory-safe, under emulation.
//
// The maths is selu_math_simd.h's, the same operations as AVX2's (mask blends where AVX2 uses
// blendv), given the AVX-512 trait here: the two ISAs give bit-identical results, which cpp/tests/selu
// checks. Its accuracy and edge values are described in selu_math_avx2.h; the -ffp-contract=off build
// requirement is the same.
//
// Emulation: with SELU_KERNELS_EMULATE_AVX512 defined (and only -mavx2 -mfma), the intrinsics come
// from SIMDe (Debian's libsimde-dev, header-only), which implements each 512-bit operation as two
// AVX2 operations with the same IEEE results. The native tests use this to run the AVX-512 algorithm
// on CPUs without AVX-512. SIMDe 0.7.4 lacks masked loads/stores, streaming stores and the ps↔pd
// conversions, hence the Io helpers (emulated lane by lane, so nothing outside the mask is touched).
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

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <type_traits>

#include "selu_math_simd.h"

// The name of an AVX-512 kernel table: kXxxAvx512, or kXxxAvx512Emulated in the emulated build, so
// that the tests can link both. Declare it extern before defining it (a const has internal linkage).
#if defined(SELU_KERNELS_EMULATE_AVX512)
#define SELU_AVX512_TABLE_NAME(name) name##Emulated
#else
#define SELU_AVX512_TABLE_NAME(name) name
#endif

namespace selu {
namespace avx512 {
#if defined(SELU_KERNELS_EMULATE_AVX512)
inline namespace emulated {
#endif

// Memory accesses and conversions (static members, so that code templated on the ISA can take them
// as one parameter, Isa::Io).
struct Io {
#if defined(SELU_KERNELS_EMULATE_AVX512)
  // Lane by lane through a buffer: masked-out lanes are neither read nor written (0 when loaded).
  template <typename T, typename V, typename Mask>
  static V masked_load(const T* p, Mask k, V (*load_aligned)(const void*)) {
    constexpr int kLanes = sizeof(V) / sizeof(T);
    alignas(64) T buf[kLanes] = {};
    for (int i = 0; i < kLanes; ++i)
      if ((k >> i) & 1) buf[i] = p[i];
    return load_aligned(buf);
  }
  template <typename T, typename V, typename Mask>
  static void masked_store(T* p, Mask k, V v, void (*store_aligned)(void*, V)) {
    constexpr int kLanes = sizeof(V) / sizeof(T);
    alignas(64) T buf[kLanes];
    store_aligned(buf, v);
    for (int i = 0; i < kLanes; ++i)
      if ((k >> i) & 1) p[i] = buf[i];
  }
  static __m512 load_aligned_ps(const void* p) { return _mm512_load_ps(p); }
  static __m512d load_aligned_pd(const void* p) { return _mm512_load_pd(p); }
  static void store_aligned_ps(void* p, __m512 v) { _mm512_store_ps(p, v); }
  static void store_aligned_pd(void* p, __m512d v) { _mm512_store_pd(p, v); }

  static __m512 load(const float* p, __mmask16 k) { return masked_load(p, k, load_aligned_ps); }
  static __m512d load(const double* p, __mmask8 k) { return masked_load(p, k, load_aligned_pd); }
  static void store(float* p, __mmask16 k, __m512 v) { masked_store(p, k, v, store_aligned_ps); }
  static void store(double* p, __mmask8 k, __m512d v) { masked_store(p, k, v, store_aligned_pd); }
  // An ordinary store, but it insists on the 64-byte alignment the real instruction needs, so the
  // tests catch a kernel that streams to an unaligned address.
  static void stream(float* p, __m512 v) {
    if (reinterpret_cast<uintptr_t>(p) % 64 != 0) std::abort();
    _mm512_store_ps(p, v);
  }
  static void stream(double* p, __m512d v) {
    if (reinterpret_cast<uintptr_t>(p) % 64 != 0) std::abort();
    _mm512_store_pd(p, v);
  }
  static __m512d widen(__m256 v) {
    return _mm512_insertf64x4(_mm512_castpd256_pd512(_mm256_cvtps_pd(_mm256_castps256_ps128(v))),
                              _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)), 1);
  }
  static __m256 narrow(__m512d v) {
    return _mm256_set_m128(_mm256_cvtpd_ps(_mm512_extractf64x4_pd(v, 1)),
                           _mm256_cvtpd_ps(_mm512_castpd512_pd256(v)));
  }
#else
  static __m512 load(const float* p, __mmask16 k) { return _mm512_maskz_loadu_ps(k, p); }
  static __m512d load(const double* p, __mmask8 k) { return _mm512_maskz_loadu_pd(k, p); }
  static void store(float* p, __mmask16 k, __m512 v) { _mm512_mask_storeu_ps(p, k, v); }
  static void store(double* p, __mmask8 k, __m512d v) { _mm512_mask_storeu_pd(p, k, v); }
  static void stream(float* p, __m512 v) { _mm512_stream_ps(p, v); }
  static void stream(double* p, __m512d v) { _mm512_stream_pd(p, v); }
  static __m512d widen(__m256 v) { return _mm512_cvtps_pd(v); }
  static __m256 narrow(__m512d v) { return _mm512_cvtpd_ps(v); }
#endif
  static __m512 load(const float* p) { return _mm512_loadu_ps(p); }
  static __m512d load(const double* p) { return _mm512_loadu_pd(p); }
  static void store(float* p, __m512 v) { _mm512_storeu_ps(p, v); }
  static void store(double* p, __m512d v) { _mm512_storeu_pd(p, v); }
  // The mask of lanes [0, k) of a register of T (k < its lanes).
  template <typename T>
  static auto first_lanes(size_t k) {
    return static_cast<typename std::conditional<sizeof(T) == 4, __mmask16, __mmask8>::type>((1u << k) - 1u);
  }
};

// The trait of selu_math_simd.h: 16 floats or 8 doubles; masks are opmasks (8 bits: doubles).
// Always inlined under emulation, as SELU_SIMD_INLINE says why.
struct Isa {
  using Io = avx512::Io;
  using F = __m512;
  using D = __m512d;
  static SELU_SIMD_INLINE F set(float v) { return _mm512_set1_ps(v); }
  static SELU_SIMD_INLINE D set(double v) { return _mm512_set1_pd(v); }
  static SELU_SIMD_INLINE F fmadd(F a, F b, F c) { return _mm512_fmadd_ps(a, b, c); }
  static SELU_SIMD_INLINE D fmadd(D a, D b, D c) { return _mm512_fmadd_pd(a, b, c); }
  static SELU_SIMD_INLINE F fnmadd(F a, F b, F c) { return _mm512_fnmadd_ps(a, b, c); }
  static SELU_SIMD_INLINE D fnmadd(D a, D b, D c) { return _mm512_fnmadd_pd(a, b, c); }
  static SELU_SIMD_INLINE F blend_sign(F pos, F neg, F x) {
    return _mm512_mask_blend_ps(_mm512_movepi32_mask(_mm512_castps_si512(x)), pos, neg);
  }
  static SELU_SIMD_INLINE D blend_sign(D pos, D neg, D x) {
    return _mm512_mask_blend_pd(_mm512_movepi64_mask(_mm512_castpd_si512(x)), pos, neg);
  }
  static SELU_SIMD_INLINE F max(F c, F x) { return _mm512_max_ps(c, x); }
  static SELU_SIMD_INLINE D max(D c, D x) { return _mm512_max_pd(c, x); }
  static SELU_SIMD_INLINE D min(D c, D x) { return _mm512_min_pd(c, x); }
  static SELU_SIMD_INLINE F or_bits(F a, F b) { return _mm512_or_ps(a, b); }
  static SELU_SIMD_INLINE D or_bits(D a, D b) { return _mm512_or_pd(a, b); }
  static SELU_SIMD_INLINE F pow2(F z) { return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_castps_si512(z), 23)); }
  static SELU_SIMD_INLINE D pow2(D z) { return _mm512_castsi512_pd(_mm512_slli_epi64(_mm512_castpd_si512(z), 52)); }
  static SELU_SIMD_INLINE D pow2_plus(D z, int k) {
    return _mm512_castsi512_pd(_mm512_slli_epi64(_mm512_add_epi64(_mm512_castpd_si512(z), _mm512_set1_epi64(k)), 52));
  }
  static SELU_SIMD_INLINE __mmask16 less(F a, F b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
  static SELU_SIMD_INLINE __mmask16 greater(F a, F b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
  static SELU_SIMD_INLINE __mmask16 not_less(F a, F b) { return _mm512_cmp_ps_mask(a, b, _CMP_NLT_UQ); }
  static SELU_SIMD_INLINE F abs(F a) { return _mm512_abs_ps(a); }
  static SELU_SIMD_INLINE __mmask16 either(__mmask16 m1, __mmask16 m2) { return static_cast<__mmask16>(m1 | m2); }
  static SELU_SIMD_INLINE F select(__mmask16 m, F a, F b) { return _mm512_mask_blend_ps(m, a, b); }
  static SELU_SIMD_INLINE bool any(__mmask16 m) { return m != 0; }
  static SELU_SIMD_INLINE __mmask8 less(D a, D b) { return _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ); }
  static SELU_SIMD_INLINE __mmask8 greater(D a, D b) { return _mm512_cmp_pd_mask(a, b, _CMP_GT_OQ); }
  static SELU_SIMD_INLINE D select(__mmask8 m, D a, D b) { return _mm512_mask_blend_pd(m, a, b); }
  static SELU_SIMD_INLINE bool any(__mmask8 m) { return m != 0; }
  static SELU_SIMD_INLINE D zero_below(D x, D c, D u) {
    return _mm512_maskz_mov_pd(_mm512_cmp_pd_mask(x, c, _CMP_NLT_UQ), u);
  }
  static SELU_SIMD_INLINE D widen_lo(F v) { return Io::widen(_mm512_castps512_ps256(v)); }
  static SELU_SIMD_INLINE D widen_hi(F v) {
    return Io::widen(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
  }
  static SELU_SIMD_INLINE F join(D lo, D hi) {
    return _mm512_castpd_ps(_mm512_insertf64x4(_mm512_castpd256_pd512(_mm256_castps_pd(Io::narrow(lo))),
                                               _mm256_castps_pd(Io::narrow(hi)), 1));
  }
};

using SeluF32 = simd::SeluVec<Isa, float>;   // SeluF32 k(const SeluConstants<float>&)
using SeluF64 = simd::SeluVec<Isa, double>;  // SeluF64 k(const SeluConstants<double>&)
using simd::selu_f32, simd::selu_f64, simd::selu_grad_f32, simd::selu_grad_f64;

#if defined(SELU_KERNELS_EMULATE_AVX512)
}  // inline namespace emulated
#endif
}  // namespace avx512
}  // namespace selu
