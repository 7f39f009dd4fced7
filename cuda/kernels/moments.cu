// Mean/variance kernels: tiles (contiguous groups) or row blocks (columns) to partials, then merge
// levels (2048 partials → 1) while a group has more than 2048, then each group's last merge by one
// block or one thread. The arithmetic and the order are those of
// cuda/moments/moments_math.h; here are only the index computations and the warp/block mechanics of
// block_tree(): shuffles down by 16, 8, 4, 2, 1 within each warp, then by 4, 2, 1 over the warp results.
#include "../moments/moments_math.h"
#include "launch_common.cuh"

namespace selu_cuda {

namespace {

constexpr unsigned kFull = 0xffffffffu;
constexpr unsigned kWarps = kMomentsThreads / 32;

__device__ Partial shfl_down(const Partial& p, unsigned o) {
  return {__shfl_down_sync(kFull, p.count, o), __shfl_down_sync(kFull, p.mean, o),
          __shfl_down_sync(kFull, p.mean_lo, o), __shfl_down_sync(kFull, p.m2, o)};
}

// block_tree() over the block's threads for sums of (a, b); every thread gets the result.
__device__ Sums2 block_sums(Sums2 v) {
  __shared__ Sums2 warp_results[kWarps];
  __shared__ Sums2 result;
  const unsigned lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
#pragma unroll
  for (unsigned o = 16; o > 0; o /= 2) {
    const double e = __shfl_down_sync(kFull, v.e, o);
    const double q = __shfl_down_sync(kFull, v.q, o);
    v.e = v.e + e;
    v.q = v.q + q;
  }
  if (lane == 0) warp_results[warp] = v;
  __syncthreads();
  if (warp == 0) {
    Sums2 t = lane < kWarps ? warp_results[lane] : Sums2{0, 0};
#pragma unroll
    for (unsigned o = kWarps / 2; o > 0; o /= 2) {
      const double e = __shfl_down_sync(kFull, t.e, o);
      const double q = __shfl_down_sync(kFull, t.q, o);
      t.e = t.e + e;
      t.q = t.q + q;
    }
    if (lane == 0) result = t;
  }
  __syncthreads();
  return result;
}

// block_tree() of merge() over the block's threads; the result is valid in thread 0.
__device__ Partial block_merge(Partial v) {
  __shared__ Partial warp_results[kWarps];
  const unsigned lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
#pragma unroll
  for (unsigned o = 16; o > 0; o /= 2) v = merge(v, shfl_down(v, o));
  if (lane == 0) warp_results[warp] = v;
  __syncthreads();
  Partial t{0, 0, 0, 0};
  if (warp == 0) {
    t = lane < kWarps ? warp_results[lane] : Partial{0, 0, 0, 0};
#pragma unroll
    for (unsigned o = kWarps / 2; o > 0; o /= 2) t = merge(t, shfl_down(t, o));
  }
  return t;
}

template <typename S, bool kSelu>
__global__ void __launch_bounds__(kMomentsThreads)
tile_kernel(const S* x, S* out, MomentsPlan plan, bool vector_path, SeluK<typename Storage<S>::C> k, Partial* partials) {
  const size_t P = plan.partials_per_group;
  const size_t g = blockIdx.x / P, p = blockIdx.x % P;
  const size_t begin = g * plan.group_stride + p * kTileValues;
  const size_t left = plan.count - p * kTileValues;
  const size_t n_tile = left < kTileValues ? left : kTileValues;
  double vals[kValuesPerThread];
  bool valid[kValuesPerThread];
  tile_load<S, kSelu>(x + begin, kSelu ? out + begin : nullptr, n_tile, threadIdx.x, vector_path, k, vals, valid);
  const double total = block_sums(Sums2{thread_sum(vals), 0}).e;
  const double mean = total / static_cast<double>(n_tile);
  const Sums2 d = block_sums(thread_deviations(vals, valid, mean));
  if (threadIdx.x == 0) partials[partial_index(plan, g, p)] = partial_from_sums(static_cast<double>(n_tile), mean, d.e, d.q);
}

template <typename S, bool kSelu>
__global__ void __launch_bounds__(kMomentsThreads)
column_kernel(const S* x, S* out, MomentsPlan plan, size_t rows, size_t cols, size_t strips,
              SeluK<typename Storage<S>::C> k, Partial* partials) {
  const size_t rb = blockIdx.x / strips, strip = blockIdx.x % strips;
  const size_t c = strip * kMomentsThreads + threadIdx.x;
  if (c >= cols) return;
  const size_t r0 = rb * kColumnRows;
  const unsigned nr = static_cast<unsigned>(rows - r0 < kColumnRows ? rows - r0 : kColumnRows);
  partials[partial_index(plan, c, rb)] = column_partial<S, kSelu>(x, out, cols, r0, nr, c, k);
}

// One level: run `chunk` of group g (kMergeChunk partials of `in`) → out[g * P_out + chunk].
__global__ void __launch_bounds__(kMomentsThreads)
merge_level_kernel(const Partial* in, PartialLayout l, size_t chunks, Partial* out) {
  const size_t g = blockIdx.x / chunks, chunk = blockIdx.x % chunks;
  const size_t p0 = chunk * kMergeChunk + threadIdx.x * kMergePerThread;
  const size_t p1 = p0 + kMergePerThread < l.P ? p0 + kMergePerThread : l.P;
  const Partial r = merge_range(in + l.index(g, 0), l.stride(), p0 < l.P ? p0 : l.P, p1);
  const Partial total = block_merge(r);
  if (threadIdx.x == 0) out[g * chunks + chunk] = total;
}

// The last level, one thread per group.
__global__ void __launch_bounds__(kMomentsThreads)
merge_thread_kernel(const Partial* partials, PartialLayout l, int correction, double* result) {
  const size_t g = size_t{blockIdx.x} * kMomentsThreads + threadIdx.x;
  if (g >= l.groups) return;
  const Partial r = merge_range(partials + l.index(g, 0), l.stride(), 0, l.P);
  finish(r, correction, result + g, result + l.groups + g);
}

// The last level, one block per group.
__global__ void __launch_bounds__(kMomentsThreads)
merge_block_kernel(const Partial* partials, PartialLayout l, int correction, double* result) {
  const size_t g = blockIdx.x;
  const Partial r = merge_range(partials + l.index(g, 0), l.stride(), merge_split(l.P, threadIdx.x),
                                merge_split(l.P, threadIdx.x + 1));
  const Partial total = block_merge(r);
  if (threadIdx.x == 0) finish(total, correction, result + g, result + l.groups + g);
}

template <typename S, bool kSelu>
cudaError_t launch_typed(const void* xv, void* outv, size_t rows, size_t cols, int axis, int correction,
                         const selu::SeluParams* s, void* workspace, double* result, cudaStream_t stream) {
  using C = typename Storage<S>::C;
  const S* x = static_cast<const S*>(xv);
  S* out = static_cast<S*>(outv);
  const MomentsPlan plan = moments_plan(rows, cols, axis);
  const SeluK<C> k = s != nullptr ? selu_k<C>(*s) : SeluK<C>{};
  Partial* partials = static_cast<Partial*>(workspace);
  if (plan.columns) {
    const size_t strips = (cols + kMomentsThreads - 1) / kMomentsThreads;
    const size_t blocks = strips * plan.partials_per_group;
    if (blocks > 0x7fffffffu) return cudaErrorInvalidConfiguration;
    SELU_LAUNCH(static_cast<unsigned>(blocks), kMomentsThreads, 0, stream, column_kernel<S, kSelu>)(x, out, plan, rows, cols,
                                                                                          strips, k, partials);
  } else {
    const size_t blocks = plan.groups * plan.partials_per_group;
    if (blocks > 0x7fffffffu) return cudaErrorInvalidConfiguration;
    const bool vector_path = moments_vector_path<S>(plan);
    SELU_LAUNCH(static_cast<unsigned>(blocks), kMomentsThreads, 0, stream, tile_kernel<S, kSelu>)(x, out, plan, vector_path, k,
                                                                                        partials);
  }
  cudaError_t err = cudaGetLastError();
  if (err != cudaSuccess) return err;
  PartialLayout l = first_layout(plan);
  Partial* level_out = partials + plan.groups * plan.partials_per_group;
  while (l.P > kMergeChunk) {
    const size_t chunks = next_level(l.P);
    if (plan.groups * chunks > 0x7fffffffu) return cudaErrorInvalidConfiguration;
    SELU_LAUNCH(static_cast<unsigned>(plan.groups * chunks), kMomentsThreads, 0, stream, merge_level_kernel)(partials, l, chunks,
                                                                                                 level_out);
    if ((err = cudaGetLastError()) != cudaSuccess) return err;
    partials = level_out;
    level_out += plan.groups * chunks;
    l = PartialLayout{plan.groups, chunks, false};
  }
  if (block_merge_last(l)) {
    if (l.groups > 0x7fffffffu) return cudaErrorInvalidConfiguration;
    SELU_LAUNCH(static_cast<unsigned>(l.groups), kMomentsThreads, 0, stream, merge_block_kernel)(partials, l, correction, result);
  } else {
    const size_t blocks = (l.groups + kMomentsThreads - 1) / kMomentsThreads;
    SELU_LAUNCH(static_cast<unsigned>(blocks), kMomentsThreads, 0, stream, merge_thread_kernel)(partials, l, correction, result);
  }
  return cudaGetLastError();
}

}  // namespace

size_t moments_groups(size_t rows, size_t cols, int axis) { return moments_plan(rows, cols, axis).groups; }

size_t moments_workspace_bytes(size_t rows, size_t cols, int axis) {
  return moments_workspace_partials(moments_plan(rows, cols, axis)) * sizeof(Partial);
}

cudaError_t launch_moments(Dtype dtype, const void* x, void* out, size_t rows, size_t cols, int axis, int correction,
                           const selu::SeluParams* selu, void* workspace, double* result, cudaStream_t stream) {
  if (rows == 0 || cols == 0) return cudaErrorInvalidValue;
  return dispatch_dtype(dtype, [&](auto tag) {
    using S = decltype(tag);
    if (selu != nullptr) return launch_typed<S, true>(x, out, rows, cols, axis, correction, selu, workspace, result, stream);
    return launch_typed<S, false>(x, out, rows, cols, axis, correction, nullptr, workspace, result, stream);
  });
}

}  // namespace selu_cuda
