// Error in ulps as docs/ACCURACY.md defines it: |y − r| / ulp(r), where r is a reference computed in
// a wider type and ulp(r) is the spacing of the output type in the binade that contains r (for |r|
// below the smallest normal number, the subnormal spacing).
//
// Special values: a NaN reference wants a NaN (0 ulp, else infinite error); an infinite result is
// right (0) exactly when the reference rounds to that infinity, otherwise the error is infinite.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include "float_bits.h"

namespace selu_test {

template <typename T>
struct UlpTraits;

template <>
struct UlpTraits<float> {
  using Ref = double;
  static constexpr int kMantissaBits = 24;
  static constexpr int kMinExponent = -126;  // exponent of the smallest normal
};

template <>
struct UlpTraits<double> {
  using Ref = long double;
  static constexpr int kMantissaBits = 53;
  static constexpr int kMinExponent = -1022;
};

// The spacing of T at r (r finite).
template <typename T>
typename UlpTraits<T>::Ref ulp_of(typename UlpTraits<T>::Ref r) {
  using Tr = UlpTraits<T>;
  int e = 0;
  if (r != 0) std::frexp(r, &e);  // |r| in [2^(e-1), 2^e)
  int binade = r != 0 ? e - 1 : Tr::kMinExponent;
  if (binade < Tr::kMinExponent) binade = Tr::kMinExponent;
  return std::ldexp(static_cast<typename UlpTraits<T>::Ref>(1), binade - (Tr::kMantissaBits - 1));
}

template <typename T>
double ulp_error(T y, typename UlpTraits<T>::Ref r) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  if (std::isnan(r)) return std::isnan(y) ? 0.0 : kInf;
  if (std::isnan(y)) return kInf;
  if (std::isinf(y)) return static_cast<T>(r) == y ? 0.0 : kInf;
  if (std::isinf(r)) return kInf;
  using Ref = typename UlpTraits<T>::Ref;
  return static_cast<double>(std::fabs(static_cast<Ref>(y) - r) / ulp_of<T>(r));
}

// The same for a float result and a double reference, from the bits (no frexp/ldexp): the
// exhaustive tests call it 2^33 times and more.
template <>
inline double ulp_error<float>(float y, double r) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  if (std::isnan(r)) return std::isnan(y) ? 0.0 : kInf;
  if (std::isnan(y)) return kInf;
  if (std::isinf(y)) return static_cast<float>(r) == y ? 0.0 : kInf;
  if (std::isinf(r)) return kInf;
  int binade = static_cast<int>((bits_of(r) >> 52) & 0x7ff) - 1023;  // −1023 for 0 and subnormal r
  if (binade < UlpTraits<float>::kMinExponent) binade = UlpTraits<float>::kMinExponent;
  // 1/ulp = 2^(23 − binade), a power of two: the product is exact.
  const double inv_ulp = f64_from_bits(static_cast<uint64_t>(23 - binade + 1023) << 52);
  return std::fabs(static_cast<double>(y) - r) * inv_ulp;
}

}  // namespace selu_test
