// Mean/variance kernels for AVX-512 F/DQ/BW/VL: moments_simd.h on 8-double registers (the 16
// accumulators of the tile kernel in 2 registers), opmask tails; the fused tile applies SELU with
// selu_math_avx512.h.
//
// Built a second time by the native tests with SELU_KERNELS_EMULATE_AVX512 (SIMDe on AVX2, see
// selu_math_avx512.h); the table is then named kMomentsAvx512Emulated. Memory accesses and float →
// double conversions go through selu_math_avx512.h's Io helpers, which work in both builds.
#include <stdint.h>

#include "../selu/selu_math_avx512.h"  // first: it provides the intrinsics (native or emulated)
#include "moments_kernels.h"
#include "moments_simd.h"

namespace selu {
namespace {

using io = avx512::Io;

inline __mmask8 lanes8(ptrdiff_t count) {
  return count >= 8 ? static_cast<__mmask8>(0xFF) : static_cast<__mmask8>((1u << count) - 1u);
}

template <typename T>
struct Lanes;
template <>
struct Lanes<float> {
  using V = __m512;
  using Mask = __mmask16;
  using Selu = avx512::SeluF32;
  static constexpr size_t kLanes = 16;
  static V selu(V x, const Selu& k) { return avx512::selu_f32(x, k); }
};
template <>
struct Lanes<double> {
  using V = __m512d;
  using Mask = __mmask8;
  using Selu = avx512::SeluF64;
  static constexpr size_t kLanes = 8;
  static V selu(V x, const Selu& k) { return avx512::selu_f64(x, k); }
};

// Loads, stores and SELU of one vector of T, for the fused tile.
template <typename T>
struct Io : Lanes<T> {
  using V = typename Lanes<T>::V;
  using Mask = typename Lanes<T>::Mask;
  static Mask mask(size_t count) { return static_cast<Mask>((1u << count) - 1u); }
  static V load(const T* p) { return io::load(p); }
  static V load(const T* p, Mask m) { return io::load(p, m); }
  static void store(T* p, V v) { io::store(p, v); }
  static void store(T* p, V v, Mask m) { io::store(p, m, v); }
  static void stream(T* p, V v) { io::stream(p, v); }
};

// The trait of moments_simd.h.
struct Avx512 {
  using V = __m512d;
  static constexpr size_t kLanes = 8;
  template <typename T>
  using Io = selu::Io<T>;

  static V zero() { return _mm512_setzero_pd(); }
  static V set1(double v) { return _mm512_set1_pd(v); }
  static V add(V a, V b) { return _mm512_add_pd(a, b); }
  static V sub(V a, V b) { return _mm512_sub_pd(a, b); }
  static V fma(V a, V b, V c) { return _mm512_fmadd_pd(a, b, c); }
  static V div(V a, V b) { return _mm512_div_pd(a, b); }
  static V load_aligned(const double* p) { return _mm512_load_pd(p); }
  static void store_aligned(double* p, V v) { _mm512_store_pd(p, v); }

  // With `count` < 8 only the first count are read.
  static V load(const float* p, ptrdiff_t count) {
    if (count >= 8) return io::widen(_mm256_loadu_ps(p));
    return io::widen(_mm512_castps512_ps256(io::load(p, static_cast<__mmask16>(lanes8(count)))));
  }
  static V load(const double* p, ptrdiff_t count) {
    if (count >= 8) return io::load(p);
    return io::load(p, lanes8(count));
  }
  static V masked_deviation(ptrdiff_t count, V x, V m) { return _mm512_maskz_sub_pd(lanes8(count), x, m); }
  // (s_l + s_l+8) + (s_l+4 + s_l+12), then (e0 + e2) + (e1 + e3).
  static double reduce16(const V* c) {
    const __m512d d = _mm512_add_pd(c[0], c[1]);
    const __m256d e = _mm256_add_pd(_mm512_castpd512_pd256(d), _mm512_extractf64x4_pd(d, 1));
    const __m128d f = _mm_add_pd(_mm256_castpd256_pd128(e), _mm256_extractf128_pd(e, 1));
    return _mm_cvtsd_f64(_mm_add_sd(f, _mm_unpackhi_pd(f, f)));
  }
};

}  // namespace

#if defined(SELU_KERNELS_EMULATE_AVX512)
extern const MomentsKernelTable kMomentsAvx512Emulated;
const MomentsKernelTable kMomentsAvx512Emulated = MomentsSimd<Avx512>::kTable;
#else
const MomentsKernelTable kMomentsAvx512 = MomentsSimd<Avx512>::kTable;
#endif

}  // namespace selu
