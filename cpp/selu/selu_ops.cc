#include "selu_ops.h"

#include "../common/elementwise_split.h"
#include "../common/thread_pool.h"  // parallel_for
#include "selu_kernels.h"

namespace selu {

template <typename T>
void selu_forward(const T* x, T* out, size_t n, const SeluParams& params) {
  const SeluConstants<T> c = make_selu_constants<T>(params);
  const SeluForwardFn<T> kernel = selu_forward_kernel<T>(selu_kernels(active_simd_level()));
  const size_t chunk = elementwise_chunk(n, cost_of(op_cost::kSelu, sizeof(T)));
  if (chunk >= n) return kernel(x, out, n, c, should_stream(n * sizeof(T)));  // one thread: no pool
  const bool stream = should_stream(n * sizeof(T));
  parallel_for(n, chunk,
               [&](size_t begin, size_t end) { kernel(x + begin, out + begin, end - begin, c, stream); });
}

template <typename T>
void selu_backward(const T* grad, const T* x, T* out, size_t n, const SeluParams& params) {
  const SeluConstants<T> c = make_selu_constants<T>(params);
  const SeluBackwardFn<T> kernel = selu_backward_kernel<T>(selu_kernels(active_simd_level()));
  const size_t chunk = elementwise_chunk(n, cost_of(op_cost::kSeluBackward, sizeof(T)));
  const bool stream = should_stream(n * sizeof(T));
  if (chunk >= n) return kernel(grad, x, out, n, c, stream);
  parallel_for(n, chunk, [&](size_t begin, size_t end) {
    kernel(grad + begin, x + begin, out + begin, end - begin, c, stream);
  });
}

template void selu_forward<float>(const float*, float*, size_t, const SeluParams&);
template void selu_forward<double>(const double*, double*, size_t, const SeluParams&);
template void selu_backward<float>(const float*, const float*, float*, size_t, const SeluParams&);
template void selu_backward<double>(const double*, const double*, double*, size_t, const SeluParams&);

}  // namespace selu
