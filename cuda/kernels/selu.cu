// SELU forward and backward launchers.
#include "launch_common.cuh"

namespace selu_cuda {

cudaError_t launch_selu_forward(Dtype dtype, const void* x, void* out, size_t n, const selu::SeluParams& s,
                                cudaStream_t stream) {
  return dispatch_dtype(dtype, [&](auto tag) {
    using S = decltype(tag);
    using C = typename Storage<S>::C;
    return launch_elementwise<S>(SeluForwardOp<S>{selu_k<C>(s)}, x, nullptr, out, n, stream, true);
  });
}

cudaError_t launch_selu_backward(Dtype dtype, const void* grad, const void* x, void* out, size_t n,
                                 const selu::SeluParams& s, cudaStream_t stream) {
  return dispatch_dtype(dtype, [&](auto tag) {
    using S = decltype(tag);
    using C = typename Storage<S>::C;
    return launch_elementwise<S>(SeluBackwardOp<S>{selu_k<C>(s)}, grad, x, out, n, stream, true);
  });
}

}  // namespace selu_cuda
