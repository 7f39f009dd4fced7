// The alpha-dropout random stream: Philox4x32-10 and the keep rule (docs/ALPHA-DROPOUT.md, "The dropout
// random stream"). This header is the single source of truth for both; it compiles as plain C++ and
// under nvcc (every function is __host__ __device__ there), so CPU and CUDA masks cannot drift apart.
// The SIMD kernels vectorise exactly these rounds and are tested bit for bit against them.
//
// For a call with seed s and offset o, element i has the global index g = o + i (64-bit, < 2^64):
//   counter = (low32(g >> 2), high32(g >> 2), 0, 0), key = (low32(s), high32(s)),
//   r = word (g & 3) of philox4x32_10(counter, key),
//   kept iff r < T with T = floor((1 − rate) · 2^32) computed in double, compared as 64-bit integers
//   (so rate 0 gives T = 2^32 and keeps every element).
// One Philox block therefore serves the 4 consecutive elements 4b .. 4b+3.
#pragma once

#include <stddef.h>
#include <stdint.h>

#if defined(__CUDACC__)
#define SELU_PHILOX_HD __host__ __device__ __forceinline__
#else
#define SELU_PHILOX_HD inline
#endif

namespace selu {
namespace philox {

// Salmon et al. (SC'11) / Random123 constants.
constexpr uint32_t kMul0 = 0xD2511F53u;   // multiplies counter word 0
constexpr uint32_t kMul1 = 0xCD9E8D57u;   // multiplies counter word 2
constexpr uint32_t kWeyl0 = 0x9E3779B9u;  // key word 0 increment per round (golden ratio)
constexpr uint32_t kWeyl1 = 0xBB67AE85u;  // key word 1 increment per round (sqrt(3) - 1)
constexpr int kRounds = 10;

struct Block {
  uint32_t w[4];
};

// The 32x32 -> 64-bit product of a and b, split into its high and low words.
SELU_PHILOX_HD void mulhilo(uint32_t a, uint32_t b, uint32_t* hi, uint32_t* lo) {
  const uint64_t p = static_cast<uint64_t>(a) * static_cast<uint64_t>(b);
  *hi = static_cast<uint32_t>(p >> 32);
  *lo = static_cast<uint32_t>(p);
}

// Philox4x32 with 10 rounds on counter (c0, c1, c2, c3) and key (k0, k1), as in Random123's
// philox4x32_R(10, ...): each round is one S-box step followed by a key bump (the bump after the last
// round is never used).
SELU_PHILOX_HD Block philox4x32_10(uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3, uint32_t k0, uint32_t k1) {
  for (int round = 0; round < kRounds; ++round) {
    uint32_t hi0, lo0, hi1, lo1;
    mulhilo(kMul0, c0, &hi0, &lo0);
    mulhilo(kMul1, c2, &hi1, &lo1);
    const uint32_t n0 = hi1 ^ c1 ^ k0;
    const uint32_t n2 = hi0 ^ c3 ^ k1;
    c0 = n0;
    c1 = lo1;
    c2 = n2;
    c3 = lo0;
    k0 += kWeyl0;
    k1 += kWeyl1;
  }
  return Block{{c0, c1, c2, c3}};
}

// The block that holds the words of global elements 4b .. 4b+3.
SELU_PHILOX_HD Block stream_block(uint64_t seed, uint64_t block_index) {
  return philox4x32_10(static_cast<uint32_t>(block_index), static_cast<uint32_t>(block_index >> 32), 0u, 0u,
                       static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32));
}

// r for global element g.
SELU_PHILOX_HD uint32_t stream_word(uint64_t seed, uint64_t g) { return stream_block(seed, g >> 2).w[g & 3]; }

// r for global elements first .. first + count − 1, written to words[0 .. count): each block once.
SELU_PHILOX_HD void stream_words(uint64_t seed, uint64_t first, size_t count, uint32_t* words) {
  size_t i = 0;
  while (i < count) {
    const uint64_t g = first + i;
    const Block block = stream_block(seed, g >> 2);
    for (unsigned w = static_cast<unsigned>(g & 3); w < 4 && i < count; ++w, ++i) words[i] = block.w[w];
  }
}

// T = floor((1 − rate) · 2^32), computed in double, for 0 ≤ rate < 1 (validated by the caller).
// Multiplying by 2^32 is exact, so T is floor of the double q = 1 − rate scaled; it is 2^32 for rate 0.
SELU_PHILOX_HD uint64_t keep_threshold(double rate) {
  const double q = 1.0 - rate;
  return static_cast<uint64_t>(q * 4294967296.0);  // truncation = floor for q ≥ 0
}

// The keep rule, compared as a 64-bit integer so that T = 2^32 keeps every word.
SELU_PHILOX_HD bool keep(uint32_t r, uint64_t threshold) { return static_cast<uint64_t>(r) < threshold; }

// The key schedule: round keys depend on the seed only, so SIMD kernels compute them once per call.
struct RoundKeys {
  uint32_t k0[kRounds];
  uint32_t k1[kRounds];
};

SELU_PHILOX_HD RoundKeys round_keys(uint64_t seed) {
  RoundKeys keys;
  uint32_t k0 = static_cast<uint32_t>(seed);
  uint32_t k1 = static_cast<uint32_t>(seed >> 32);
  for (int round = 0; round < kRounds; ++round) {
    keys.k0[round] = k0;
    keys.k1[round] = k1;
    k0 += kWeyl0;
    k1 += kWeyl1;
  }
  return keys;
}

}  // namespace philox
}  // namespace selu

#undef SELU_PHILOX_HD
