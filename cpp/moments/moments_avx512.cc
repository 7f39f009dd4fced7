// Mean/variance kernels for AVX-512 F/DQ/BW/VL, in the order of operations of moments_kernels.h: 16
// double accumulators as 2 registers (element i to register (i mod 16) / 8, lane i mod 8). Tails use
// masked loads; the deviations of absent lanes are zeroed, which adds exact zeros. The fused tile
// applies SELU with selu_math_avx512.h.
//
// Built a second time by the native tests with SELU_KERNELS_EMULATE_AVX512 (SIMDe on AVX2, see
// selu_math_avx512.h); the table is then named kMomentsAvx512Emulated. Memory accesses and float →
// double conversions go through selu_math_avx512.h's io helpers, which work in both builds.
#include <stdint.h>

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "../selu/selu_math_avx512.h"  // first: it provides the intrinsics (native or emulated)
#include "moments_kernels.h"

namespace selu {
namespace {

namespace io = avx512::io;

inline __mmask8 lanes8(ptrdiff_t count) {
  return count >= 8 ? static_cast<__mmask8>(0xFF) : static_cast<__mmask8>((1u << count) - 1u);
}

// 8 consecutive values widened to double; with `count` < 8 only the first count are read.
inline __m512d load8(const float* p, ptrdiff_t count) {
  if (count >= 8) return io::widen(_mm256_loadu_ps(p));
  return io::widen(_mm512_castps512_ps256(io::load(p, static_cast<__mmask16>(lanes8(count)))));
}
inline __m512d load8(const double* p, ptrdiff_t count) {
  if (count >= 8) return io::load(p);
  return io::load(p, lanes8(count));
}

// (s_l + s_l+8) + (s_l+4 + s_l+12), then (e0 + e2) + (e1 + e3).
inline double reduce16(__m512d c0, __m512d c1) {
  const __m512d d = _mm512_add_pd(c0, c1);
  const __m256d e = _mm256_add_pd(_mm512_castpd512_pd256(d), _mm512_extractf64x4_pd(d, 1));
  const __m128d f = _mm_add_pd(_mm256_castpd256_pd128(e), _mm256_extractf128_pd(e, 1));
  return _mm_cvtsd_f64(_mm_add_sd(f, _mm_unpackhi_pd(f, f)));
}

template <typename T>
MomentsPartial tile(const T* x, size_t n) {
  __m512d c0 = _mm512_setzero_pd(), c1 = c0;
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    c0 = _mm512_add_pd(c0, load8(x + i, 8));
    c1 = _mm512_add_pd(c1, load8(x + i + 8, 8));
  }
  const ptrdiff_t rest = static_cast<ptrdiff_t>(n - i);
  if (rest > 0) c0 = _mm512_add_pd(c0, load8(x + i, rest));
  if (rest > 8) c1 = _mm512_add_pd(c1, load8(x + i + 8, rest - 8));
  const double mean = reduce16(c0, c1) / static_cast<double>(n);

  const __m512d m = _mm512_set1_pd(mean);
  __m512d e[2], q[2];
  for (int k = 0; k < 2; ++k) e[k] = q[k] = _mm512_setzero_pd();
  for (i = 0; i + 16 <= n; i += 16) {
    for (int k = 0; k < 2; ++k) {
      const __m512d d = _mm512_sub_pd(load8(x + i + 8 * k, 8), m);
      e[k] = _mm512_add_pd(e[k], d);
      q[k] = _mm512_fmadd_pd(d, d, q[k]);
    }
  }
  for (ptrdiff_t k = 0; k < 2 && rest > 8 * k; ++k) {
    const ptrdiff_t count = rest - 8 * k;
    const __m512d d = _mm512_maskz_sub_pd(lanes8(count), load8(x + i + 8 * k, count), m);
    e[k] = _mm512_add_pd(e[k], d);
    q[k] = _mm512_fmadd_pd(d, d, q[k]);
  }
  return partial_from_sums(static_cast<double>(n), mean, reduce16(e[0], e[1]), reduce16(q[0], q[1]));
}

// As in moments_avx2.cc, 8 columns per register: pass 1 row by row when the block is wide, down the
// columns when narrow; pass 2 down groups of 32 columns; the last few columns in the scalar kernel.
template <typename T>
void column_sums(const T* x, size_t rows, size_t cols, size_t stride, double* sums) {
  if (cols >= 64) {
    for (size_t j = 0; j < cols; j += 8) _mm512_store_pd(sums + j, _mm512_setzero_pd());
    for (size_t r = 0; r < rows; ++r) {
      const T* row = x + r * stride;
      for (size_t j = 0; j < cols; j += 8) _mm512_store_pd(sums + j, _mm512_add_pd(_mm512_load_pd(sums + j), load8(row + j, 8)));
    }
    return;
  }
  for (size_t j = 0; j < cols; j += 8) {
    __m512d a = _mm512_setzero_pd();
    for (size_t r = 0; r < rows; ++r) a = _mm512_add_pd(a, load8(x + r * stride + j, 8));
    _mm512_store_pd(sums + j, a);
  }
}

template <size_t kRegs, typename T>
void column_deviations(const T* x, size_t rows, size_t stride, const double* mean, MomentsPartial* out) {
  __m512d m[kRegs], e[kRegs], q[kRegs];
  for (size_t k = 0; k < kRegs; ++k) {
    m[k] = _mm512_load_pd(mean + 8 * k);
    e[k] = q[k] = _mm512_setzero_pd();
  }
  for (size_t r = 0; r < rows; ++r) {
    for (size_t k = 0; k < kRegs; ++k) {
      const __m512d d = _mm512_sub_pd(load8(x + r * stride + 8 * k, 8), m[k]);
      e[k] = _mm512_add_pd(e[k], d);
      q[k] = _mm512_fmadd_pd(d, d, q[k]);
    }
  }
  for (size_t k = 0; k < kRegs; ++k) {
    alignas(64) double ev[8], qv[8];
    _mm512_store_pd(ev, e[k]);
    _mm512_store_pd(qv, q[k]);
    for (int l = 0; l < 8; ++l) out[8 * k + l] = partial_from_sums(static_cast<double>(rows), mean[8 * k + l], ev[l], qv[l]);
  }
}

template <typename T>
void columns(const T* x, size_t rows, size_t cols, size_t stride, MomentsPartial* out) {
  const size_t vec_cols = cols & ~size_t{7};
  alignas(64) double mean[kMomentsColumnStrip];
  column_sums(x, rows, vec_cols, stride, mean);
  const __m512d divisor = _mm512_set1_pd(static_cast<double>(rows));
  for (size_t j = 0; j < vec_cols; j += 8) _mm512_store_pd(mean + j, _mm512_div_pd(_mm512_load_pd(mean + j), divisor));
  size_t j = 0;
  for (; j + 32 <= vec_cols; j += 32) column_deviations<4>(x + j, rows, stride, mean + j, out + j);
  for (; j < vec_cols; j += 8) column_deviations<1>(x + j, rows, stride, mean + j, out + j);
  if (j < cols) columns_kernel<T>(kMomentsScalar)(x + j, rows, cols - j, stride, out + j);
}

template <typename T>
struct Lanes;
template <>
struct Lanes<float> {
  using V = __m512;
  using Mask = __mmask16;
  using Selu = avx512::SeluF32;
  static constexpr size_t kCount = 16;
  static V selu(V x, const Selu& k) { return avx512::selu_f32(x, k); }
};
template <>
struct Lanes<double> {
  using V = __m512d;
  using Mask = __mmask8;
  using Selu = avx512::SeluF64;
  static constexpr size_t kCount = 8;
  static V selu(V x, const Selu& k) { return avx512::selu_f64(x, k); }
};

// Fused, as in moments_avx2.cc: y = selu(x) to an L1 scratch tile and to out (streamed from the first
// 64-byte aligned element on when asked), then the tile kernel on the scratch.
template <typename T>
MomentsPartial selu_tile(const T* x, T* out, size_t n, const SeluConstants<T>& s, bool stream) {
  using L = Lanes<T>;
  constexpr size_t W = L::kCount;
  const typename L::Selu k(s);
  alignas(64) T scratch[kMomentsTile];
  auto mask = [](size_t count) { return static_cast<typename L::Mask>((1u << count) - 1u); };
  size_t i = 0;
  if (stream) {
    const size_t head = std::min(n, ((64 - reinterpret_cast<uintptr_t>(out) % 64) % 64) / sizeof(T));
    if (head > 0) {
      const typename L::V y = L::selu(io::load(x, mask(head)), k);
      io::store(scratch, mask(head), y);
      io::store(out, mask(head), y);
    }
    for (i = head; i + W <= n; i += W) {
      const typename L::V y = L::selu(io::load(x + i), k);
      io::store(scratch + i, y);
      io::stream(out + i, y);
    }
  } else {
    for (; i + W <= n; i += W) {
      const typename L::V y = L::selu(io::load(x + i), k);
      io::store(scratch + i, y);
      io::store(out + i, y);
    }
  }
  if (i < n) {
    const typename L::V y = L::selu(io::load(x + i, mask(n - i)), k);
    io::store(scratch + i, mask(n - i), y);
    io::store(out + i, mask(n - i), y);
  }
  if (stream) _mm_sfence();
  return tile<T>(scratch, n);
}

}  // namespace

#if defined(SELU_KERNELS_EMULATE_AVX512)
extern const MomentsKernelTable kMomentsAvx512Emulated;
const MomentsKernelTable kMomentsAvx512Emulated = {
#else
const MomentsKernelTable kMomentsAvx512 = {
#endif
    tile<float>, tile<double>, columns<float>, columns<double>, selu_tile<float>, selu_tile<double>,
};

}  // namespace selu
