// Mean/variance kernels for AVX2 + FMA, in the order of operations of moments_kernels.h: 16 double
// accumulators as 4 registers (element i to register (i mod 16) / 4, lane i mod 4). Tails load only
// the lanes that exist and zero the deviations of the others, which adds exact zeros.
#include <immintrin.h>

#include <stdint.h>

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "../selu/selu_math_avx2.h"
#include "moments_kernels.h"

namespace selu {
namespace {

// The first `count` of 4 lanes as a 64-bit-lane mask (count may be ≤ 0 or ≥ 4).
inline __m256i lanes64(ptrdiff_t count) {
  return _mm256_cmpgt_epi64(_mm256_set1_epi64x(count), _mm256_setr_epi64x(0, 1, 2, 3));
}

// 4 consecutive values widened to double; with `count` < 4 only the first count are read (the rest
// are 0) and for count ≤ 0 nothing is read and no pointer is formed past the array.
inline __m256d load4(const float* p, ptrdiff_t count) {
  if (count >= 4) return _mm256_cvtps_pd(_mm_loadu_ps(p));
  if (count <= 0) return _mm256_setzero_pd();
  const __m128i lanes = _mm_cmpgt_epi32(_mm_set1_epi32(static_cast<int>(count)), _mm_setr_epi32(0, 1, 2, 3));
  return _mm256_cvtps_pd(_mm_maskload_ps(p, lanes));
}
inline __m256d load4(const double* p, ptrdiff_t count) {
  if (count >= 4) return _mm256_loadu_pd(p);
  if (count <= 0) return _mm256_setzero_pd();
  return _mm256_maskload_pd(p, lanes64(count));
}

// (s_l + s_l+8) + (s_l+4 + s_l+12), then (e0 + e2) + (e1 + e3).
inline double reduce16(__m256d a0, __m256d a1, __m256d a2, __m256d a3) {
  const __m256d e = _mm256_add_pd(_mm256_add_pd(a0, a2), _mm256_add_pd(a1, a3));
  const __m128d f = _mm_add_pd(_mm256_castpd256_pd128(e), _mm256_extractf128_pd(e, 1));
  return _mm_cvtsd_f64(_mm_add_sd(f, _mm_unpackhi_pd(f, f)));
}

template <typename T>
MomentsPartial tile(const T* x, size_t n) {
  __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    a0 = _mm256_add_pd(a0, load4(x + i, 4));
    a1 = _mm256_add_pd(a1, load4(x + i + 4, 4));
    a2 = _mm256_add_pd(a2, load4(x + i + 8, 4));
    a3 = _mm256_add_pd(a3, load4(x + i + 12, 4));
  }
  const ptrdiff_t rest = static_cast<ptrdiff_t>(n - i);
  if (rest > 0) {
    a0 = _mm256_add_pd(a0, load4(x + i, rest));
    if (rest > 4) a1 = _mm256_add_pd(a1, load4(x + i + 4, rest - 4));
    if (rest > 8) a2 = _mm256_add_pd(a2, load4(x + i + 8, rest - 8));
    if (rest > 12) a3 = _mm256_add_pd(a3, load4(x + i + 12, rest - 12));
  }
  const double mean = reduce16(a0, a1, a2, a3) / static_cast<double>(n);

  const __m256d m = _mm256_set1_pd(mean);
  __m256d e[4], q[4];
  for (int k = 0; k < 4; ++k) e[k] = q[k] = _mm256_setzero_pd();
  for (i = 0; i + 16 <= n; i += 16) {
    for (int k = 0; k < 4; ++k) {
      const __m256d d = _mm256_sub_pd(load4(x + i + 4 * k, 4), m);
      e[k] = _mm256_add_pd(e[k], d);
      q[k] = _mm256_fmadd_pd(d, d, q[k]);
    }
  }
  for (ptrdiff_t k = 0; k < 4 && rest > 4 * k; ++k) {
    const ptrdiff_t count = rest - 4 * k;
    const __m256d d = _mm256_and_pd(_mm256_castsi256_pd(lanes64(count)), _mm256_sub_pd(load4(x + i + 4 * k, count), m));
    e[k] = _mm256_add_pd(e[k], d);
    q[k] = _mm256_fmadd_pd(d, d, q[k]);
  }
  return partial_from_sums(static_cast<double>(n), mean, reduce16(e[0], e[1], e[2], e[3]), reduce16(q[0], q[1], q[2], q[3]));
}

// Per column: sum over rows in row order, mean = sum / rows, then Σd and Σd² (FMA) in row order,
// 4 columns per register. Pass 1 goes row by row through the block when it is wide (x streams in
// from memory in address order; the sums stay in L1, one independent chain per 4 columns) and down
// groups of columns with the sums in registers when it is narrow (the block is then contiguous anyway
// and a few chains through memory would be latency-bound). Pass 2 goes down groups of 16 columns
// with the accumulators in registers (4 independent FMA chains) while the block is still in cache.
// Columns past the last multiple of 4 use the scalar kernel, whose arithmetic is the same.
template <typename T>
void column_sums(const T* x, size_t rows, size_t cols, size_t stride, double* sums) {
  if (cols >= 32) {
    for (size_t j = 0; j < cols; j += 4) _mm256_store_pd(sums + j, _mm256_setzero_pd());
    for (size_t r = 0; r < rows; ++r) {
      const T* row = x + r * stride;
      for (size_t j = 0; j < cols; j += 4) _mm256_store_pd(sums + j, _mm256_add_pd(_mm256_load_pd(sums + j), load4(row + j, 4)));
    }
    return;
  }
  for (size_t j = 0; j < cols; j += 4) {
    __m256d a = _mm256_setzero_pd();
    for (size_t r = 0; r < rows; ++r) a = _mm256_add_pd(a, load4(x + r * stride + j, 4));
    _mm256_store_pd(sums + j, a);
  }
}

template <size_t kRegs, typename T>
void column_deviations(const T* x, size_t rows, size_t stride, const double* mean, MomentsPartial* out) {
  __m256d m[kRegs], e[kRegs], q[kRegs];
  for (size_t k = 0; k < kRegs; ++k) {
    m[k] = _mm256_load_pd(mean + 4 * k);
    e[k] = q[k] = _mm256_setzero_pd();
  }
  for (size_t r = 0; r < rows; ++r) {
    for (size_t k = 0; k < kRegs; ++k) {
      const __m256d d = _mm256_sub_pd(load4(x + r * stride + 4 * k, 4), m[k]);
      e[k] = _mm256_add_pd(e[k], d);
      q[k] = _mm256_fmadd_pd(d, d, q[k]);
    }
  }
  for (size_t k = 0; k < kRegs; ++k) {
    alignas(32) double ev[4], qv[4];
    _mm256_store_pd(ev, e[k]);
    _mm256_store_pd(qv, q[k]);
    for (int l = 0; l < 4; ++l) out[4 * k + l] = partial_from_sums(static_cast<double>(rows), mean[4 * k + l], ev[l], qv[l]);
  }
}

template <typename T>
void columns(const T* x, size_t rows, size_t cols, size_t stride, MomentsPartial* out) {
  const size_t vec_cols = cols & ~size_t{3};
  alignas(32) double mean[kMomentsColumnStrip];
  column_sums(x, rows, vec_cols, stride, mean);
  const __m256d divisor = _mm256_set1_pd(static_cast<double>(rows));
  for (size_t j = 0; j < vec_cols; j += 4) _mm256_store_pd(mean + j, _mm256_div_pd(_mm256_load_pd(mean + j), divisor));
  size_t j = 0;
  for (; j + 16 <= vec_cols; j += 16) column_deviations<4>(x + j, rows, stride, mean + j, out + j);
  for (; j < vec_cols; j += 4) column_deviations<1>(x + j, rows, stride, mean + j, out + j);
  if (j < cols) columns_kernel<T>(kMomentsScalar)(x + j, rows, cols - j, stride, out + j);
}

// Loads, stores and SELU of one vector of T, for the fused tile.
struct F32 {
  using V = __m256;
  using Selu = avx2::SeluF32;
  static constexpr size_t kLanes = 8;
  static __m256i lanes(size_t count) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(count)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  static V load(const float* p) { return _mm256_loadu_ps(p); }
  static V load(const float* p, __m256i m) { return _mm256_maskload_ps(p, m); }
  static void store(float* p, V v) { _mm256_storeu_ps(p, v); }
  static void store(float* p, V v, __m256i m) { _mm256_maskstore_ps(p, m, v); }
  static void stream(float* p, V v) { _mm256_stream_ps(p, v); }
  static V selu(V x, const Selu& k) { return avx2::selu_f32(x, k); }
};

struct F64 {
  using V = __m256d;
  using Selu = avx2::SeluF64;
  static constexpr size_t kLanes = 4;
  static __m256i lanes(size_t count) { return lanes64(static_cast<ptrdiff_t>(count)); }
  static V load(const double* p) { return _mm256_loadu_pd(p); }
  static V load(const double* p, __m256i m) { return _mm256_maskload_pd(p, m); }
  static void store(double* p, V v) { _mm256_storeu_pd(p, v); }
  static void store(double* p, V v, __m256i m) { _mm256_maskstore_pd(p, m, v); }
  static void stream(double* p, V v) { _mm256_stream_pd(p, v); }
  static V selu(V x, const Selu& k) { return avx2::selu_f64(x, k); }
};

template <typename T>
using IoOf = typename std::conditional<std::is_same<T, float>::value, F32, F64>::type;

// Fused: y = selu(x) (selu_math_avx2.h, the AVX2 SELU kernels' maths) goes to an L1 scratch tile and
// to out, streamed from the first 32-byte aligned element on when asked; then the tile kernel reads
// the scratch. Bit-identical to tile(selu(x)); x is read once and out written once.
template <typename T>
MomentsPartial selu_tile(const T* x, T* out, size_t n, const SeluConstants<T>& s, bool stream) {
  using Io = IoOf<T>;
  constexpr size_t W = Io::kLanes;
  const typename Io::Selu k(s);
  alignas(32) T scratch[kMomentsTile];
  size_t i = 0;
  if (stream) {
    const size_t head = std::min(n, ((32 - reinterpret_cast<uintptr_t>(out) % 32) % 32) / sizeof(T));
    if (head > 0) {
      const __m256i m = Io::lanes(head);
      const typename Io::V y = Io::selu(Io::load(x, m), k);
      Io::store(scratch, y, m);
      Io::store(out, y, m);
    }
    for (i = head; i + W <= n; i += W) {
      const typename Io::V y = Io::selu(Io::load(x + i), k);
      Io::store(scratch + i, y);
      Io::stream(out + i, y);
    }
  } else {
    for (; i + W <= n; i += W) {
      const typename Io::V y = Io::selu(Io::load(x + i), k);
      Io::store(scratch + i, y);
      Io::store(out + i, y);
    }
  }
  if (i < n) {
    const __m256i m = Io::lanes(n - i);
    const typename Io::V y = Io::selu(Io::load(x + i, m), k);
    Io::store(scratch + i, y, m);
    Io::store(out + i, y, m);
  }
  if (stream) _mm_sfence();
  return tile<T>(scratch, n);
}

}  // namespace

const MomentsKernelTable kMomentsAvx2 = {
    tile<float>, tile<double>, columns<float>, columns<double>, selu_tile<float>, selu_tile<double>,
};

}  // namespace selu
