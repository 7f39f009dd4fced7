// PLACEHOLDER until the avx2 kernels land: forwards to the scalar kernels.
#include "selu_kernels.h"
namespace selu {
namespace {
template <typename T> void fwd(const T* x, T* o, size_t n, const SeluConstants<T>& c, bool s);
template <> void fwd<float>(const float* x, float* o, size_t n, const SeluConstants<float>& c, bool s) { kSeluScalar.forward_f32(x, o, n, c, s); }
template <> void fwd<double>(const double* x, double* o, size_t n, const SeluConstants<double>& c, bool s) { kSeluScalar.forward_f64(x, o, n, c, s); }
template <typename T> void bwd(const T* g, const T* x, T* o, size_t n, const SeluConstants<T>& c, bool s);
template <> void bwd<float>(const float* g, const float* x, float* o, size_t n, const SeluConstants<float>& c, bool s) { kSeluScalar.backward_f32(g, x, o, n, c, s); }
template <> void bwd<double>(const double* g, const double* x, double* o, size_t n, const SeluConstants<double>& c, bool s) { kSeluScalar.backward_f64(g, x, o, n, c, s); }
}
const SeluKernelTable kSeluAvx2 = {fwd<float>, fwd<double>, bwd<float>, bwd<double>};
}
