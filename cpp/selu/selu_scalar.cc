// The scalar reference kernels: plain C++ that any x86-64 or other CPU runs.
//
// They compute in a wider type than they store (double for float32, x87 long double for float64)
// with the library's expm1/exp, so each result is within about half an ulp of exact. They are the
// fallback on CPUs without AVX2 and the baseline the SIMD variants are tested against.
#include <cmath>

#include "selu_kernels.h"

namespace selu {
namespace {

template <typename T, typename Wide>
void forward(const T* x, T* out, size_t n, const SeluConstants<T>& c, bool /*stream*/) {
  const Wide scale = static_cast<Wide>(c.scale.hi) + static_cast<Wide>(c.scale.lo);
  const Wide scale_alpha = static_cast<Wide>(c.scale_alpha.hi) + static_cast<Wide>(c.scale_alpha.lo);
  for (size_t i = 0; i < n; ++i) {
    const Wide v = static_cast<Wide>(x[i]);
    // NaN fails the comparison and propagates through expm1.
    out[i] = static_cast<T>(v > 0 ? scale * v : scale_alpha * std::expm1(v));
  }
}

template <typename T, typename Wide>
void backward(const T* grad, const T* x, T* out, size_t n, const SeluConstants<T>& c, bool /*stream*/) {
  const Wide scale = static_cast<Wide>(c.scale.hi) + static_cast<Wide>(c.scale.lo);
  const Wide scale_alpha = static_cast<Wide>(c.scale_alpha.hi) + static_cast<Wide>(c.scale_alpha.lo);
  for (size_t i = 0; i < n; ++i) {
    const Wide v = static_cast<Wide>(x[i]);
    const Wide slope = v > 0 ? scale : scale_alpha * std::exp(v);
    out[i] = static_cast<T>(static_cast<Wide>(grad[i]) * slope);
  }
}

}  // namespace

const SeluKernelTable kSeluScalar = {
    forward<float, double>,
    forward<double, long double>,
    backward<float, double>,
    backward<double, long double>,
};

}  // namespace selu
