// The scalar reference kernels, in exactly the order of operations moments_kernels.h defines (the
// SIMD tables reproduce it bit for bit).
#include <cmath>

#include "../selu/selu_kernels.h"
#include "moments_kernels.h"
#include "selu_moments_blocked.h"

namespace selu {
namespace {

// ((s_l + s_l+8) + (s_l+4 + s_l+12)) for l < 4, then (e0 + e2) + (e1 + e3).
double reduce16(const double* s) {
  double e[4];
  for (int l = 0; l < 4; ++l) e[l] = (s[l] + s[l + 8]) + (s[l + 4] + s[l + 12]);
  return (e[0] + e[2]) + (e[1] + e[3]);
}

template <typename T>
MomentsPartial tile(const T* x, size_t n) {
  double s[16] = {};
  for (size_t i = 0; i < n; ++i) s[i & 15] += static_cast<double>(x[i]);
  const double mean = reduce16(s) / static_cast<double>(n);
  double e[16] = {}, q[16] = {};
  for (size_t i = 0; i < n; ++i) {
    const double d = static_cast<double>(x[i]) - mean;
    e[i & 15] += d;
    q[i & 15] = std::fma(d, d, q[i & 15]);
  }
  return partial_from_sums(static_cast<double>(n), mean, reduce16(e), reduce16(q));
}

template <typename T>
void columns(const T* x, size_t rows, size_t cols, size_t stride, MomentsPartial* out) {
  for (size_t j = 0; j < cols; ++j) {
    double sum = 0;
    for (size_t r = 0; r < rows; ++r) sum += static_cast<double>(x[r * stride + j]);
    const double mean = sum / static_cast<double>(rows);
    double e = 0, q = 0;
    for (size_t r = 0; r < rows; ++r) {
      const double d = static_cast<double>(x[r * stride + j]) - mean;
      e += d;
      q = std::fma(d, d, q);
    }
    out[j] = partial_from_sums(static_cast<double>(rows), mean, e, q);
  }
}

template <typename T>
MomentsPartial selu_tile(const T* x, T* out, size_t n, const SeluConstants<T>& s, bool stream) {
  return selu_tile_moments_blocked<T>(kSeluScalar, tile<T>, x, out, n, s, stream);
}

}  // namespace

const MomentsKernelTable kMomentsScalar = {
    tile<float>, tile<double>, columns<float>, columns<double>, selu_tile<float>, selu_tile<double>,
};

}  // namespace selu
