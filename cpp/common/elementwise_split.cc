#include "elementwise_split.h"

#include "thread_pool.h"

namespace selu {

namespace {
constexpr size_t kChunkQuantum = 1024;
// Larger than the L2 caches of current x86 cores and a fair share of a shared L3: such an output is
// evicted before anyone reads it again.
constexpr size_t kStreamingThresholdBytes = size_t{8} << 20;
}  // namespace

size_t elementwise_chunk(size_t n) {
  if (n < kMinParallelElements) return n;
  const int threads = ThreadPool::instance().threads();
  if (threads <= 1) return n;
  const size_t pieces = static_cast<size_t>(threads) * 4;
  size_t chunk = (n + pieces - 1) / pieces;
  chunk = (chunk + kChunkQuantum - 1) / kChunkQuantum * kChunkQuantum;
  if (chunk < kMinParallelElements / 4) chunk = kMinParallelElements / 4;
  return chunk;
}

bool should_stream(size_t output_bytes) { return output_bytes >= kStreamingThresholdBytes; }

}  // namespace selu
