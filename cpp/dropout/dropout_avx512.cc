// Alpha-dropout kernels for AVX-512 F/BW/DQ/VL (compiled with those flags only; called after the CPU
// check): dropout_simd.h on 16-element pieces (opmask keep masks and tails), 128-element Philox
// groups (4 sets of 8 blocks) and 64-byte streaming alignment; the fused kernels apply SELU with
// selu_math_avx512.h.
//
// Built a second time by the native tests with SELU_KERNELS_EMULATE_AVX512 (SIMDe on AVX2, see
// selu_math_avx512.h) on CPUs without AVX-512; the table is then named kDropoutAvx512Emulated. Memory
// is accessed through selu_math_avx512.h's Io helpers, which work in both builds.
#include <stdint.h>

#include "../selu/selu_math_avx512.h"  // first: it provides the intrinsics (native or emulated)
#include "../random/philox4x32_avx512.h"
#include "dropout_kernels.h"
#include "dropout_simd.h"

namespace selu {
namespace {

using io = avx512::Io;

constexpr size_t kPiece = 16;  // elements per keep mask

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

// The trait of dropout_simd.h.
struct Avx512 {
  using Philox = philox::Avx512;
  static constexpr bool kInterleaveFused = true;  // 32 registers
  template <typename T>
  using Vec = V16<T>;
  static __mmask16 keep_all() { return static_cast<__mmask16>(0xFFFF); }
  static __m512i load_words(const uint32_t* p) { return _mm512_loadu_si512(p); }
  static void store_words(uint32_t* p, __m512i words) { _mm512_store_si512(p, words); }
  // The words of 64 elements (4 keep masks) become one 64-bit mask and 64 bytes at once.
  static void store_keep_bytes(uint8_t* out, const __m512i* words, __m512i threshold) {
    __mmask64 kept = 0;
    for (int j = 0; j < 4; ++j) {
      kept |= static_cast<__mmask64>(philox::Avx512::keep(words[j], threshold)) << (16 * j);
    }
    _mm512_storeu_si512(out, _mm512_maskz_set1_epi8(kept, 1));
  }
};

}  // namespace

extern const DropoutKernelTable SELU_AVX512_TABLE_NAME(kDropoutAvx512);
const DropoutKernelTable SELU_AVX512_TABLE_NAME(kDropoutAvx512) = DropoutSimd<Avx512>::kTable;

}  // namespace selu
