// How element-wise kernels are split over the thread pool and when they stream their output.
#pragma once

#include <cstddef>

namespace selu {

// Below this many elements a call runs on the calling thread: waking workers costs more than it saves.
constexpr size_t kMinParallelElements = 1 << 16;

// Element count of one chunk for n elements on the current pool: a few chunks per thread for
// balance, a multiple of 1024 elements so chunk starts keep the buffer's alignment. Returns n (one
// chunk, no pool) for small n.
size_t elementwise_chunk(size_t n);

// True when an output of this many bytes should bypass the cache (REFERENCE.md §7: ordinary stores
// to an out-of-cache destination also read it, costing a third more traffic).
bool should_stream(size_t output_bytes);

}  // namespace selu
