// Rounding an exact value once to a 16-bit format, for the few results where rounding to float32
// first and then to 16 bits would round twice differently (half_ops.cc, the dropout forms).
//
// The tool is round-to-odd: rounding the exact value to float32 with "round to odd" (truncate, then
// set the last bit if anything was cut off) and then to 16 bits with round-to-nearest-even gives the
// 16-bit value nearest the exact one, because float32 has at least two more significand bits than
// either 16-bit format (24 against 11 and 8) and the same or a wider exponent range.
#pragma once

#include <stdint.h>

#include <cmath>
#include <limits>

#include "half_format.h"

namespace selu {

inline uint16_t narrow_scalar(HalfFormat f, float v) {
  return f == HalfFormat::kFloat16 ? half::f32_to_f16(v) : half::f32_to_bf16(v);
}

// The value of a 16-bit number as a double, with ±∞ read as ±2^16 (float16) or ±2^128 (bfloat16):
// the next number after the largest finite one were the exponent unbounded, so that the midpoint
// between it and the largest finite number is where rounding overflows.
inline double unbounded_value(HalfFormat f, uint16_t h) {
  const bool f16 = f == HalfFormat::kFloat16;
  const float v = f16 ? half::f16_to_f32(h) : half::bf16_to_f32(h);
  if (std::isinf(v)) return std::copysign(f16 ? 65536.0 : std::ldexp(1.0, 128), static_cast<double>(v));
  return v;
}

// A midpoint has one significant bit more than the format (12 or 9 of float32's 24), so these low
// bits of its float32 encoding are zero (12 for float16, 15 for bfloat16; subnormal ones included):
// the quick test that rules out nearly every value.
inline uint32_t midpoint_low_bits(HalfFormat f) { return f == HalfFormat::kFloat16 ? 0xfffu : 0x7fffu; }

// True when the float32 r lies exactly halfway between two neighbouring 16-bit numbers (the overflow
// threshold included).
inline bool is_rounding_midpoint(HalfFormat f, float r) {
  if ((half::bits_of(r) & midpoint_low_bits(f)) != 0) return false;
  if (std::isnan(r) || std::isinf(r)) return false;
  const uint16_t h = narrow_scalar(f, r);
  const double near = unbounded_value(f, h);
  if (near == r) return false;
  // The other neighbour: one step away from h on the side of r (r and h have the same sign).
  const bool beyond = std::fabs(static_cast<double>(r)) > std::fabs(near);
  const uint16_t other = static_cast<uint16_t>(beyond ? h + 1 : h - 1);
  return near + unbounded_value(f, other) == 2.0 * static_cast<double>(r);  // exact: both are short
}

// s + e (|e| ≤ half an ulp of s, or e = 0) rounded to float32 with round-to-odd.
inline float round_to_odd_f32(double s, double e) {
  const float r = static_cast<float>(s);  // nearest, ties to even
  if (std::isinf(r) || std::isnan(r)) return r;
  // s − r is exact; when nonzero it is at least an ulp of s, so larger than |e|.
  const double rest = s - static_cast<double>(r);
  const double direction = rest != 0 ? rest : e;
  if (direction == 0 || (half::bits_of(r) & 1u)) return r;
  return std::nextafter(r, direction > 0 ? std::numeric_limits<float>::infinity()
                                         : -std::numeric_limits<float>::infinity());
}

// a·v + b, computed exactly (the product of two floats is exact in double; the sum is a two-sum) and
// rounded once to the format.
inline uint16_t round_fma_once(HalfFormat f, float a, float v, float b) {
  const double p = static_cast<double>(a) * static_cast<double>(v);
  const double bd = b;
  const double s = p + bd;
  const double b_part = s - p;
  const double e = (p - (s - b_part)) + (bd - b_part);
  return narrow_scalar(f, round_to_odd_f32(s, std::isfinite(s) ? e : 0.0));
}

// A double rounded once to the format.
inline uint16_t round_double_once(HalfFormat f, double d) { return narrow_scalar(f, round_to_odd_f32(d, 0.0)); }

}  // namespace selu
