// The numbers a SELU kernel needs, derived once per call from the user's (alpha, scale).
//
// scale and scale*alpha are split into a high part (the value rounded to the working precision)
// and a low part (the rounding error), so kernels can multiply by them with one extra FMA and stay
// within half an ulp of the exact product (docs/ACCURACY.md: a plain float product costs ~1 ulp).
#pragma once

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

// What the TypeScript layer passes for a call (lib/constants.ts, seluKernelConstants): λ and λ·α as
// double-doubles, exact for user-given parameters and the true constants for the defaults.
struct SeluParams {
  double scale_hi, scale_lo;
  double scale_alpha_hi, scale_alpha_lo;
};

inline SeluConstants<double> make_selu_constants_f64(const SeluParams& p) {
  return {{p.scale_hi, p.scale_lo}, {p.scale_alpha_hi, p.scale_alpha_lo}};
}

inline SplitConstant<float> split_to_float(double hi, double lo) {
  const float f_hi = static_cast<float>(hi);
  return {f_hi, static_cast<float>((hi - static_cast<double>(f_hi)) + lo)};
}

inline SeluConstants<float> make_selu_constants_f32(const SeluParams& p) {
  return {split_to_float(p.scale_hi, p.scale_lo), split_to_float(p.scale_alpha_hi, p.scale_alpha_lo)};
}

// The constants of precision T (float or double), for code templated on T.
template <typename T>
SeluConstants<T> make_selu_constants(const SeluParams& p) {
  if constexpr (sizeof(T) == sizeof(float)) return make_selu_constants_f32(p); else return make_selu_constants_f64(p);
}

}  // namespace selu
