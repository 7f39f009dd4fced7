// Mean/variance kernels: one table of function pointers per instruction set.
//
// Every kernel fixes its order of operations independently of the instruction set, so all tables
// return bit-identical partials (tested in cpp/tests/moments):
// - tile: two passes over at most kMomentsTile contiguous values (the tile stays in L1). Element i
//   goes to accumulator i mod 16 (16 doubles: 4 AVX2 or 2 AVX-512 registers, or 16 scalars); the 16
//   sums are combined as ((s_l + s_l+8) + (s_l+4 + s_l+12)) for l < 4, then (e0 + e2) + (e1 + e3).
//   Pass 1 gives the mean = sum / n; pass 2 accumulates d = x − mean and d² (fused multiply-add) in
//   the same 16-lane order, reduced as in pass 1; the partial is partial_from_sums(n, mean, Σd, Σd²).
//   Values are widened to double before any arithmetic.
// - column block: per column of a block of at most kMomentsRowBlock rows, the sum over rows in row
//   order, mean = sum / rows, then Σd and Σd² = Σ fma(d, d, ·) in row order, and partial_from_sums.
//   Vectorised across columns, so the per-column arithmetic is the scalar one.
// Partials of tiles and blocks are merged by moments_ops.cc in a fixed pairwise order.
#pragma once

#include <stddef.h>

#include "../common/by_precision.h"
#include "../common/simd_level.h"
#include "../selu/selu_params.h"
#include "moments_partial.h"

namespace selu {

constexpr size_t kMomentsTile = 2048;      // values per tile (16 KB of doubles: fits L1 with room)
constexpr size_t kMomentsRowBlock = 64;    // rows per column block
constexpr size_t kMomentsColumnStrip = 256;  // most columns per column-block call

template <typename T>
using TileMomentsFn = MomentsPartial (*)(const T* x, size_t n);  // 1 ≤ n ≤ kMomentsTile

// Writes the partial of each of `cols` columns of the `rows` × `cols` block at x (row stride `stride`
// elements) to out[0 .. cols). 1 ≤ rows ≤ kMomentsRowBlock, 1 ≤ cols ≤ kMomentsColumnStrip.
template <typename T>
using ColumnMomentsFn = void (*)(const T* x, size_t rows, size_t cols, size_t stride, MomentsPartial* out);

// Fused: out[0 .. n) = selu(x[0 .. n)) as the SELU kernel of the same instruction set computes it,
// and the tile partial of those outputs (bit-identical to tile(selu(x))). 1 ≤ n ≤ kMomentsTile.
template <typename T>
using SeluTileMomentsFn = MomentsPartial (*)(const T* x, T* out, size_t n, const SeluConstants<T>& s, bool stream);

struct MomentsKernelTable {
  TileMomentsFn<float> tile_f32;
  TileMomentsFn<double> tile_f64;
  ColumnMomentsFn<float> columns_f32;
  ColumnMomentsFn<double> columns_f64;
  SeluTileMomentsFn<float> selu_tile_f32;
  SeluTileMomentsFn<double> selu_tile_f64;
};

// Defined in moments_scalar.cc, moments_avx2.cc and moments_avx512.cc (the last two with their ISA flags).
extern const MomentsKernelTable kMomentsScalar, kMomentsAvx2, kMomentsAvx512;

const MomentsKernelTable& moments_kernels(SimdLevel level);

// The float or double entry of a table, for code templated on T.
template <typename T>
TileMomentsFn<T> tile_kernel(const MomentsKernelTable& t) { return by_precision<T>(t.tile_f32, t.tile_f64); }
template <typename T>
ColumnMomentsFn<T> columns_kernel(const MomentsKernelTable& t) { return by_precision<T>(t.columns_f32, t.columns_f64); }
template <typename T>
SeluTileMomentsFn<T> selu_tile_kernel(const MomentsKernelTable& t) {
  return by_precision<T>(t.selu_tile_f32, t.selu_tile_f64);
}

}  // namespace selu
