// The float or the double one of two things, for code templated on the element type T: how the
// kernel tables (selu_kernels.h, dropout_kernels.h, moments_kernels.h) hand out the entry of T.
#pragma once

#include <type_traits>

namespace selu {

template <typename T, typename F32, typename F64>
constexpr auto by_precision(F32 f32, F64 f64) {
  static_assert(std::is_same<T, float>::value || std::is_same<T, double>::value, "float or double");
  if constexpr (std::is_same<T, float>::value) return f32; else return f64;
}

}  // namespace selu
