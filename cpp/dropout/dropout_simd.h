// The alpha-dropout kernels for one SIMD instruction set, written once over an ISA trait Isa. Included
// by dropout_avx2.cc and dropout_avx512.cc after they define their trait, so that each instantiation
// is compiled with its own ISA's flags; everything here is in an unnamed namespace so that the linker
// never merges code built for one ISA into another's (or the emulated AVX-512 build into the native).
//
// The stream is generated one group (kSets register sets of B = Philox::kBlocks blocks: 4·B·kSets
// elements) at a time by philox4x32_simd.h, the rounds of the next group interleaved with the work on the current one; the
// few elements before the vector loop take their words from the scalar philox::stream_words, so every
// element sees the same word whatever the split. Values are computed one piece (the 32-bit lanes of a
// register) at a time with the same instructions in full and masked pieces (masked-out lanes are
// neither read nor written). The fused kernels apply SELU with the ISA's SELU maths (selu_math_*.h),
// so they equal the unfused sequence bit for bit. The per-piece lambdas capture by value: captured by
// reference, the broadcast constants were reloaded through the closure after every store (a float
// store may alias them).
//
// The trait Isa provides:
//   Philox                     the Philox trait (philox4x32_avx2.h / philox4x32_avx512.h); its V holds
//                              the words of one piece and its Keep is a piece's keep mask
//   Vec<T>                     one piece of T in registers: load(p, count), store(p, count, stream),
//                              broadcast, fma, mul, select(keep, kept, other), keep_or_zero(keep, kept),
//                              Selu, selu(x, k), selu_grad(g, x, k)
//   keep_all()                 the keep mask that keeps every lane
//   load_words(p)              a piece's words from memory (unaligned)
//   store_words(p, words)      a piece's words to memory (p aligned to the register width)
//   store_keep_bytes(out, words, threshold)
//                              the 0/1 bytes of 4 pieces' keep masks (words[0 .. 4)) to out[0 .. 4·kPiece)
//   kInterleaveFused           whether the fused (SELU) kernels interleave the next group's rounds
//                              with the current group's pieces (group_and_next); the others always do
#pragma once

#include <stdint.h>
#include <string.h>

#include <algorithm>

#include "../random/philox4x32.h"
#include "dropout_kernels.h"

namespace selu {
namespace {

template <typename Isa>
struct DropoutSimd {
  using P = typename Isa::Philox;
  using Words = typename P::V;
  using Keep = typename P::Keep;
  using Keys = philox::RoundKeysSimd<P>;
  template <typename T>
  using Vec = typename Isa::template Vec<T>;

  static constexpr size_t kPiece = 2 * P::kBlocks;  // elements per keep mask: the 32-bit lanes of a register
  static constexpr size_t kAlign = 4 * kPiece;      // bytes per register, the alignment streaming stores need
  static constexpr int kSets = 4;                   // register sets of Philox blocks generated together
  static constexpr size_t kGroup = 4 * P::kBlocks * kSets;  // elements per Philox group
  static constexpr size_t kPieces = kGroup / kPiece;        // pieces per group

  // Elements handled before the vector loop (with scalar-generated words): without streaming, those
  // before the first block boundary, so that every group lines up with its elements; with streaming,
  // those before the first register-aligned output (typed arrays are element-aligned), so that every
  // full piece can be streamed, whatever the stream phase there.
  template <typename T>
  static size_t head_length(const T* out, uint64_t first, bool stream) {
    if (!stream) return static_cast<size_t>((4 - (first & 3)) & 3);
    const uintptr_t addr = reinterpret_cast<uintptr_t>(out);
    return ((kAlign - addr % kAlign) % kAlign) / sizeof(T);
  }

  // The pieces of the whole group at i (words_of(j): the words of piece j) and the words of the group
  // that starts at block next_block, which go to next_words. (For the last group the next words may go
  // unused: cheaper than a test per round.) With kInterleave every round of the next group is
  // interleaved with the pieces: the rounds are one long dependency chain per set, the pieces
  // independent work that fills the gaps. That needs the Philox state (4·kSets registers) live beside
  // the piece's own: fine for dropout's few operations per piece, but with AVX2's 16 registers the
  // fused SELU pieces spill, and generating the next group first, then the pieces, measured 6-10%
  // faster for the fused kernels there (AMD EPYC AVX2; with AVX-512's 32 registers they interleave).
  template <bool kStream, bool kInterleave, typename KeepOf, typename WordsOf, typename Op>
  static inline void group_and_next(size_t i, uint64_t next_block, const Keys& keys, const KeepOf& keep_of,
                                    const WordsOf& words_of, const Op& op, Words* next_words) {
    if constexpr (!kInterleave) {
      Keep keep[kPieces];  // the current words, read before next_words (which may be where they are) is written
      for (size_t j = 0; j < kPieces; ++j) keep[j] = keep_of(words_of(j));
      philox::philox_words_simd<P, kSets>(next_block, keys, next_words);
#pragma GCC unroll 16
      for (size_t j = 0; j < kPieces; ++j) op(i + j * kPiece, keep[j], kPiece, kStream);
      return;
    }
    philox::PhiloxSimd<P, kSets> next;
    next.start(next_block, keys);
#pragma GCC unroll 16
    for (size_t j = 0; j < kPieces; ++j) {
      if (1 + j < philox::kRounds) next.round(static_cast<int>(1 + j), keys);
      op(i + j * kPiece, keep_of(words_of(j)), kPiece, kStream);
    }
#pragma GCC unroll 16
    for (int r = 1 + static_cast<int>(kPieces); r < philox::kRounds; ++r) next.round(r, keys);
    next.finish(next_words);
  }

  // Calls op(i, keep, count, stream) for consecutive pieces [i, i + count) of [0, n), count ≤ kPiece,
  // where keep is the piece's keep mask. After the head, pieces start at head + kPiece·k. Full pieces
  // pass the constants kPiece and kStream, so that once op is inlined its tail and streaming branches
  // fold away: the loop over whole groups is straight-line code (group_and_next).
  template <bool kKeepAll, bool kStream, bool kInterleave, typename Op>
  static void for_each_piece(size_t n, uint64_t first, uint64_t seed, uint64_t threshold, size_t head, const Op& op) {
    const Words threshold_words = P::threshold_words(threshold);
    auto keep_of = [&](Words words) { return kKeepAll ? Isa::keep_all() : P::keep(words, threshold_words); };
    head = std::min(head, n);
    if (head > 0) {
      alignas(kAlign) uint32_t words[kPiece] = {};
      if (!kKeepAll) philox::stream_words(seed, first, head, words);
      op(0, keep_of(Isa::load_words(words)), head, kStream);
    }
    size_t i = head;
    if (kKeepAll) {
      for (; n - i >= kPiece; i += kPiece) op(i, Isa::keep_all(), kPiece, kStream);
      if (i < n) op(i, Isa::keep_all(), n - i, kStream);
    } else if (i < n) {
      const Keys keys = philox::round_keys_simd<P>(seed);
      const uint64_t g = first + i;
      const size_t phase = static_cast<size_t>(g & 3);
      uint64_t block = g >> 2;
      Words words[kPieces];
      if (phase == 0) {
        // Groups line up with the elements: the words come straight from the registers.
        philox::philox_words_simd<P, kSets>(block, keys, words);
        for (; n - i >= kGroup; i += kGroup) {
          block += kGroup / 4;
          group_and_next<kStream, kInterleave>(i, block, keys, keep_of, [&](size_t j) { return words[j]; }, op, words);
        }
        for (size_t j = 0; i + j * kPiece < n; ++j) {
          op(i + j * kPiece, keep_of(words[j]), std::min(kPiece, n - i - j * kPiece), kStream);
        }
      } else {
        // kGroup elements from a position `phase` into a block need kGroup / 4 + 1 blocks: their group
        // and the first block of the next. The buffer holds the words of both groups and is read at
        // `phase`; the group after them is generated while the current one is processed. (A sliding
        // window over a longer buffer, which saves the copy, measured slower.)
        alignas(kAlign) uint32_t buffer[2 * kGroup];
        auto store = [&](uint32_t* to) {
          for (size_t j = 0; j < kPieces; ++j) Isa::store_words(to + j * kPiece, words[j]);
        };
        auto words_at = [&](size_t j) { return Isa::load_words(buffer + phase + j * kPiece); };
        philox::philox_words_simd<P, kSets>(block, keys, words);
        store(buffer);
        if (phase + (n - i) > kGroup) {
          philox::philox_words_simd<P, kSets>(block + kGroup / 4, keys, words);
          store(buffer + kGroup);
        }
        for (; n - i >= kGroup; i += kGroup) {
          block += kGroup / 4;
          group_and_next<kStream, kInterleave>(i, block + kGroup / 4, keys, keep_of, words_at, op, words);
          memcpy(buffer, buffer + kGroup, sizeof(uint32_t) * kGroup);
          store(buffer + kGroup);
        }
        for (size_t j = 0; i + j * kPiece < n; ++j) {
          op(i + j * kPiece, keep_of(words_at(j)), std::min(kPiece, n - i - j * kPiece), kStream);
        }
      }
    }
    if (kStream) _mm_sfence();
  }

  // kInterleave: see group_and_next.
  template <bool kInterleave, typename T, typename Op>
  static void run(size_t n, uint64_t first, const DropoutConstants<T>& c, T* out, bool stream, const Op& op) {
    const size_t head = head_length(out, first, stream);
    const bool keep_all = c.threshold > 0xFFFFFFFFu;
    if (keep_all && stream) for_each_piece<true, true, kInterleave>(n, first, c.seed, c.threshold, head, op);
    else if (keep_all) for_each_piece<true, false, kInterleave>(n, first, c.seed, c.threshold, head, op);
    else if (stream) for_each_piece<false, true, kInterleave>(n, first, c.seed, c.threshold, head, op);
    else for_each_piece<false, false, kInterleave>(n, first, c.seed, c.threshold, head, op);
  }

  template <typename T>
  static void forward(const T* x, T* out, size_t n, uint64_t first, const DropoutConstants<T>& c, bool stream) {
    const Vec<T> a = Vec<T>::broadcast(c.a), b = Vec<T>::broadcast(c.b), dropped = Vec<T>::broadcast(c.dropped);
    run<true>(n, first, c, out, stream, [=](size_t i, Keep keep, size_t count, bool s) {
      const Vec<T> v = Vec<T>::load(x + i, count);
      Vec<T>::select(keep, Vec<T>::fma(a, v, b), dropped).store(out + i, count, s);
    });
  }

  template <typename T>
  static void backward(const T* grad, T* out, size_t n, uint64_t first, const DropoutConstants<T>& c, bool stream) {
    const Vec<T> a = Vec<T>::broadcast(c.a);
    run<true>(n, first, c, out, stream, [=](size_t i, Keep keep, size_t count, bool s) {
      const Vec<T> g = Vec<T>::load(grad + i, count);
      Vec<T>::keep_or_zero(keep, Vec<T>::mul(a, g)).store(out + i, count, s);
    });
  }

  static void mask(uint8_t* out, size_t n, uint64_t first, uint64_t seed, uint64_t threshold) {
    if (threshold > 0xFFFFFFFFu) {
      memset(out, 1, n);
      return;
    }
    auto scalar_part = [&](size_t begin, size_t count) {
      uint32_t words[kGroup];
      philox::stream_words(seed, first + begin, count, words);
      for (size_t j = 0; j < count; ++j) out[begin + j] = philox::keep(words[j], threshold) ? 1 : 0;
    };
    const size_t head = std::min(n, static_cast<size_t>((4 - (first & 3)) & 3));
    scalar_part(0, head);
    size_t i = head;
    if (n - i >= kGroup) {
      const Keys keys = philox::round_keys_simd<P>(seed);
      const Words threshold_words = P::threshold_words(threshold);
      for (; n - i >= kGroup; i += kGroup) {
        Words words[kPieces];
        philox::philox_words_simd<P, kSets>((first + i) >> 2, keys, words);
        for (size_t s = 0; s < kPieces / 4; ++s) {
          Isa::store_keep_bytes(out + i + 4 * kPiece * s, words + 4 * s, threshold_words);
        }
      }
    }
    scalar_part(i, n - i);
  }

  template <typename T>
  static void selu_forward(const T* x, T* out, size_t n, uint64_t first, const DropoutConstants<T>& c,
                           const SeluConstants<T>& s, bool stream) {
    const typename Vec<T>::Selu k(s);
    const Vec<T> a = Vec<T>::broadcast(c.a), b = Vec<T>::broadcast(c.b), dropped = Vec<T>::broadcast(c.dropped);
    run<Isa::kInterleaveFused>(n, first, c, out, stream, [=](size_t i, Keep keep, size_t count, bool st) {
      const Vec<T> y = Vec<T>::selu(Vec<T>::load(x + i, count), k);
      Vec<T>::select(keep, Vec<T>::fma(a, y, b), dropped).store(out + i, count, st);
    });
  }

  template <typename T>
  static void selu_backward(const T* grad, const T* x, T* out, size_t n, uint64_t first, const DropoutConstants<T>& c,
                            const SeluConstants<T>& s, bool stream) {
    const typename Vec<T>::Selu k(s);
    const Vec<T> a = Vec<T>::broadcast(c.a);
    run<Isa::kInterleaveFused>(n, first, c, out, stream, [=](size_t i, Keep keep, size_t count, bool st) {
      const Vec<T> t = Vec<T>::selu_grad(Vec<T>::load(grad + i, count), Vec<T>::load(x + i, count), k);
      Vec<T>::keep_or_zero(keep, Vec<T>::mul(a, t)).store(out + i, count, st);
    });
  }

  static constexpr DropoutKernelTable kTable = {
      forward<float>,      forward<double>,      backward<float>,      backward<double>,      mask,
      selu_forward<float>, selu_forward<double>, selu_backward<float>, selu_backward<double>,
  };
};

}  // namespace
}  // namespace selu
