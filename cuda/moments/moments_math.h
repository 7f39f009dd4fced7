// Mean/variance on the GPU: the arithmetic of every step as SELU_HD functions, so cuda/tests can run
// the whole reduction on the host in the device's order (and compare it with the CPU kernels), and the
// order itself, which depends only on the shape: results are reproducible bit for bit, on any GPU.
//
// Partials are (count, mean + mean_lo, M2) in float64 and are merged with Chan et al.'s formula, the
// mean carried as a double-double — the formulas of cpp/moments/chan_merge.h, which the CPU kernels
// share (docs/MOMENTS.md). No floating-point atomics.
//
// The reduction tree:
// - contiguous data (the whole array, or each row for axis 1): tiles of kTileValues values, one CUDA
//   block each. Thread t holds values t + 256·u (u < 16) — or, when the group starts 16-byte aligned,
//   the 16-byte vectors t + 256·u — in registers. Pass 1: each thread sums its values in order, the
//   block adds the 256 sums in the fixed tree of block_tree() (warp shuffles, then the 8 warp sums);
//   mean = sum / n. Pass 2: d = x − mean, Σd and Σd² (fma) likewise; partial_from_sums.
// - columns (axis 0): blocks of kColumnRows rows; one thread per column sums its rows in row order.
// - each group's partials are merged by merge_range() over consecutive runs in pairwise (binary-
//   counter) order, then — for long groups — across the 256 threads of a block by block_tree().
#pragma once

#include <stddef.h>

#include "../../cpp/moments/chan_merge.h"
#include "../common/dtypes.h"
#include "../selu/selu_math.h"

namespace selu_cuda {

constexpr unsigned kMomentsThreads = 256;
constexpr unsigned kValuesPerThread = 16;
constexpr size_t kTileValues = size_t{kMomentsThreads} * kValuesPerThread;  // 4096
constexpr unsigned kColumnRows = 32;
// Merging: while a group has more than kMergeChunk partials, a merge level turns each run of
// kMergeChunk into one (a block per run: 8 consecutive partials per thread, then the block tree). The
// last level merges each group's remaining partials in one block (few groups, or many partials) or in
// one thread (many groups with few partials each).
constexpr size_t kMergePerThread = 8;
constexpr size_t kMergeChunk = size_t{kMomentsThreads} * kMergePerThread;  // 2048
constexpr size_t kBlockMergeMin = 64;
constexpr size_t kFewGroups = 64;

struct Partial {
  double count, mean, mean_lo, m2;
};

// Chan's merge, the partial from a second pass's sums and the pairwise merging of partials pushed in
// order (PairwiseMerger): cpp/moments/chan_merge.h, as on the CPU.
SELU_HD Partial merge(const Partial& a, const Partial& b) { return selu::chan::merge(a, b); }
SELU_HD Partial partial_from_sums(double n, double m, double e, double q) {
  return selu::chan::partial_from_sums<Partial>(n, m, e, q);
}

// Partials p0 .. p1 − 1 of a group, element p at base[p * stride], merged pairwise in order.
SELU_HD Partial merge_range(const Partial* base, size_t stride, size_t p0, size_t p1) {
  selu::chan::PairwiseMerger<Partial, 40> m;
  for (size_t p = p0; p < p1; ++p) m.push(base[p * stride]);
  return m.result();
}

// The run of partials thread t of kMomentsThreads merges, of P (the last level).
SELU_HD size_t merge_split(size_t P, unsigned t) { return P * t / kMomentsThreads; }

// A level's layout: partial p of group g at index(g, p). The first level's layout is the plan's
// (columns store [p][g]); later levels store [g][p].
struct PartialLayout {
  size_t groups, P;
  bool columns;
  SELU_HD size_t index(size_t g, size_t p) const { return columns ? p * groups + g : g * P + p; }
  SELU_HD size_t stride() const { return columns ? groups : 1; }
};

// Whether the last level uses one block per group (else one thread per group).
SELU_HD bool block_merge_last(const PartialLayout& l) { return l.P >= kBlockMergeMin || l.groups <= kFewGroups; }

// Partials of the next level: ceil(P / kMergeChunk).
SELU_HD size_t next_level(size_t P) { return (P + kMergeChunk - 1) / kMergeChunk; }

// The fixed tree in which a block combines its threads' values, as the device does it (warp shuffles
// down by 16, 8, 4, 2, 1, then the same over the 8 warp results): lane l takes combine(v[l], v[l + o]).
// The host tests call it on an array of the 256 values; the kernels reproduce it with __shfl_down_sync.
template <typename V, typename F>
SELU_HD V block_tree(V* v, F combine) {
  constexpr unsigned kWarps = kMomentsThreads / 32;
  for (unsigned w = 0; w < kWarps; ++w) {
    V* lane = v + 32 * w;
    for (unsigned o = 16; o > 0; o /= 2)
      for (unsigned l = 0; l + o < 32; ++l) lane[l] = combine(lane[l], lane[l + o]);  // l reads l + o before it changes: l < l + o
  }
  V top[32];
  for (unsigned w = 0; w < kWarps; ++w) top[w] = v[32 * w];
  for (unsigned o = kWarps / 2; o > 0; o /= 2)
    for (unsigned l = 0; l + o < kWarps; ++l) top[l] = combine(top[l], top[l + o]);
  return top[0];
}

// Values of one thread of a tile: vals[i] for i < kValuesPerThread, with count how many are real.
// `vector_path`: the tile starts 16-byte aligned, so each thread reads whole vectors when it can.
// With SELU (out != nullptr), vals are the SELU outputs as stored (rounded to S), and they are written.
template <typename S, bool kSelu>
SELU_HD void tile_load(const S* x, S* out, size_t n_tile, unsigned t, bool vector_path,
                       const SeluK<typename Storage<S>::C>& k, double (&vals)[kValuesPerThread], bool (&valid)[kValuesPerThread]) {
  using St = Storage<S>;
  if (vector_path) {
    constexpr int V = Vec16<S>::kN;
    constexpr unsigned kVecs = kValuesPerThread / V;
SELU_UNROLL
    for (unsigned u = 0; u < kVecs; ++u) {
      const size_t e0 = (size_t{u} * kMomentsThreads + t) * V;
      if (e0 + V <= n_tile) {
        Vec16<S> v = reinterpret_cast<const Vec16<S>*>(x + e0)[0];
        if constexpr (kSelu) {
SELU_UNROLL
          for (int j = 0; j < V; ++j) v.v[j] = St::store(selu_forward(St::load(v.v[j]), k));
          reinterpret_cast<Vec16<S>*>(out + e0)[0] = v;
        }
SELU_UNROLL
        for (int j = 0; j < V; ++j) {
          vals[u * V + j] = static_cast<double>(St::load(v.v[j]));
          valid[u * V + j] = true;
        }
      } else {
SELU_UNROLL
        for (int j = 0; j < V; ++j) {
          const size_t e = e0 + j;
          valid[u * V + j] = e < n_tile;
          vals[u * V + j] = 0;
          if (e < n_tile) {
            S s = x[e];
            if constexpr (kSelu) {
              s = St::store(selu_forward(St::load(s), k));
              out[e] = s;
            }
            vals[u * V + j] = static_cast<double>(St::load(s));
          }
        }
      }
    }
    return;
  }
SELU_UNROLL
  for (unsigned u = 0; u < kValuesPerThread; ++u) {
    const size_t e = size_t{u} * kMomentsThreads + t;
    valid[u] = e < n_tile;
    vals[u] = 0;
    if (e < n_tile) {
      S s = x[e];
      if constexpr (kSelu) {
        s = St::store(selu_forward(St::load(s), k));
        out[e] = s;
      }
      vals[u] = static_cast<double>(St::load(s));
    }
  }
}

SELU_HD double thread_sum(const double (&vals)[kValuesPerThread]) {
  double s = 0;
SELU_UNROLL
  for (unsigned i = 0; i < kValuesPerThread; ++i) s += vals[i];
  return s;
}

struct Sums2 {
  double e, q;
};

SELU_HD Sums2 thread_deviations(const double (&vals)[kValuesPerThread], const bool (&valid)[kValuesPerThread],
                                double mean) {
  Sums2 r{0, 0};
SELU_UNROLL
  for (unsigned i = 0; i < kValuesPerThread; ++i) {
    if (valid[i]) {
      const double d = vals[i] - mean;
      r.e += d;
      r.q = fma_(d, d, r.q);
    }
  }
  return r;
}

// One column's partial over rows r0 .. r0 + nr − 1 (nr ≤ kColumnRows) of a row-major matrix with
// `cols` columns; with SELU the outputs are written and reduced as stored.
template <typename S, bool kSelu>
SELU_HD Partial column_partial(const S* x, S* out, size_t cols, size_t r0, unsigned nr, size_t c,
                               const SeluK<typename Storage<S>::C>& k) {
  using St = Storage<S>;
  double vals[kColumnRows];
  double sum = 0;
SELU_UNROLL
  for (unsigned r = 0; r < kColumnRows; ++r) {
    vals[r] = 0;
    if (r < nr) {
      const size_t at = (r0 + r) * cols + c;
      S s = x[at];
      if constexpr (kSelu) {
        s = St::store(selu_forward(St::load(s), k));
        out[at] = s;
      }
      vals[r] = static_cast<double>(St::load(s));
      sum += vals[r];
    }
  }
  const double mean = sum / nr;
  double e = 0, q = 0;
SELU_UNROLL
  for (unsigned r = 0; r < kColumnRows; ++r) {
    if (r < nr) {
      const double d = vals[r] - mean;
      e += d;
      q = fma_(d, d, q);
    }
  }
  return partial_from_sums(nr, mean, e, q);
}

// The finished moments of a group.
SELU_HD void finish(const Partial& p, int correction, double* mean, double* variance) {
  *mean = p.mean + p.mean_lo;
  *variance = p.m2 / (p.count - correction);
}

// The plan of a moments call, from its shape only.
struct MomentsPlan {
  size_t groups;          // 1, rows (axis 1) or cols (axis 0)
  size_t count;           // values per group
  bool columns;           // axis 0
  // contiguous groups: tiles per group, group stride in elements; columns: row blocks
  size_t partials_per_group;
  size_t group_stride;
};

SELU_HD MomentsPlan moments_plan(size_t rows, size_t cols, int axis) {
  MomentsPlan p{};
  if (axis == 0) {
    p.groups = cols;
    p.count = rows;
    p.columns = true;
    p.partials_per_group = (rows + kColumnRows - 1) / kColumnRows;
    p.group_stride = 1;
  } else {
    const bool whole = axis != 1;
    p.groups = whole ? 1 : rows;
    p.count = whole ? rows * cols : cols;
    p.columns = false;
    p.partials_per_group = (p.count + kTileValues - 1) / kTileValues;
    p.group_stride = p.count;
  }
  return p;
}

// Whether the tile kernel may read 16-byte vectors: every group starts 16-byte aligned (x itself is a
// whole allocation, 256-byte aligned).
template <typename S>
SELU_HD bool moments_vector_path(const MomentsPlan& plan) {
  return plan.groups == 1 || (plan.group_stride * sizeof(S)) % 16 == 0;
}

// Where partial `p` of group `g` lives in the partials array: contiguous groups store [g][p], columns
// [p][g] (so that a row block's threads write consecutive entries).
SELU_HD size_t partial_index(const MomentsPlan& plan, size_t g, size_t p) {
  return plan.columns ? p * plan.groups + g : g * plan.partials_per_group + p;
}

SELU_HD PartialLayout first_layout(const MomentsPlan& plan) {
  return {plan.groups, plan.partials_per_group, plan.columns};
}

// All partials of all levels: the workspace a moments call needs, in partials.
SELU_HD size_t moments_workspace_partials(const MomentsPlan& plan) {
  size_t total = plan.groups * plan.partials_per_group;
  for (size_t P = plan.partials_per_group; P > kMergeChunk;) {
    P = next_level(P);
    total += plan.groups * P;
  }
  return total;
}

}  // namespace selu_cuda
