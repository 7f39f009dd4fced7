// Alpha-dropout for one element and the keep words of a vector of elements, for the CUDA kernels (and
// the host tests). The random stream and the keep rule are those of cpp/random/philox4x32.h, included
// here, never copied: a CUDA mask is the CPU mask bit for bit (docs/ALPHA-DROPOUT.md).
#pragma once

#include "../../cpp/random/philox4x32.h"
#include "../common/hd.h"

namespace selu_cuda {

using selu::philox::Block;

// What an alpha-dropout kernel needs, in the compute type C (a and b rounded to C once); the dropped
// value is kept by the op in the storage type, rounded once from the double a·α' + b.
template <typename C>
struct DropoutK {
  C a;
  C b;
  uint64_t threshold;  // keep iff word < threshold (selu::philox::keep_threshold(rate))
  uint64_t seed;
  uint64_t offset;     // stream index of element 0
};

SELU_HD uint32_t word_of(const Block& b, unsigned i) {
  // Selects instead of b.w[i]: a run-time index into a register array would go through local memory.
  return i == 0 ? b.w[0] : i == 1 ? b.w[1] : i == 2 ? b.w[2] : b.w[3];
}

// The stream words of the V elements at global indices g0 .. g0 + V − 1. kAligned promises
// g0 % 4 == 0 whenever V is a multiple of 4 (the call's offset is a multiple of 4): then each Philox
// block serves four consecutive elements and none is computed twice.
template <int V, bool kAligned>
SELU_HD void stream_words(uint64_t seed, uint64_t g0, uint32_t (&w)[V]) {
  if (kAligned && V % 4 == 0) {
SELU_UNROLL
    for (int c = 0; c < (V + 3) / 4; ++c) {
      const Block blk = selu::philox::stream_block(seed, (g0 >> 2) + c);
SELU_UNROLL
      for (int j = 0; j < 4 && 4 * c + j < V; ++j) w[4 * c + j] = blk.w[j];
    }
    return;
  }
  // General phase s = g0 mod 4: element j sits in block (s + j) / 4 of those from g0 / 4 on.
  const unsigned s = static_cast<unsigned>(g0 & 3);
  const uint64_t b0 = g0 >> 2;
  constexpr int kBlocks = (V + 3) / 4 + 1;
  Block blk[kBlocks];
SELU_UNROLL
  for (int c = 0; c < kBlocks; ++c) {
    // Block c is needed when some element reaches it: s + V − 1 ≥ 4c.
    if (c == 0 || s + V > 4u * c) blk[c] = selu::philox::stream_block(seed, b0 + c);
    else blk[c] = blk[0];
  }
SELU_UNROLL
  for (int j = 0; j < V; ++j) {
    const unsigned pos = s + static_cast<unsigned>(j & 3);  // position from block j / 4, in [0, 7)
    const uint32_t lo = word_of(blk[j / 4], pos & 3);
    const uint32_t hi = word_of(blk[j / 4 + 1], pos & 3);
    w[j] = pos < 4 ? lo : hi;
  }
}

template <typename C>
SELU_HD bool kept(const DropoutK<C>& k, uint32_t word) {
  return selu::philox::keep(word, k.threshold);
}

}  // namespace selu_cuda
