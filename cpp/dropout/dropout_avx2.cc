// Alpha-dropout kernels for AVX2 + FMA (compiled with -mavx2 -mfma only; called after the CPU check):
// dropout_simd.h on 8-element pieces (8 x 32-bit keep masks, blendv selects, maskload/maskstore
// tails), 64-element Philox groups (4 sets of 4 blocks) and 32-byte streaming alignment; the fused
// kernels apply SELU with selu_math_avx2.h, the maths of the AVX2 SELU kernels.
#include <immintrin.h>
#include <stdint.h>

#include "../random/philox4x32_avx2.h"
#include "../selu/selu_math_avx2.h"
#include "dropout_kernels.h"
#include "dropout_simd.h"

namespace selu {
namespace {

constexpr size_t kPiece = 8;  // elements per keep-mask vector

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

// The trait of dropout_simd.h.
struct Avx2 {
  using Philox = philox::Avx2;
  static constexpr bool kInterleaveFused = false;  // 16 registers: the fused pieces would spill (dropout_simd.h, group_and_next)
  template <typename T>
  using Vec = V8<T>;
  static __m256i keep_all() { return _mm256_set1_epi32(-1); }
  static __m256i load_words(const uint32_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
  static void store_words(uint32_t* p, __m256i words) { _mm256_store_si256(reinterpret_cast<__m256i*>(p), words); }
  static void store_keep_bytes(uint8_t* out, const __m256i* words, __m256i threshold) {
    __m256i k[4];
    for (size_t j = 0; j < 4; ++j) k[j] = philox::Avx2::keep(words[j], threshold);
    // Narrow 4 x 8 masks to 32 bytes; the in-lane packs leave 4-element runs in the order
    // k0a k1a k2a k3a | k0b k1b k2b k3b, which the permute puts back in element order.
    const __m256i bytes = _mm256_packs_epi16(_mm256_packs_epi32(k[0], k[1]), _mm256_packs_epi32(k[2], k[3]));
    const __m256i ordered = _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), _mm256_and_si256(ordered, _mm256_set1_epi8(1)));
  }
};

}  // namespace

const DropoutKernelTable kDropoutAvx2 = DropoutSimd<Avx2>::kTable;

}  // namespace selu
