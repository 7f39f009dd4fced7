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

// The trait of moments_simd.h.
struct Avx512 {
  using V = __m512d;
  using SeluIsa = avx512::Isa;
  static constexpr size_t kLanes = 8;

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

extern const MomentsKernelTable SELU_AVX512_TABLE_NAME(kMomentsAvx512);
const MomentsKernelTable SELU_AVX512_TABLE_NAME(kMomentsAvx512) = MomentsSimd<Avx512>::kTable;

}  // namespace selu
