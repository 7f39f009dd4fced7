// SELU forward and backward launchers.
#include "launch_common.cuh"

namespace selu_cuda {

cudaError_t launch_selu_forward(Dtype dtype, const void* x, void* out, size_t n, const selu::SeluParams& s,
                                cudaStream_t stream) {
  const auto op = [&](auto tag) { return SeluForwardOp<decltype(tag)>{selu_k<ComputeOf<decltype(tag)>>(s)}; };
  return launch_for_dtype(dtype, op, x, nullptr, out, n, stream, true);
}

cudaError_t launch_selu_backward(Dtype dtype, const void* grad, const void* x, void* out, size_t n,
                                 const selu::SeluParams& s, cudaStream_t stream) {
  const auto op = [&](auto tag) { return SeluBackwardOp<decltype(tag)>{selu_k<ComputeOf<decltype(tag)>>(s)}; };
  return launch_for_dtype(dtype, op, grad, x, out, n, stream, true);
}

}  // namespace selu_cuda
