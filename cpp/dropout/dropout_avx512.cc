// Alpha-dropout kernels for AVX-512 F/BW/DQ/VL (compiled with those flags only; called after the CPU
// check). The same structure as dropout_avx2.cc with 16-element pieces, 128-element Philox groups
// (4 sets of 8 blocks), opmask tails and 64-byte streaming alignment; the fused kernels apply SELU
// with selu_math_avx512.h.
//
// Built a second time by the native tests with SELU_KERNELS_EMULATE_AVX512 (SIMDe on AVX2, see
// selu_math_avx512.h) on CPUs without AVX-512; the table is then named kDropoutAvx512Emulated. Memory
// is accessed through selu_math_avx512.h's io helpers, which work in both builds.
#include <stdint.h>
#include <string.h>

#include <algorithm>

#include "../selu/selu_math_avx512.h"  // first: it provides the intrinsics (native or emulated)
#include "../random/philox4x32_avx512.h"
#include "dropout_kernels.h"

namespace selu {
namespace {

namespace io = avx512::io;

constexpr size_t kPiece = 16;          // elements per keep mask
constexpr int kSets = 4;               // sets of 8 Philox blocks generated together
constexpr size_t kGroup = 32 * kSets;  // elements per Philox group

inline __mmask16 first_lanes(size_t count) { return static_cast<__mmask16>((1u << count) - 1u); }

// 16 consecutive elements of T in registers. `count` < 16 loads or stores lanes [0, count) only.
template <typename T>
struct V16;

template <>
struct V16<float> {
  __m512 v;
  static V16 load(const float* p, size_t count) {
    return {count == kPiece ? io::load(p) : io::load(p, first_lanes(count))};
  }
  void store(float* p, size_t count, bool stream) const {
    if (count != kPiece) io::store(p, first_lanes(count), v);
    else if (stream) io::stream(p, v);
    else io::store(p, v);
  }
  static V16 broadcast(float s) { return {_mm512_set1_ps(s)}; }
  static V16 fma(const V16& a, const V16& x, const V16& b) { return {_mm512_fmadd_ps(a.v, x.v, b.v)}; }
  static V16 mul(const V16& a, const V16& b) { return {_mm512_mul_ps(a.v, b.v)}; }
  static V16 select(__mmask16 keep, const V16& kept, const V16& other) {
    return {_mm512_mask_blend_ps(keep, other.v, kept.v)};
  }
  static V16 keep_or_zero(__mmask16 keep, const V16& kept) { return {_mm512_maskz_mov_ps(keep, kept.v)}; }
  using Selu = avx512::SeluF32;
  static V16 selu(const V16& x, const Selu& k) { return {avx512::selu_f32(x.v, k)}; }
  static V16 selu_grad(const V16& g, const V16& x, const Selu& k) { return {avx512::selu_grad_f32(g.v, x.v, k)}; }
};

template <>
struct V16<double> {
  __m512d lo, hi;
  static V16 load(const double* p, size_t count) {
    if (count == kPiece) return {io::load(p), io::load(p + 8)};
    const __mmask16 lanes = first_lanes(count);
    V16 r{io::load(p, static_cast<__mmask8>(lanes)), _mm512_setzero_pd()};
    if (count > 8) r.hi = io::load(p + 8, static_cast<__mmask8>(lanes >> 8));  // p + 8 only formed in bounds
    return r;
  }
  void store(double* p, size_t count, bool stream) const {
    if (count != kPiece) {
      const __mmask16 lanes = first_lanes(count);
      io::store(p, static_cast<__mmask8>(lanes), lo);
      if (count > 8) io::store(p + 8, static_cast<__mmask8>(lanes >> 8), hi);
    } else if (stream) {
      io::stream(p, lo);
      io::stream(p + 8, hi);
    } else {
      io::store(p, lo);
      io::store(p + 8, hi);
    }
  }
  static V16 broadcast(double s) { return {_mm512_set1_pd(s), _mm512_set1_pd(s)}; }
  static V16 fma(const V16& a, const V16& x, const V16& b) {
    return {_mm512_fmadd_pd(a.lo, x.lo, b.lo), _mm512_fmadd_pd(a.hi, x.hi, b.hi)};
  }
  static V16 mul(const V16& a, const V16& b) { return {_mm512_mul_pd(a.lo, b.lo), _mm512_mul_pd(a.hi, b.hi)}; }
  static V16 select(__mmask16 keep, const V16& kept, const V16& other) {
    return {_mm512_mask_blend_pd(static_cast<__mmask8>(keep), other.lo, kept.lo),
            _mm512_mask_blend_pd(static_cast<__mmask8>(keep >> 8), other.hi, kept.hi)};
  }
  static V16 keep_or_zero(__mmask16 keep, const V16& kept) {
    return {_mm512_maskz_mov_pd(static_cast<__mmask8>(keep), kept.lo),
            _mm512_maskz_mov_pd(static_cast<__mmask8>(keep >> 8), kept.hi)};
  }
  using Selu = avx512::SeluF64;
  static V16 selu(const V16& x, const Selu& k) { return {avx512::selu_f64(x.lo, k), avx512::selu_f64(x.hi, k)}; }
  static V16 selu_grad(const V16& g, const V16& x, const Selu& k) {
    return {avx512::selu_grad_f64(g.lo, x.lo, k), avx512::selu_grad_f64(g.hi, x.hi, k)};
  }
};

// As in dropout_avx2.cc, with 64-byte alignment for streaming.
template <typename T>
size_t head_length(const T* out, uint64_t first, bool stream) {
  if (!stream) return static_cast<size_t>((4 - (first & 3)) & 3);
  const uintptr_t addr = reinterpret_cast<uintptr_t>(out);
  return ((64 - addr % 64) % 64) / sizeof(T);
}

// The pieces of the whole group at i (words_of(j): the words of piece j), interleaved with every
// round of the words of the group that starts at block next_block, which go to next_words: the
// rounds are one long dependency chain per set, the pieces independent work that fills the gaps.
// (For the last group the next words may go unused: cheaper than a test per round.)
template <bool kStream, typename KeepOf, typename WordsOf, typename Op>
inline void group_and_next(size_t i, uint64_t next_block, const philox::RoundKeysAvx512& keys, const KeepOf& keep_of,
                           const WordsOf& words_of, const Op& op, __m512i* next_words) {
  philox::PhiloxAvx512<kSets> next;
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

// Calls op(i, keep, count, stream) for consecutive pieces [i, i + count) of [0, n), count ≤ 16; see
// dropout_avx2.cc for the head, the aligned and the phased cases, and the constant full pieces.
template <bool kKeepAll, bool kStream, typename Op>
void for_each_piece(size_t n, uint64_t first, uint64_t seed, uint64_t threshold, size_t head, const Op& op) {
  const __m512i threshold32 = _mm512_set1_epi32(static_cast<int>(static_cast<uint32_t>(threshold)));
  auto keep_of = [&](__m512i words) -> __mmask16 {
    return kKeepAll ? static_cast<__mmask16>(0xFFFF) : philox::keep_mask_avx512(words, threshold32);
  };
  head = std::min(head, n);
  if (head > 0) {
    alignas(64) uint32_t words[kPiece] = {};
    if (!kKeepAll) philox::stream_words(seed, first, head, words);
    op(0, keep_of(_mm512_load_si512(words)), head, kStream);
  }
  size_t i = head;
  if (kKeepAll) {
    for (; n - i >= kPiece; i += kPiece) op(i, keep_of(_mm512_setzero_si512()), kPiece, kStream);
    if (i < n) op(i, keep_of(_mm512_setzero_si512()), n - i, kStream);
  } else if (i < n) {
    const philox::RoundKeysAvx512 keys = philox::round_keys_avx512(seed);
    const uint64_t g = first + i;
    const size_t phase = static_cast<size_t>(g & 3);
    uint64_t block = g >> 2;
    __m512i words[kGroup / kPiece];
    if (phase == 0) {
      // Groups line up with the elements: the words come straight from the registers.
      philox::philox_words_avx512<kSets>(block, keys, words);
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
      alignas(64) uint32_t buffer[2 * kGroup];
      auto store = [&](uint32_t* to) {
        for (size_t j = 0; j < kGroup / kPiece; ++j) _mm512_store_si512(to + j * kPiece, words[j]);
      };
      auto words_at = [&](size_t j) { return _mm512_loadu_si512(buffer + phase + j * kPiece); };
      philox::philox_words_avx512<kSets>(block, keys, words);
      store(buffer);
      if (phase + (n - i) > kGroup) {
        philox::philox_words_avx512<kSets>(block + kGroup / 4, keys, words);
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
  const V16<T> a = V16<T>::broadcast(c.a), b = V16<T>::broadcast(c.b), dropped = V16<T>::broadcast(c.dropped);
  run(n, first, c, out, stream, [=](size_t i, __mmask16 keep, size_t count, bool s) {
    const V16<T> v = V16<T>::load(x + i, count);
    V16<T>::select(keep, V16<T>::fma(a, v, b), dropped).store(out + i, count, s);
  });
}

template <typename T>
void backward(const T* grad, T* out, size_t n, uint64_t first, const DropoutConstants<T>& c, bool stream) {
  const V16<T> a = V16<T>::broadcast(c.a);
  run(n, first, c, out, stream, [=](size_t i, __mmask16 keep, size_t count, bool s) {
    const V16<T> g = V16<T>::load(grad + i, count);
    V16<T>::keep_or_zero(keep, V16<T>::mul(a, g)).store(out + i, count, s);
  });
}

// Byte masks: the words of 64 elements (4 keep masks) become one 64-bit mask and 64 bytes at once.
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
    const philox::RoundKeysAvx512 keys = philox::round_keys_avx512(seed);
    const __m512i threshold32 = _mm512_set1_epi32(static_cast<int>(static_cast<uint32_t>(threshold)));
    for (; n - i >= kGroup; i += kGroup) {
      __m512i words[kGroup / kPiece];
      philox::philox_words_avx512<kSets>((first + i) >> 2, keys, words);
      for (size_t s = 0; s < kGroup / 64; ++s) {
        __mmask64 kept = 0;
        for (int j = 0; j < 4; ++j) {
          kept |= static_cast<__mmask64>(philox::keep_mask_avx512(words[4 * s + j], threshold32)) << (16 * j);
        }
        _mm512_storeu_si512(out + i + 64 * s, _mm512_maskz_set1_epi8(kept, 1));
      }
    }
  }
  scalar_part(i, n - i);
}

template <typename T>
void selu_forward(const T* x, T* out, size_t n, uint64_t first, const DropoutConstants<T>& c,
                  const SeluConstants<T>& s, bool stream) {
  const typename V16<T>::Selu k(s);
  const V16<T> a = V16<T>::broadcast(c.a), b = V16<T>::broadcast(c.b), dropped = V16<T>::broadcast(c.dropped);
  run(n, first, c, out, stream, [=](size_t i, __mmask16 keep, size_t count, bool st) {
    const V16<T> y = V16<T>::selu(V16<T>::load(x + i, count), k);
    V16<T>::select(keep, V16<T>::fma(a, y, b), dropped).store(out + i, count, st);
  });
}

template <typename T>
void selu_backward(const T* grad, const T* x, T* out, size_t n, uint64_t first, const DropoutConstants<T>& c,
                   const SeluConstants<T>& s, bool stream) {
  const typename V16<T>::Selu k(s);
  const V16<T> a = V16<T>::broadcast(c.a);
  run(n, first, c, out, stream, [=](size_t i, __mmask16 keep, size_t count, bool st) {
    const V16<T> t = V16<T>::selu_grad(V16<T>::load(grad + i, count), V16<T>::load(x + i, count), k);
    V16<T>::keep_or_zero(keep, V16<T>::mul(a, t)).store(out + i, count, st);
  });
}

}  // namespace

#if defined(SELU_KERNELS_EMULATE_AVX512)
extern const DropoutKernelTable kDropoutAvx512Emulated;
const DropoutKernelTable kDropoutAvx512Emulated = {
#else
const DropoutKernelTable kDropoutAvx512 = {
#endif
    forward<float>,       forward<double>,       backward<float>,       backward<double>,       mask,
    selu_forward<float>,  selu_forward<double>,  selu_backward<float>,  selu_backward<double>,
};

}  // namespace selu
