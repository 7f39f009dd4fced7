// Alpha-dropout kernels for AVX2 + FMA (compiled with -mavx2 -mfma only; called after the CPU check).
//
// The stream is generated 64 elements (16 Philox blocks) at a time by philox4x32_avx2.h, the rounds
// of the next group interleaved with the work on the current one; the few elements before the vector
// loop take their words from the scalar philox::stream_words, so every element sees the same word
// whatever the split. Values are computed 8 elements at a time with the same instructions in full and
// masked pieces (masked-out lanes are neither read nor written). The fused kernels apply SELU with
// selu_math_avx2.h, the maths of the AVX2 SELU kernels, so they equal the unfused sequence bit for
// bit. The per-piece lambdas capture by value: captured by reference, the broadcast constants were
// reloaded through the closure after every store (a float store may alias them).
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#include <algorithm>

#include "../random/philox4x32_avx2.h"
#include "../selu/selu_math_avx2.h"
#include "dropout_kernels.h"

namespace selu {
namespace {

constexpr size_t kPiece = 8;   // elements per keep-mask vector
constexpr int kSets = 4;       // sets of 4 Philox blocks generated together
constexpr size_t kGroup = 16 * kSets;  // elements per Philox group

// Lanes [0, count) of an 8 x 32-bit mask, and its two halves widened to 4 x 64 bits.
inline __m256i first_lanes(size_t count) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(count)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
inline __m256i widen_lo(__m256i m) { return _mm256_cvtepi32_epi64(_mm256_castsi256_si128(m)); }
inline __m256i widen_hi(__m256i m) { return _mm256_cvtepi32_epi64(_mm256_extracti128_si256(m, 1)); }

// 8 consecutive elements of T in registers. `count` < 8 loads or stores lanes [0, count) only.
template <typename T>
struct V8;

template <>
struct V8<float> {
  __m256 v;
  static V8 load(const float* p, size_t count) {
    return {count == kPiece ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, first_lanes(count))};
  }
  void store(float* p, size_t count, bool stream) const {
    if (count != kPiece) _mm256_maskstore_ps(p, first_lanes(count), v);
    else if (stream) _mm256_stream_ps(p, v);
    else _mm256_storeu_ps(p, v);
  }
  static V8 broadcast(float s) { return {_mm256_set1_ps(s)}; }
  static V8 fma(const V8& a, const V8& x, const V8& b) { return {_mm256_fmadd_ps(a.v, x.v, b.v)}; }
  static V8 mul(const V8& a, const V8& b) { return {_mm256_mul_ps(a.v, b.v)}; }
  // keep ? kept : other, lane by lane (keep is an 8 x 32-bit all-ones/zeros mask).
  static V8 select(__m256i keep, const V8& kept, const V8& other) {
    return {_mm256_blendv_ps(other.v, kept.v, _mm256_castsi256_ps(keep))};
  }
  static V8 keep_or_zero(__m256i keep, const V8& kept) { return {_mm256_and_ps(_mm256_castsi256_ps(keep), kept.v)}; }
  using Selu = avx2::SeluF32;
  static V8 selu(const V8& x, const Selu& k) { return {avx2::selu_f32(x.v, k)}; }
  static V8 selu_grad(const V8& g, const V8& x, const Selu& k) { return {avx2::selu_grad_f32(g.v, x.v, k)}; }
};

template <>
struct V8<double> {
  __m256d lo, hi;
  static V8 load(const double* p, size_t count) {
    if (count == kPiece) return {_mm256_loadu_pd(p), _mm256_loadu_pd(p + 4)};
    const __m256i lanes = first_lanes(count);
    V8 r{_mm256_maskload_pd(p, widen_lo(lanes)), _mm256_setzero_pd()};
    if (count > 4) r.hi = _mm256_maskload_pd(p + 4, widen_hi(lanes));  // p + 4 only formed when in bounds
    return r;
  }
  void store(double* p, size_t count, bool stream) const {
    if (count != kPiece) {
      const __m256i lanes = first_lanes(count);
      _mm256_maskstore_pd(p, widen_lo(lanes), lo);
      if (count > 4) _mm256_maskstore_pd(p + 4, widen_hi(lanes), hi);
    } else if (stream) {
      _mm256_stream_pd(p, lo);
      _mm256_stream_pd(p + 4, hi);
    } else {
      _mm256_storeu_pd(p, lo);
      _mm256_storeu_pd(p + 4, hi);
    }
  }
  static V8 broadcast(double s) { return {_mm256_set1_pd(s), _mm256_set1_pd(s)}; }
  static V8 fma(const V8& a, const V8& x, const V8& b) {
    return {_mm256_fmadd_pd(a.lo, x.lo, b.lo), _mm256_fmadd_pd(a.hi, x.hi, b.hi)};
  }
  static V8 mul(const V8& a, const V8& b) { return {_mm256_mul_pd(a.lo, b.lo), _mm256_mul_pd(a.hi, b.hi)}; }
  static V8 select(__m256i keep, const V8& kept, const V8& other) {
    return {_mm256_blendv_pd(other.lo, kept.lo, _mm256_castsi256_pd(widen_lo(keep))),
            _mm256_blendv_pd(other.hi, kept.hi, _mm256_castsi256_pd(widen_hi(keep)))};
  }
  static V8 keep_or_zero(__m256i keep, const V8& kept) {
    return {_mm256_and_pd(_mm256_castsi256_pd(widen_lo(keep)), kept.lo),
            _mm256_and_pd(_mm256_castsi256_pd(widen_hi(keep)), kept.hi)};
  }
  using Selu = avx2::SeluF64;
  static V8 selu(const V8& x, const Selu& k) { return {avx2::selu_f64(x.lo, k), avx2::selu_f64(x.hi, k)}; }
  static V8 selu_grad(const V8& g, const V8& x, const Selu& k) {
    return {avx2::selu_grad_f64(g.lo, x.lo, k), avx2::selu_grad_f64(g.hi, x.hi, k)};
  }
};

// Elements handled before the vector loop (with scalar-generated words): without streaming, those
// before the first block boundary, so that every group of 16 blocks lines up with 64 elements; with
// streaming, those before the first 32-byte aligned output (typed arrays are element-aligned), so
// that every full piece can be streamed, whatever the stream phase there.
template <typename T>
size_t head_length(const T* out, uint64_t first, bool stream) {
  if (!stream) return static_cast<size_t>((4 - (first & 3)) & 3);
  const uintptr_t addr = reinterpret_cast<uintptr_t>(out);
  return ((32 - addr % 32) % 32) / sizeof(T);
}

// The pieces of the whole group at i (words_of(j): the words of piece j), interleaved with every
// round of the words of the group that starts at block next_block, which go to next_words: the
// rounds are one long dependency chain per set, the pieces independent work that fills the gaps.
// (For the last group the next words may go unused: cheaper than a test per round.)
template <bool kStream, typename KeepOf, typename WordsOf, typename Op>
inline void group_and_next(size_t i, uint64_t next_block, const philox::RoundKeysAvx2& keys, const KeepOf& keep_of,
                           const WordsOf& words_of, const Op& op, __m256i* next_words) {
  philox::PhiloxAvx2<kSets> next;
  next.start(next_block, keys);
#pragma GCC unroll 16
  for (size_t j = 0; j < kGroup / kPiece; ++j) {
    if (1 + j < philox::kRounds) next.round(static_cast<int>(1 + j), keys);
    op(i + j * kPiece, keep_of(words_of(j)), kPiece, kStream);
  }
#pragma GCC unroll 16
  for (int r = 1 + static_cast<int>(kGroup / kPiece); r < philox::kRounds; ++r) next.round(r, keys);
  next.finish(next_words);
}

// Calls op(i, keep, count, stream) for consecutive pieces [i, i + count) of [0, n), count ≤ 8, where
// keep is the piece's 8-lane keep mask. After the head, pieces start at head + 8k. Full pieces pass
// the constants kPiece and kStream, so that once op is inlined its tail and streaming branches fold
// away: the loop over whole groups is straight-line code (group_and_next).
template <bool kKeepAll, bool kStream, typename Op>
void for_each_piece(size_t n, uint64_t first, uint64_t seed, uint64_t threshold, size_t head, const Op& op) {
  const __m256i biased_threshold = philox::biased_threshold_avx2(threshold);
  auto keep_of = [&](__m256i words) {
    return kKeepAll ? _mm256_set1_epi32(-1) : philox::keep_mask_avx2(words, biased_threshold);
  };
  head = std::min(head, n);
  if (head > 0) {
    alignas(32) uint32_t words[kPiece] = {};
    if (!kKeepAll) philox::stream_words(seed, first, head, words);
    op(0, keep_of(_mm256_load_si256(reinterpret_cast<const __m256i*>(words))), head, kStream);
  }
  size_t i = head;
  if (kKeepAll) {
    for (; n - i >= kPiece; i += kPiece) op(i, keep_of(__m256i{}), kPiece, kStream);
    if (i < n) op(i, keep_of(__m256i{}), n - i, kStream);
  } else if (i < n) {
    const philox::RoundKeysAvx2 keys = philox::round_keys_avx2(seed);
    const uint64_t g = first + i;
    const size_t phase = static_cast<size_t>(g & 3);
    uint64_t block = g >> 2;
    __m256i words[kGroup / kPiece];
    if (phase == 0) {
      // Groups line up with the elements: the words come straight from the registers.
      philox::philox_words_avx2<kSets>(block, keys, words);
      for (; n - i >= kGroup; i += kGroup) {
        block += kGroup / 4;
        group_and_next<kStream>(i, block, keys, keep_of, [&](size_t j) { return words[j]; }, op, words);
      }
      for (size_t j = 0; i + j * kPiece < n; ++j) {
        op(i + j * kPiece, keep_of(words[j]), std::min(kPiece, n - i - j * kPiece), kStream);
      }
    } else {
      // kGroup elements from a position `phase` into a block need kGroup / 4 + 1 blocks: their group
      // and the first block of the next. The buffer holds the words of both groups and is read at
      // `phase`; the group after them is generated while the current one is processed. (A sliding
      // window over a longer buffer, which saves the copy, measured slower.)
      alignas(32) uint32_t buffer[2 * kGroup];
      auto store = [&](uint32_t* to) {
        for (size_t j = 0; j < kGroup / kPiece; ++j) _mm256_store_si256(reinterpret_cast<__m256i*>(to + j * kPiece), words[j]);
      };
      auto words_at = [&](size_t j) {
        return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(buffer + phase + j * kPiece));
      };
      philox::philox_words_avx2<kSets>(block, keys, words);
      store(buffer);
      if (phase + (n - i) > kGroup) {
        philox::philox_words_avx2<kSets>(block + kGroup / 4, keys, words);
        store(buffer + kGroup);
      }
      for (; n - i >= kGroup; i += kGroup) {
        block += kGroup / 4;
        group_and_next<kStream>(i, block + kGroup / 4, keys, keep_of, words_at, op, words);
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

template <typename T, typename Op>
void run(size_t n, uint64_t first, const DropoutConstants<T>& c, T* out, bool stream, const Op& op) {
  const size_t head = head_length(out, first, stream);
  const bool keep_all = c.threshold > 0xFFFFFFFFu;
  if (keep_all && stream) for_each_piece<true, true>(n, first, c.seed, c.threshold, head, op);
  else if (keep_all) for_each_piece<true, false>(n, first, c.seed, c.threshold, head, op);
  else if (stream) for_each_piece<false, true>(n, first, c.seed, c.threshold, head, op);
  else for_each_piece<false, false>(n, first, c.seed, c.threshold, head, op);
}

template <typename T>
void forward(const T* x, T* out, size_t n, uint64_t first, const DropoutConstants<T>& c, bool stream) {
  const V8<T> a = V8<T>::broadcast(c.a), b = V8<T>::broadcast(c.b), dropped = V8<T>::broadcast(c.dropped);
  run(n, first, c, out, stream, [=](size_t i, __m256i keep, size_t count, bool s) {
    const V8<T> v = V8<T>::load(x + i, count);
    V8<T>::select(keep, V8<T>::fma(a, v, b), dropped).store(out + i, count, s);
  });
}

template <typename T>
void backward(const T* grad, T* out, size_t n, uint64_t first, const DropoutConstants<T>& c, bool stream) {
  const V8<T> a = V8<T>::broadcast(c.a);
  run(n, first, c, out, stream, [=](size_t i, __m256i keep, size_t count, bool s) {
    const V8<T> g = V8<T>::load(grad + i, count);
    V8<T>::keep_or_zero(keep, V8<T>::mul(a, g)).store(out + i, count, s);
  });
}

void mask(uint8_t* out, size_t n, uint64_t first, uint64_t seed, uint64_t threshold) {
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
    const philox::RoundKeysAvx2 keys = philox::round_keys_avx2(seed);
    const __m256i biased_threshold = philox::biased_threshold_avx2(threshold);
    for (; n - i >= kGroup; i += kGroup) {
      __m256i words[kGroup / kPiece];
      philox::philox_words_avx2<kSets>((first + i) >> 2, keys, words);
      for (size_t s = 0; s < kGroup / 32; ++s) {
        __m256i k[4];
        for (size_t j = 0; j < 4; ++j) k[j] = philox::keep_mask_avx2(words[4 * s + j], biased_threshold);
        // Narrow 4 x 8 masks to 32 bytes; the in-lane packs leave 4-element runs in the order
        // k0a k1a k2a k3a | k0b k1b k2b k3b, which the permute puts back in element order.
        const __m256i bytes = _mm256_packs_epi16(_mm256_packs_epi32(k[0], k[1]), _mm256_packs_epi32(k[2], k[3]));
        const __m256i ordered = _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i + 32 * s), _mm256_and_si256(ordered, _mm256_set1_epi8(1)));
      }
    }
  }
  scalar_part(i, n - i);
}

template <typename T>
void selu_forward(const T* x, T* out, size_t n, uint64_t first, const DropoutConstants<T>& c,
                  const SeluConstants<T>& s, bool stream) {
  const typename V8<T>::Selu k(s);
  const V8<T> a = V8<T>::broadcast(c.a), b = V8<T>::broadcast(c.b), dropped = V8<T>::broadcast(c.dropped);
  run(n, first, c, out, stream, [=](size_t i, __m256i keep, size_t count, bool st) {
    const V8<T> y = V8<T>::selu(V8<T>::load(x + i, count), k);
    V8<T>::select(keep, V8<T>::fma(a, y, b), dropped).store(out + i, count, st);
  });
}

template <typename T>
void selu_backward(const T* grad, const T* x, T* out, size_t n, uint64_t first, const DropoutConstants<T>& c,
                   const SeluConstants<T>& s, bool stream) {
  const typename V8<T>::Selu k(s);
  const V8<T> a = V8<T>::broadcast(c.a);
  run(n, first, c, out, stream, [=](size_t i, __m256i keep, size_t count, bool st) {
    const V8<T> t = V8<T>::selu_grad(V8<T>::load(grad + i, count), V8<T>::load(x + i, count), k);
    V8<T>::keep_or_zero(keep, V8<T>::mul(a, t)).store(out + i, count, st);
  });
}

}  // namespace

const DropoutKernelTable kDropoutAvx2 = {
    forward<float>,       forward<double>,       backward<float>,       backward<double>,       mask,
    selu_forward<float>,  selu_forward<double>,  selu_backward<float>,  selu_backward<double>,
};

}  // namespace selu
