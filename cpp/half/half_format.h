// The two 16-bit formats and their exact scalar conversions to and from float32 (docs/HALF.md).
//
// float16 is IEEE 754 binary16 (1 sign, 5 exponent, 10 fraction bits); bfloat16 is the top 16 bits of
// a float32 (1, 8, 7). Arrays of either cross the JS boundary as Uint16Arrays of the raw bits; in C++
// they are arrays of Float16 / BFloat16 (Half<F>), one-member structs over those bits, so that the 16-bit
// overloads of the ops (half_ops.h) are told apart from each other by type.
//
// These scalar functions define the results every SIMD level must reproduce bit for bit (they are
// what the F16C and AVX-512 conversion instructions do):
// - widening is exact; a float16 NaN becomes the float32 NaN with the same sign and payload and the
//   quiet bit set (as VCVTPH2PS does); a bfloat16 widens by a 16-bit shift, signalling NaNs included;
// - narrowing rounds to nearest, ties to even, overflowing to ±∞ as IEEE 754 says; a NaN stays a NaN
//   of the same sign with the quiet bit set and the top payload bits kept (as VCVTPS2PH does).
#pragma once

#include <stdint.h>

#include <type_traits>

#include "../common/bit_cast.h"

namespace selu {

enum class HalfFormat { kFloat16 = 1, kBFloat16 = 2 };

template <HalfFormat F>
struct Half {
  uint16_t bits;
};
static_assert(std::is_standard_layout_v<Half<HalfFormat::kFloat16>> && sizeof(Half<HalfFormat::kFloat16>) == 2,
              "a Half array is its uint16_t bits (half_ops.h converts the pointers)");
using Float16 = Half<HalfFormat::kFloat16>;
using BFloat16 = Half<HalfFormat::kBFloat16>;

namespace half {

inline uint32_t bits_of(float f) { return bit_cast<uint32_t>(f); }
inline float float_of(uint32_t u) { return bit_cast<float>(u); }

inline float f16_to_f32(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exponent = (h >> 10) & 0x1fu;
  const uint32_t fraction = h & 0x3ffu;
  if (exponent == 0x1f) return float_of(sign | 0x7f800000u | (fraction << 13) | (fraction ? 0x00400000u : 0));
  if (exponent != 0) return float_of(sign | ((exponent + 112) << 23) | (fraction << 13));
  // Zero or subnormal: fraction · 2^-24, exact in float32.
  const float magnitude = static_cast<float>(fraction) * float_of(0x33800000u);  // 2^-24
  return float_of(sign | bits_of(magnitude));
}

inline uint16_t f32_to_f16(float f) {
  const uint32_t u = bits_of(f);
  const uint32_t sign = (u >> 16) & 0x8000u;
  uint32_t a = u & 0x7fffffffu;
  if (a > 0x7f800000u) return static_cast<uint16_t>(sign | 0x7e00u | ((a >> 13) & 0x3ffu));  // NaN, quieted
  if (a >= 0x47800000u) return static_cast<uint16_t>(sign | 0x7c00u);  // ≥ 2^16 (and ∞): ∞
  if (a < 0x38800000u) {
    // Below 2^-14: a float16 subnormal or zero. Adding 0.5 puts the value's bits at 2^-24
    // resolution in the low fraction bits, the float addition rounding to nearest even.
    const float shifted = float_of(a) + 0.5f;
    return static_cast<uint16_t>(sign | (bits_of(shifted) - 0x3f000000u));
  }
  // Normal: rebias the exponent, round the 13 dropped bits to nearest even (a carry out of the
  // fraction increments the exponent, up to ∞ for [65520, 65536)).
  const uint32_t odd = (a >> 13) & 1u;
  a += 0xc8000fffu + odd;  // (15 − 127) << 23, plus the rounding bias
  return static_cast<uint16_t>(sign | (a >> 13));
}

inline float bf16_to_f32(uint16_t h) { return float_of(static_cast<uint32_t>(h) << 16); }

inline uint16_t f32_to_bf16(float f) {
  const uint32_t u = bits_of(f);
  if ((u & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((u >> 16) | 0x0040u);  // NaN, quieted
  return static_cast<uint16_t>((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
}

}  // namespace half
}  // namespace selu
