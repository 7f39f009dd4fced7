// The numbers a SELU kernel needs, derived once per call from the user's (alpha, scale).
//
// scale and scale*alpha are split into a high part (the value rounded to the working precision)
// and a low part (the rounding error), so kernels can multiply by them with one extra FMA and stay
// within half an ulp of the exact product (REFERENCE.md §6: a plain float product costs ~1 ulp).
#pragma once

#include <cmath>

namespace selu {

template <typename T>
struct SplitConstant {
  T hi;
  T lo;
};

template <typename T>
struct SeluConstants {
  SplitConstant<T> scale;        // λ
  SplitConstant<T> scale_alpha;  // λ·α
};

// The exact double-double product a*b as (hi, lo).
inline void two_product(double a, double b, double* hi, double* lo) {
  *hi = a * b;
  *lo = std::fma(a, b, -*hi);
}

inline SeluConstants<double> make_selu_constants_f64(double alpha, double scale) {
  SeluConstants<double> c;
  c.scale = {scale, 0.0};
  two_product(scale, alpha, &c.scale_alpha.hi, &c.scale_alpha.lo);
  return c;
}

inline SeluConstants<float> make_selu_constants_f32(double alpha, double scale) {
  const SeluConstants<double> d = make_selu_constants_f64(alpha, scale);
  SeluConstants<float> c;
  c.scale.hi = static_cast<float>(d.scale.hi);
  c.scale.lo = static_cast<float>(d.scale.hi - static_cast<double>(c.scale.hi));
  c.scale_alpha.hi = static_cast<float>(d.scale_alpha.hi);
  c.scale_alpha.lo = static_cast<float>((d.scale_alpha.hi - static_cast<double>(c.scale_alpha.hi)) + d.scale_alpha.lo);
  return c;
}

}  // namespace selu
