#include "moments_ops.h"

#include <algorithm>
#include <type_traits>
#include <vector>

#include "../common/elementwise_split.h"
#include "../common/thread_pool.h"
#include "../selu/selu_kernels.h"
#include "moments_kernels.h"
#include "moments_partial.h"

namespace selu {

size_t moments_groups(const MomentsShape& s) {
  switch (s.axis) {
    case MomentsAxis::kColumns: return s.cols;
    case MomentsAxis::kRows: return s.rows;
    default: return 1;
  }
}

size_t moments_count(const MomentsShape& s) {
  switch (s.axis) {
    case MomentsAxis::kColumns: return s.rows;
    case MomentsAxis::kRows: return s.cols;
    default: return s.rows * s.cols;
  }
}

namespace {

constexpr size_t kChunk = kMomentsTile * kMomentsChunkTiles;
constexpr size_t kChunkRows = kMomentsRowBlock * kMomentsChunkBlocks;
constexpr size_t kStripCols = kMomentsColumnStrip;  // columns per work item: a 64-row block of them stays in L2

// A unit of work is worth a task when it covers about this many values.
constexpr size_t kTaskValues = size_t{1} << 16;

template <typename T>
struct Kernels {
  TileMomentsFn<T> tile;
  ColumnMomentsFn<T> columns;
  SeluTileMomentsFn<T> selu_tile;
  SeluForwardFn<T> selu_forward;
  SeluConstants<T> selu_constants;
};

template <typename T>
Kernels<T> kernels(const SeluParams* s) {
  const MomentsKernelTable& m = moments_kernels(active_simd_level());
  const SeluKernelTable& k = selu_kernels(active_simd_level());
  SeluConstants<T> c{};
  if constexpr (std::is_same<T, float>::value) {
    if (s) c = make_selu_constants_f32(*s);
  } else {
    if (s) c = make_selu_constants_f64(*s);
  }
  return {tile_kernel<T>(m), columns_kernel<T>(m), selu_tile_kernel<T>(m), selu_forward_kernel<T>(k), c};
}

void finish(const MomentsPartial& p, int correction, double* mean, double* variance) {
  *mean = p.full_mean();
  *variance = p.m2 / (p.count - correction);
}

// The partial of chunk `c` of a contiguous run of n values; tile(begin, count) gives a tile's partial.
template <typename TileFn>
MomentsPartial chunk_partial(size_t n, size_t c, const TileFn& tile) {
  PairwiseMerger<8> merger;
  const size_t end = std::min(n, (c + 1) * kChunk);
  for (size_t t = c * kChunk; t < end; t += kMomentsTile) merger.push(tile(t, std::min(kMomentsTile, end - t)));
  return merger.result();
}

// Moments of `rows` contiguous runs of `cols` values (the whole array is one run); tile(row, begin,
// count) gives a tile's partial.
template <typename TileFn>
void reduce_rows(size_t rows, size_t cols, int correction, OpCost cost, const TileFn& tile, double* mean,
                 double* variance) {
  const size_t chunks_per_row = (cols + kChunk - 1) / kChunk;
  const bool split = worth_splitting(rows * cols, cost);
  if (chunks_per_row == 1) {
    // Short rows: each is one chunk; tasks take several rows.
    const size_t rows_per_task = std::max<size_t>(1, kTaskValues / cols);
    parallel_for(rows, split ? rows_per_task : rows, [&](size_t r0, size_t r1) {
      for (size_t r = r0; r < r1; ++r) {
        const MomentsPartial p = chunk_partial(cols, 0, [&](size_t b, size_t n) { return tile(r, b, n); });
        finish(p, correction, mean + r, variance + r);
      }
    });
    return;
  }
  // Long rows: every chunk is a task; each row's chunk partials are then merged in order.
  std::vector<MomentsPartial> partials(rows * chunks_per_row);
  parallel_for(partials.size(), split ? 1 : partials.size(), [&](size_t i0, size_t i1) {
    for (size_t i = i0; i < i1; ++i) {
      const size_t r = i / chunks_per_row;
      partials[i] = chunk_partial(cols, i % chunks_per_row, [&](size_t b, size_t n) { return tile(r, b, n); });
    }
  });
  for (size_t r = 0; r < rows; ++r) {
    PairwiseMerger<> merger;
    for (size_t c = 0; c < chunks_per_row; ++c) merger.push(partials[r * chunks_per_row + c]);
    finish(merger.result(), correction, mean + r, variance + r);
  }
}

// Per-column moments of a rows × cols matrix. block(r0, nrows, c0, ncols, partials) fills the block
// partials of columns [c0, c0 + ncols) over rows [r0, r0 + nrows).
template <typename BlockFn>
void reduce_columns(size_t rows, size_t cols, int correction, OpCost cost, const BlockFn& block, double* mean,
                    double* variance) {
  const size_t chunks = (rows + kChunkRows - 1) / kChunkRows;
  const size_t strips = (cols + kStripCols - 1) / kStripCols;
  std::vector<MomentsPartial> partials(chunks * cols);  // [chunk][column]
  const size_t items = chunks * strips;
  const size_t values_per_item = std::min(rows, kChunkRows) * std::min(cols, kStripCols);
  const size_t items_per_task =
      worth_splitting(rows * cols, cost) ? std::max<size_t>(1, kTaskValues / values_per_item) : items;
  parallel_for(items, items_per_task, [&](size_t i0, size_t i1) {
    std::vector<PairwiseMerger<8>> mergers(std::min(cols, kStripCols));
    MomentsPartial block_partials[kStripCols];
    for (size_t i = i0; i < i1; ++i) {
      const size_t chunk = i / strips, c0 = (i % strips) * kStripCols;
      const size_t ncols = std::min(kStripCols, cols - c0);
      const size_t r_end = std::min(rows, (chunk + 1) * kChunkRows);
      std::fill(mergers.begin(), mergers.end(), PairwiseMerger<8>{});
      for (size_t r0 = chunk * kChunkRows; r0 < r_end; r0 += kMomentsRowBlock) {
        const size_t nrows = std::min(kMomentsRowBlock, r_end - r0);
        block(r0, nrows, c0, ncols, block_partials);
        for (size_t j = 0; j < ncols; ++j) mergers[j].push(block_partials[j]);
      }
      for (size_t j = 0; j < ncols; ++j) partials[chunk * cols + c0 + j] = mergers[j].result();
    }
  });
  for (size_t j = 0; j < cols; ++j) {
    PairwiseMerger<> merger;
    for (size_t c = 0; c < chunks; ++c) merger.push(partials[c * cols + j]);
    finish(merger.result(), correction, mean + j, variance + j);
  }
}

}  // namespace

template <typename T>
void moments(const T* x, const MomentsShape& shape, double* mean, double* variance) {
  const Kernels<T> k = kernels<T>(nullptr);
  const OpCost cost = cost_of(op_cost::kMoments, sizeof(T));
  const size_t rows = shape.rows, cols = shape.cols;
  if (shape.axis == MomentsAxis::kColumns) {
    reduce_columns(rows, cols, shape.correction, cost, [&](size_t r0, size_t nr, size_t c0, size_t nc, MomentsPartial* p) {
      k.columns(x + r0 * cols + c0, nr, nc, cols, p);
    }, mean, variance);
    return;
  }
  // The whole array is one row of rows·cols values.
  const bool whole = shape.axis == MomentsAxis::kAll;
  const size_t run_rows = whole ? 1 : rows, run_cols = whole ? rows * cols : cols;
  reduce_rows(run_rows, run_cols, shape.correction, cost,
              [&](size_t r, size_t b, size_t n) { return k.tile(x + r * run_cols + b, n); }, mean, variance);
}

void moments_widened(void (*widen)(const uint16_t* src, float* dst, size_t n), const uint16_t* x,
                     const MomentsShape& shape, double* mean, double* variance) {
  const Kernels<float> k = kernels<float>(nullptr);
  const size_t rows = shape.rows, cols = shape.cols;
  if (shape.axis == MomentsAxis::kColumns) {
    reduce_columns(rows, cols, shape.correction, op_cost::kMoments, [&](size_t r0, size_t nr, size_t c0, size_t nc, MomentsPartial* p) {
      // The block's rows side by side (stride nc): the column kernel's per-column order is the same.
      thread_local std::vector<float> block(kMomentsRowBlock * kMomentsColumnStrip);
      for (size_t r = 0; r < nr; ++r) widen(x + (r0 + r) * cols + c0, block.data() + r * nc, nc);
      k.columns(block.data(), nr, nc, nc, p);
    }, mean, variance);
    return;
  }
  const bool whole = shape.axis == MomentsAxis::kAll;
  const size_t run_rows = whole ? 1 : rows, run_cols = whole ? rows * cols : cols;
  reduce_rows(run_rows, run_cols, shape.correction, op_cost::kMoments, [&](size_t r, size_t b, size_t n) {
    alignas(64) float tile[kMomentsTile];
    widen(x + r * run_cols + b, tile, n);
    return k.tile(tile, n);
  }, mean, variance);
}

template <typename T>
void selu_moments(const T* x, T* out, const MomentsShape& shape, const SeluParams& s, double* mean,
                  double* variance) {
  const Kernels<T> k = kernels<T>(&s);
  const OpCost cost = cost_of(op_cost::kSeluMoments, sizeof(T));
  const size_t rows = shape.rows, cols = shape.cols;
  const bool stream = should_stream(rows * cols * sizeof(T));
  if (shape.axis == MomentsAxis::kColumns) {
    // SELU the block's rows into out (ordinary stores: they are read straight back), then reduce out.
    reduce_columns(rows, cols, shape.correction, cost, [&](size_t r0, size_t nr, size_t c0, size_t nc, MomentsPartial* p) {
      for (size_t r = r0; r < r0 + nr; ++r) k.selu_forward(x + r * cols + c0, out + r * cols + c0, nc, k.selu_constants, false);
      k.columns(out + r0 * cols + c0, nr, nc, cols, p);
    }, mean, variance);
    return;
  }
  const bool whole = shape.axis == MomentsAxis::kAll;
  const size_t run_rows = whole ? 1 : rows, run_cols = whole ? rows * cols : cols;
  reduce_rows(run_rows, run_cols, shape.correction, cost, [&](size_t r, size_t b, size_t n) {
    const size_t at = r * run_cols + b;
    return k.selu_tile(x + at, out + at, n, k.selu_constants, stream);
  }, mean, variance);
}

template void moments<float>(const float*, const MomentsShape&, double*, double*);
template void moments<double>(const double*, const MomentsShape&, double*, double*);
template void selu_moments<float>(const float*, float*, const MomentsShape&, const SeluParams&, double*, double*);
template void selu_moments<double>(const double*, double*, const MomentsShape&, const SeluParams&, double*, double*);

}  // namespace selu
