// When a call is split over the thread pool, in what chunks, and when it streams its output.
//
// Splitting is decided by time, not bytes: each op family states what one element costs its kernel
// on one thread, and a call goes to the pool only when its single-thread time is long enough that
// handing half of it to a worker saves more than the hand-off costs. The chunk boundaries only
// change which thread computes an element, never its value: every kernel is lane-wise or reduces in
// a tree fixed by the shape alone, so results are bit-identical for every thread count.
#pragma once

#include <cstddef>

namespace selu {

// Single-thread cost of one float32 element, in picoseconds, of each kernel family (AVX2, data in
// L2; measured with bench/native/split/op_costs.js on a 2-core AMD EPYC VM, rounded; the mask's
// includes allocating the returned array). float64 elements cost
// about twice as much (half the lanes per vector): see cost_of. Only the magnitude matters here: a
// factor of 1.5 either way moves the split point by the same factor, where the curves are flat.
struct OpCost {
  size_t picoseconds_per_element;
};
namespace op_cost {
constexpr OpCost kSelu{550};
constexpr OpCost kSeluBackward{1400};
constexpr OpCost kAlphaDropout{900};
constexpr OpCost kSeluAlphaDropout{1800};
constexpr OpCost kDropoutMask{1000};
constexpr OpCost kMoments{250};
constexpr OpCost kSeluMoments{900};
}  // namespace op_cost

// The family's cost for elements of `element_bytes` (4: float32, 8: float64).
constexpr OpCost cost_of(OpCost float32_cost, size_t element_bytes) {
  return {element_bytes >= 8 ? 2 * float32_cost.picoseconds_per_element : float32_cost.picoseconds_per_element};
}

// A call is split only when one thread would need at least this long: a worker that spins picks a
// job up within a microsecond, but the first call after a pause wakes a sleeping one (a system call
// and tens of microseconds), and the dynamic chunking must absorb that without losing time.
constexpr size_t kMinParallelPicoseconds = size_t{20} * 1000 * 1000;  // 20 µs
// No chunk is shorter than this: fewer hand-offs, and a late worker delays the end by at most this.
constexpr size_t kMinChunkPicoseconds = size_t{5} * 1000 * 1000;  // 5 µs

// True when n elements at `cost` are worth spreading over the pool (false with one thread).
bool worth_splitting(size_t n, OpCost cost);

// Element count of one chunk for n elements on the current pool: a few chunks per thread for
// balance, no chunk under kMinChunkPicoseconds of work, a multiple of 1024 elements so chunk starts
// keep the buffer's alignment. Returns n (one chunk: the call runs on the calling thread) when
// splitting is not worth it.
size_t elementwise_chunk(size_t n, OpCost cost);

// True when an output of this many bytes should bypass the cache (non-temporal stores: ordinary
// stores to an out-of-cache destination also read it, costing a third more memory traffic).
bool should_stream(size_t output_bytes);

}  // namespace selu
