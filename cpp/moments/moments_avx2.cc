// Mean/variance kernels for AVX2 + FMA: moments_simd.h on 4-double registers (the 16 accumulators of
// the tile kernel in 4 registers), maskload tails; the fused tile applies SELU with selu_math_avx2.h.
#include <immintrin.h>

#include <stdint.h>

#include "../selu/selu_math_avx2.h"
#include "moments_kernels.h"
#include "moments_simd.h"

namespace selu {
namespace {

// The first `count` of 4 lanes as a 64-bit-lane mask (count may be ≤ 0 or ≥ 4).
inline __m256i lanes64(ptrdiff_t count) {
  return _mm256_cmpgt_epi64(_mm256_set1_epi64x(count), _mm256_setr_epi64x(0, 1, 2, 3));
}

// The trait of moments_simd.h.
struct Avx2 {
  using V = __m256d;
  using SeluIsa = avx2::Isa;
  static constexpr size_t kLanes = 4;

  static V load(const float* p, ptrdiff_t count) {
    if (count >= 4) return _mm256_cvtps_pd(_mm_loadu_ps(p));
    if (count <= 0) return _mm256_setzero_pd();
    const __m128i lanes = _mm_cmpgt_epi32(_mm_set1_epi32(static_cast<int>(count)), _mm_setr_epi32(0, 1, 2, 3));
    return _mm256_cvtps_pd(_mm_maskload_ps(p, lanes));
  }
  static V load(const double* p, ptrdiff_t count) {
    if (count >= 4) return _mm256_loadu_pd(p);
    if (count <= 0) return _mm256_setzero_pd();
    return _mm256_maskload_pd(p, lanes64(count));
  }
  static V masked_deviation(ptrdiff_t count, V x, V m) {
    return _mm256_and_pd(_mm256_castsi256_pd(lanes64(count)), _mm256_sub_pd(x, m));
  }
  // (s_l + s_l+8) + (s_l+4 + s_l+12), then (e0 + e2) + (e1 + e3).
  static double reduce16(const V* a) {
    const __m256d e = _mm256_add_pd(_mm256_add_pd(a[0], a[2]), _mm256_add_pd(a[1], a[3]));
    const __m128d f = _mm_add_pd(_mm256_castpd256_pd128(e), _mm256_extractf128_pd(e, 1));
    return _mm_cvtsd_f64(_mm_add_sd(f, _mm_unpackhi_pd(f, f)));
  }
};

}  // namespace

const MomentsKernelTable kMomentsAvx2 = MomentsSimd<Avx2>::kTable;

}  // namespace selu
