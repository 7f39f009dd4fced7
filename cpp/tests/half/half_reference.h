// References for the 16-bit tests, computed without the code under test: the value of a 16-bit
// number from its fields, rounding a long double to a 16-bit format (round half to even on the
// value scaled by the format's spacing), and the error in ulps of the format (docs/ACCURACY.md's
// definition: |y − r| / ulp(r), the spacing of the format in the binade of r, the subnormal spacing
// below the smallest normal number; a NaN wants a NaN; an infinity is right only where r rounds to it).
#pragma once

#include <cfenv>
#include <cmath>
#include <cstdint>
#include <limits>

#include "half/half_format.h"

namespace half_test {

using selu::HalfFormat;

struct FormatInfo {
  int exponent_bits, fraction_bits, bias;
  int mantissa_bits() const { return fraction_bits + 1; }
  int min_exponent() const { return 1 - bias; }
  long double overflow() const { return std::ldexp(1.0L, bias + 1); }  // the first value past the largest finite one
};

inline FormatInfo info(HalfFormat f) { return f == HalfFormat::kFloat16 ? FormatInfo{5, 10, 15} : FormatInfo{8, 7, 127}; }
inline const char* name(HalfFormat f) { return f == HalfFormat::kFloat16 ? "float16" : "bfloat16"; }

// The value of the bits h, from the IEEE fields.
inline long double value_of(HalfFormat f, uint16_t h) {
  const FormatInfo fi = info(f);
  const int e = (h >> fi.fraction_bits) & ((1 << fi.exponent_bits) - 1);
  const int m = h & ((1 << fi.fraction_bits) - 1);
  const long double sign = (h & 0x8000) ? -1.0L : 1.0L;
  if (e == (1 << fi.exponent_bits) - 1) return m ? std::numeric_limits<long double>::quiet_NaN() : sign * INFINITY;
  if (e == 0) return sign * std::ldexp(static_cast<long double>(m), fi.min_exponent() - fi.fraction_bits);
  return sign * std::ldexp(static_cast<long double>(m + (1 << fi.fraction_bits)), e - fi.bias - fi.fraction_bits);
}

// The spacing of the format at r (r finite).
inline long double ulp_of(HalfFormat f, long double r) {
  const FormatInfo fi = info(f);
  int e = r != 0 ? std::ilogb(r) : fi.min_exponent();
  if (e < fi.min_exponent()) e = fi.min_exponent();
  return std::ldexp(1.0L, e - fi.fraction_bits);
}

// v rounded to the format, to nearest with ties to even, as a long double (±∞ on overflow).
inline long double round_to_format(HalfFormat f, long double v) {
  if (std::isnan(v) || std::isinf(v) || v == 0) return v;
  const long double ulp = ulp_of(f, v);
  const long double r = std::nearbyint(v / ulp) * ulp;  // exact scaling; the default mode rounds ties to even
  if (std::fabs(r) >= info(f).overflow()) return std::copysign(static_cast<long double>(INFINITY), v);
  return r == 0 ? std::copysign(0.0L, v) : r;
}

// The error of the 16-bit result y in ulps of the format against the reference r.
inline double ulp_error(HalfFormat f, uint16_t y, long double r) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  const long double v = value_of(f, y);
  if (std::isnan(r)) return std::isnan(v) ? 0.0 : kInf;
  if (std::isnan(v)) return kInf;
  if (std::isinf(v)) return round_to_format(f, r) == v ? 0.0 : kInf;
  if (std::isinf(r)) return kInf;
  return static_cast<double>(std::fabs(v - r) / ulp_of(f, r));
}

}  // namespace half_test
