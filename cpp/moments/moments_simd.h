// The mean/variance kernels for one SIMD instruction set, in the order of operations of
// moments_kernels.h, written once over an ISA trait Isa: 16 double accumulators as 16 / W registers
// of W lanes (element i to register (i mod 16) / W, lane i mod W). Tails load only the lanes that
// exist and zero the deviations of the others, which adds exact zeros. Included by moments_avx2.cc and
// moments_avx512.cc after they define their trait, so that each instantiation is compiled with its own
// ISA's flags; everything here is in an unnamed namespace so that the linker never merges code built
// for one ISA into another's (or the emulated AVX-512 build into the native).
//
// The trait Isa provides:
//   V, kLanes (W)                   a register of W doubles (V{} is zero; +, −, / are the vector
//                                   extensions' operators, the same instructions as the intrinsics)
//   SeluIsa                         the ISA's SELU maths trait (selu_math_simd.h): set, fmadd, and with
//                                   its Io and maths the fused tile
//   load(p, count)                  W consecutive floats or doubles widened to double; with count < W
//                                   only the first count are read (the rest are 0), for count ≤ 0 none
//   masked_deviation(count, x, m)   x − m in the first count lanes, +0 in the others
//   reduce16(acc)                   the 16 accumulators acc[0 .. 16 / W) combined as moments_kernels.h says
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <algorithm>

#include "moments_kernels.h"

namespace selu {
namespace {

template <typename Isa>
struct MomentsSimd {
  using V = typename Isa::V;
  using SeluIsa = typename Isa::SeluIsa;  // set(v) and fmadd(a, b, c) = a·b + c, one rounding
  static constexpr size_t W = Isa::kLanes;
  static constexpr size_t kRegs = 16 / W;  // registers of accumulators in the tile kernel
  static constexpr size_t kBytes = sizeof(V);

  // W doubles at p, aligned to kBytes (the instructions of _mm*_load_pd / _mm*_store_pd, which are
  // defined this way).
  static V load_aligned(const double* p) { return *reinterpret_cast<const V*>(p); }
  static void store_aligned(double* p, V v) { *reinterpret_cast<V*>(p) = v; }

  // Asks for the 16 values one tile length past p (the same place in the next tile) to be brought into
  // cache. Called in the second pass, which reads the tile from L1 and leaves the memory bus idle: the
  // next tile's first pass then finds its values in cache instead of waiting for them (moments at 1e6
  // and 1e7: ~22% less time on 2 threads, ~36% on 1, AMD EPYC AVX2; fetching two tiles ahead was no
  // better). For the tiles that selu_tile and the 16-bit path widen into a stack buffer it fetches
  // memory no one reads next: one hint per 16 values, left in rather than a second tile kernel. Past
  // the array's end it is a hint about memory that may not exist, which prefetch instructions ignore;
  // the address is computed as an integer so that no out-of-bounds pointer is formed.
  template <typename T>
  static void prefetch_next_tile(const T* p, size_t tile_length) {
    const uintptr_t at = reinterpret_cast<uintptr_t>(p) + tile_length * sizeof(T);
    for (size_t line = 0; line < 16 * sizeof(T); line += 64) __builtin_prefetch(reinterpret_cast<const void*>(at + line));
  }

  // Not inlined into selu_tile: there it measured 6% more instructions (callgrind) than the call.
  template <typename T>
  __attribute__((noinline)) static MomentsPartial tile(const T* x, size_t n) {
    V a[kRegs];
    for (size_t k = 0; k < kRegs; ++k) a[k] = V{};
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
      for (size_t k = 0; k < kRegs; ++k) a[k] = a[k] + Isa::load(x + i + W * k, W);
    }
    const ptrdiff_t rest = static_cast<ptrdiff_t>(n - i);
    for (size_t k = 0; k < kRegs && rest > static_cast<ptrdiff_t>(W * k); ++k) {
      a[k] = a[k] + Isa::load(x + i + W * k, rest - static_cast<ptrdiff_t>(W * k));
    }
    const double mean = Isa::reduce16(a) / static_cast<double>(n);

    const V m = SeluIsa::set(mean);
    V e[kRegs], q[kRegs];
    for (size_t k = 0; k < kRegs; ++k) e[k] = q[k] = V{};
    for (i = 0; i + 16 <= n; i += 16) {
      prefetch_next_tile(x + i, n);
      for (size_t k = 0; k < kRegs; ++k) {
        const V d = Isa::load(x + i + W * k, W) - m;
        e[k] = e[k] + d;
        q[k] = SeluIsa::fmadd(d, d, q[k]);
      }
    }
    for (size_t k = 0; k < kRegs && rest > static_cast<ptrdiff_t>(W * k); ++k) {
      const ptrdiff_t count = rest - static_cast<ptrdiff_t>(W * k);
      const V d = Isa::masked_deviation(count, Isa::load(x + i + W * k, count), m);
      e[k] = e[k] + d;
      q[k] = SeluIsa::fmadd(d, d, q[k]);
    }
    return partial_from_sums(static_cast<double>(n), mean, Isa::reduce16(e), Isa::reduce16(q));
  }

  // Per column: sum over rows in row order, mean = sum / rows, then Σd and Σd² (FMA) in row order,
  // W columns per register. Pass 1 goes row by row through the block when it is wide (x streams in
  // from memory in address order; the sums stay in L1, one independent chain per W columns) and down
  // groups of columns with the sums in registers when it is narrow (the block is then contiguous
  // anyway and a few chains through memory would be latency-bound). Pass 2 goes down groups of 4·W
  // columns with the accumulators in registers (4 independent FMA chains) while the block is still in
  // cache. Columns past the last multiple of W use the scalar kernel, whose arithmetic is the same.
  template <typename T>
  static void column_sums(const T* x, size_t rows, size_t cols, size_t stride, double* sums) {
    if (cols >= 8 * W) {
      for (size_t j = 0; j < cols; j += W) store_aligned(sums + j, V{});
      for (size_t r = 0; r < rows; ++r) {
        const T* row = x + r * stride;
        for (size_t j = 0; j < cols; j += W) {
          store_aligned(sums + j, load_aligned(sums + j) + Isa::load(row + j, W));
        }
      }
      return;
    }
    for (size_t j = 0; j < cols; j += W) {
      V a = V{};
      for (size_t r = 0; r < rows; ++r) a = a + Isa::load(x + r * stride + j, W);
      store_aligned(sums + j, a);
    }
  }

  template <size_t kColumnRegs, typename T>
  static void column_deviations(const T* x, size_t rows, size_t stride, const double* mean, MomentsPartial* out) {
    V m[kColumnRegs], e[kColumnRegs], q[kColumnRegs];
    for (size_t k = 0; k < kColumnRegs; ++k) {
      m[k] = load_aligned(mean + W * k);
      e[k] = q[k] = V{};
    }
    for (size_t r = 0; r < rows; ++r) {
      for (size_t k = 0; k < kColumnRegs; ++k) {
        const V d = Isa::load(x + r * stride + W * k, W) - m[k];
        e[k] = e[k] + d;
        q[k] = SeluIsa::fmadd(d, d, q[k]);
      }
    }
    for (size_t k = 0; k < kColumnRegs; ++k) {
      alignas(kBytes) double ev[W], qv[W];
      store_aligned(ev, e[k]);
      store_aligned(qv, q[k]);
      for (size_t l = 0; l < W; ++l) out[W * k + l] = partial_from_sums(static_cast<double>(rows), mean[W * k + l], ev[l], qv[l]);
    }
  }

  template <typename T>
  static void columns(const T* x, size_t rows, size_t cols, size_t stride, MomentsPartial* out) {
    const size_t vec_cols = cols & ~(W - 1);
    alignas(kBytes) double mean[kMomentsColumnStrip];
    column_sums(x, rows, vec_cols, stride, mean);
    const V divisor = SeluIsa::set(static_cast<double>(rows));
    for (size_t j = 0; j < vec_cols; j += W) store_aligned(mean + j, load_aligned(mean + j) / divisor);
    size_t j = 0;
    for (; j + 4 * W <= vec_cols; j += 4 * W) column_deviations<4>(x + j, rows, stride, mean + j, out + j);
    for (; j < vec_cols; j += W) column_deviations<1>(x + j, rows, stride, mean + j, out + j);
    if (j < cols) columns_kernel<T>(kMomentsScalar)(x + j, rows, cols - j, stride, out + j);
  }

  // Fused: y = selu(x) (the ISA's SELU maths, as its SELU kernels compute it) goes to an L1 scratch
  // tile and to out, streamed from the first register-aligned element on when asked; then the tile
  // kernel reads the scratch. Bit-identical to tile(selu(x)); x is read once and out written once.
  template <typename T>
  static MomentsPartial selu_tile(const T* x, T* out, size_t n, const SeluConstants<T>& s, bool stream) {
    using Io = typename SeluIsa::Io;
    using IoV = simd::Vec<SeluIsa, T>;
    constexpr size_t kLanes = sizeof(IoV) / sizeof(T);
    const simd::SeluVec<SeluIsa, T> k(s);
    alignas(kBytes) T scratch[kMomentsTile];
    size_t i = 0;
    if (stream) {
      const size_t head = std::min(n, ((kBytes - reinterpret_cast<uintptr_t>(out) % kBytes) % kBytes) / sizeof(T));
      if (head > 0) {
        const auto m = Io::template first_lanes<T>(head);
        const IoV y = simd::selu_forward<SeluIsa, T>(Io::load(x, m), k);
        Io::store(scratch, m, y);
        Io::store(out, m, y);
      }
      for (i = head; i + kLanes <= n; i += kLanes) {
        const IoV y = simd::selu_forward<SeluIsa, T>(Io::load(x + i), k);
        Io::store(scratch + i, y);
        Io::stream(out + i, y);
      }
    } else {
      for (; i + kLanes <= n; i += kLanes) {
        const IoV y = simd::selu_forward<SeluIsa, T>(Io::load(x + i), k);
        Io::store(scratch + i, y);
        Io::store(out + i, y);
      }
    }
    if (i < n) {
      const auto m = Io::template first_lanes<T>(n - i);
      const IoV y = simd::selu_forward<SeluIsa, T>(Io::load(x + i, m), k);
      Io::store(scratch + i, m, y);
      Io::store(out + i, m, y);
    }
    if (stream) _mm_sfence();
    return tile<T>(scratch, n);
  }

  static constexpr MomentsKernelTable kTable = {
      tile<float>, tile<double>, columns<float>, columns<double>, selu_tile<float>, selu_tile<double>,
  };
};

}  // namespace
}  // namespace selu
