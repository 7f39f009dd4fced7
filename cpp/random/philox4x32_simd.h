// Philox4x32-10 on SIMD registers: the rounds of philox4x32.h on Isa::kBlocks·kSets blocks at once,
// bit-identical to the scalar definition, for any ISA trait Isa (philox4x32_avx2.h,
// philox4x32_avx512.h, which include this header; include those, from code compiled for that ISA).
//
// Layout: one block per 64-bit lane, counter word j of a register's blocks in one register (in the low
// half of each lane). The 32 x 32 → 64-bit multiply (mul_epu32) multiplies the low halves and returns
// the whole product, so a product is at once the next round's lo word (in the low half, where the next
// multiply reads it) and holds the hi word (one shift down). The high halves of the state carry junk
// that no multiply reads and the final transpose drops. Per round and register: 2 multiplies, 2 shifts
// and 4 XORs (2 ternary-logic ops on AVX-512); the packed layout (two blocks per 64-bit lane) needs
// more, as it must split each multiplicand into even and odd lanes and blend the products back. It
// needs twice the registers per block in flight, though: the kernels hide the rounds' latency by
// interleaving them with their own work (PhiloxSimd's steps) rather than with more sets. The lanes of
// a set hold its blocks in the order Isa::set_blocks gives, which makes the final in-lane transpose
// come out in element order (no cross-lane permutes).
//
// The trait provides: V (an integer register), kBlocks (64-bit lanes per register), set1_32, set1_64,
// set_blocks(s) (the block offsets of set s's lanes), add64, mul_lo32 (mul_epu32), high32 (64-bit
// lanes shifted right by 32), pair_low_words(lo, hi) (each lane's low word of lo, then of hi), xor2,
// xor3, zero, unpacklo64 and unpackhi64.
#pragma once

#include <stdint.h>

#include "philox4x32.h"

namespace selu {
namespace philox {

template <typename Isa>
struct RoundKeysSimd {
  typename Isa::V k0[kRounds];
  typename Isa::V k1[kRounds];
};

template <typename Isa>
inline RoundKeysSimd<Isa> round_keys_simd(uint64_t seed) {
  const RoundKeys keys = round_keys(seed);
  RoundKeysSimd<Isa> v;
  for (int r = 0; r < kRounds; ++r) {
    v.k0[r] = Isa::set1_32(keys.k0[r]);
    v.k1[r] = Isa::set1_32(keys.k1[r]);
  }
  return v;
}

// The generator in steps, so that a kernel can interleave the rounds of the next group's words with
// its own work on the current group (their instruction streams are independent): start, then
// round(1) .. round(kRounds − 1), then finish. Together they give the words of global elements
// 4b .. 4b + 4·B·kSets − 1 (blocks b .. b + B·kSets − 1, B = Isa::kBlocks) in element order: words[j]
// holds elements 4b + 2B·j .. 4b + 2B·j + 2B − 1. Block indices are 64-bit lanes, so b may pass
// 2^62 − 1 (the last block of the stream) by a few groups without overflow: kernels that generate a
// group ahead do, and never use those words. The kSets independent sets of B blocks go through each
// round together: one set alone is bound by the latency of a round (multiply, shift, XOR).
template <typename Isa, int kSets>
struct PhiloxSimd {
  using V = typename Isa::V;
  V x0[kSets], x1[kSets], x2[kSets], x3[kSets];

  // Round 1 (r = 0): counter words 2 and 3 are 0, so the second product is 0.
  inline void start(uint64_t b, const RoundKeysSimd<Isa>& keys) {
    const V mul0 = Isa::set1_64(kMul0);  // in the low half, the only one multiplies read
    const V base = Isa::set1_64(b);
    for (int s = 0; s < kSets; ++s) {
      // Counter words 0 and 1 are the low and high halves of the lane's 64-bit block index.
      const V c = Isa::add64(base, Isa::set_blocks(s));
      const V p0 = Isa::mul_lo32(c, mul0);
      x0[s] = Isa::xor2(Isa::high32(c), keys.k0[0]);
      x1[s] = Isa::zero();
      x2[s] = Isa::xor2(Isa::high32(p0), keys.k1[0]);
      x3[s] = p0;
    }
  }

  // Round r + 1, for 1 ≤ r < kRounds.
  inline void round(int r, const RoundKeysSimd<Isa>& keys) {
    const V mul0 = Isa::set1_64(kMul0);
    const V mul1 = Isa::set1_64(kMul1);
    for (int s = 0; s < kSets; ++s) {
      const V p0 = Isa::mul_lo32(x0[s], mul0);
      const V p1 = Isa::mul_lo32(x2[s], mul1);
      // x1 ^ key is ready a round early: only one XOR follows the multiply and the shift.
      x0[s] = Isa::xor3(Isa::high32(p1), x1[s], keys.k0[r]);
      x1[s] = p1;
      x2[s] = Isa::xor3(Isa::high32(p0), x3[s], keys.k1[r]);
      x3[s] = p0;
    }
  }

  inline void finish(V* words) const {
    for (int s = 0; s < kSets; ++s) {
      // Each lane's low words, paired: (w0, w1) and (w2, w3) per 64-bit lane; each 128-bit lane then
      // holds two blocks, which the unpacks interleave into element order.
      const V w01 = Isa::pair_low_words(x0[s], x1[s]);
      const V w23 = Isa::pair_low_words(x2[s], x3[s]);
      words[2 * s + 0] = Isa::unpacklo64(w01, w23);
      words[2 * s + 1] = Isa::unpackhi64(w01, w23);
    }
  }
};

// All steps at once: the words of blocks b .. b + Isa::kBlocks·kSets − 1 into words[0 .. 2·kSets).
template <typename Isa, int kSets>
inline void philox_words_simd(uint64_t b, const RoundKeysSimd<Isa>& keys, typename Isa::V* words) {
  PhiloxSimd<Isa, kSets> gen;
  gen.start(b, keys);
#pragma GCC unroll 16
  for (int r = 1; r < kRounds; ++r) gen.round(r, keys);
  gen.finish(words);
}

}  // namespace philox
}  // namespace selu
