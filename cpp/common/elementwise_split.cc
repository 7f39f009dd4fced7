#include "elementwise_split.h"

#include "thread_pool.h"

namespace selu {

namespace {
constexpr size_t kChunkQuantum = 1024;
// Larger than the L2 caches of current x86 cores and a fair share of a shared L3: such an output is
// evicted before anyone reads it again.
constexpr size_t kStreamingThresholdBytes = size_t{8} << 20;

size_t round_up(size_t v, size_t q) { return (v + q - 1) / q * q; }
}  // namespace

bool worth_splitting(size_t n, OpCost cost) {
  if (ThreadPool::instance().threads() <= 1) return false;
  // n·cost ≥ threshold, without overflowing for n near 2^64 / cost.
  return n >= kMinParallelPicoseconds / cost.picoseconds_per_element;
}

size_t elementwise_chunk(size_t n, OpCost cost) {
  if (!worth_splitting(n, cost)) return n;
  const size_t pieces = static_cast<size_t>(ThreadPool::instance().threads()) * 4;
  const size_t min_chunk = round_up(kMinChunkPicoseconds / cost.picoseconds_per_element, kChunkQuantum);
  const size_t chunk = round_up((n + pieces - 1) / pieces, kChunkQuantum);
  return chunk < min_chunk ? min_chunk : chunk;
}

bool should_stream(size_t output_bytes) { return output_bytes >= kStreamingThresholdBytes; }

}  // namespace selu
