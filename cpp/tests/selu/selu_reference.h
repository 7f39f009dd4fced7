// Reference values for the SELU accuracy tests, computed far more accurately than the kernels'
// outputs: float32 results against double (error ~2^-51 relative, i.e. < 2^-27 of a float ulp),
// float64 results against x87 long double (~2^-62 relative, < 2^-9 of a double ulp; selu_f64_random
// checks this against __float128 on a sample). λ and λα are the exact double-doubles the kernels
// are given (SeluParams), not their rounded float or double values.
#pragma once

#include <cmath>

#include "selu/selu_params.h"

namespace selu_test {

// The parameters for the defaults (lib/constants.ts: the true λ01 and λ01·α01 as double-doubles).
inline selu::SeluParams default_selu_params() {
  return {1.0507009873554805, 3.9874847667154144e-17, 1.7580993408473768, 1.4153519380084446e-17};
}

// The parameters for user-given (alpha, scale), as lib/constants.ts makes them: λ exact, λα as the
// exact product scale·alpha in two doubles.
inline selu::SeluParams custom_selu_params(double alpha, double scale) {
  const double hi = scale * alpha;
  return {scale, 0.0, hi, std::fma(scale, alpha, -hi)};
}

// selu(x) for a float x, in double: λ·x for x > 0, λα·expm1(x) otherwise (glibc expm1, < 1 ulp).
inline double selu_ref_f32(float xf, const selu::SeluParams& p) {
  const double x = xf;
  if (std::isnan(x)) return x;
  if (x > 0) return p.scale_hi * x + p.scale_lo * x;
  const double e = std::expm1(x);
  return p.scale_alpha_hi * e + p.scale_alpha_lo * e;
}

// g·selu'(x) for floats, in double. `exp_x` is exp(x) (passed in so callers can reuse it).
inline double selu_grad_ref_f32(float gf, float xf, double exp_x, const selu::SeluParams& p) {
  const double g = gf, x = xf;
  if (x > 0) return g * p.scale_hi + g * p.scale_lo;
  return g * (p.scale_alpha_hi * exp_x + p.scale_alpha_lo * exp_x);
}

// selu(x) for a double x, in long double.
inline long double selu_ref_f64(double xd, const selu::SeluParams& p) {
  const long double x = xd;
  if (std::isnan(xd)) return x;
  if (x > 0) return (static_cast<long double>(p.scale_hi) + p.scale_lo) * x;
  return (static_cast<long double>(p.scale_alpha_hi) + p.scale_alpha_lo) * std::expm1(x);
}

// g·selu'(x) for doubles, in long double (its range holds g·eˣ for every double g and x > −11355).
inline long double selu_grad_ref_f64(double gd, double xd, const selu::SeluParams& p) {
  const long double g = gd, x = xd;
  if (x > 0) return g * (static_cast<long double>(p.scale_hi) + p.scale_lo);
  return g * ((static_cast<long double>(p.scale_alpha_hi) + p.scale_alpha_lo) * std::exp(x));
}

}  // namespace selu_test
