// Mean and variance over whole arrays or along an axis of a row-major rows × cols matrix, optionally
// fused with SELU. Picks the kernel table for the active SIMD level and splits the work over the
// thread pool in pieces whose boundaries depend only on the shape, merging their partials in a fixed
// order: results are bit-identical for any thread count (and any SIMD level, see moments_kernels.h).
//
// The reduction tree, which fixes every rounding:
// - contiguous data (the whole array, or one row for axis 1): tiles of kMomentsTile values, merged
//   pairwise within chunks of kMomentsChunkTiles tiles, chunk results merged pairwise;
// - columns (axis 0): blocks of kMomentsRowBlock rows, merged pairwise within chunks of
//   kMomentsChunkBlocks blocks, chunk results merged pairwise.
//
// Preconditions (checked by the glue): rows, cols ≥ 1; count − correction ≥ 1 where count is the
// number of values per group; mean and variance have one slot per group.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "../selu/selu_params.h"

namespace selu {

// 16384 values per chunk of contiguous data: small enough that mid-size arrays (1e5) split evenly over
// threads. A power of two, so the pairwise tree (hence every rounding) is the one a single chunk of
// any larger power of two would build.
constexpr size_t kMomentsChunkTiles = 8;
constexpr size_t kMomentsChunkBlocks = 16;  // 1024 rows per chunk of columns

enum class MomentsAxis { kAll = -1, kColumns = 0, kRows = 1 };

struct MomentsShape {
  size_t rows, cols;
  MomentsAxis axis;
  int correction;  // 0: population variance M2 / count; 1: sample variance M2 / (count − 1)
};

// Number of groups: 1 (kAll), cols (kColumns), rows (kRows); values per group: rows·cols, rows, cols.
size_t moments_groups(const MomentsShape& s);
size_t moments_count(const MomentsShape& s);

template <typename T>
void moments(const T* x, const MomentsShape& shape, double* mean, double* variance);

// moments<float> of the array that `widen` makes of x (cpp/half: 16-bit data), widening tile by tile
// into per-thread buffers: the same reduction tree, so the results are bit-identical to moments<float>
// of the whole widened array, without that array.
void moments_widened(void (*widen)(const uint16_t* src, float* dst, size_t n), const uint16_t* x,
                     const MomentsShape& shape, double* mean, double* variance);

// out = selu(x) (the SELU kernel of the active level) and the moments of out, in one pass over x.
template <typename T>
void selu_moments(const T* x, T* out, const MomentsShape& shape, const SeluParams& s, double* mean,
                  double* variance);

}  // namespace selu
