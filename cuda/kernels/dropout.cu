// Alpha-dropout launchers, plain and fused with SELU. The stream words come from
// cpp/random/philox4x32.h; a call whose offset is a multiple of 4 uses each Philox block for four
// consecutive elements (kAligned), others compute the blocks each vector straddles.
#include "launch_common.cuh"

namespace selu_cuda {

cudaError_t launch_dropout_forward(Dtype dtype, const void* x, void* out, size_t n, const selu::DropoutParams& p,
                                   cudaStream_t stream) {
  const auto op = [&](auto tag) {
    using S = decltype(tag);
    return DropoutForwardOp<S>{dropout_k<ComputeOf<S>>(p), dropped_value<S>(p.dropped)};
  };
  return launch_for_dtype(dtype, op, x, nullptr, out, n, stream, p.offset % 4 == 0);
}

cudaError_t launch_dropout_backward(Dtype dtype, const void* grad, void* out, size_t n,
                                    const selu::DropoutParams& p, cudaStream_t stream) {
  const auto op = [&](auto tag) { return DropoutBackwardOp<decltype(tag)>{dropout_k<ComputeOf<decltype(tag)>>(p)}; };
  return launch_for_dtype(dtype, op, grad, nullptr, out, n, stream, p.offset % 4 == 0);
}

cudaError_t launch_selu_dropout_forward(Dtype dtype, const void* x, void* out, size_t n,
                                        const selu::DropoutParams& p, const selu::SeluParams& s,
                                        cudaStream_t stream) {
  const auto op = [&](auto tag) {
    using S = decltype(tag);
    return SeluDropoutForwardOp<S>{selu_k<ComputeOf<S>>(s), dropout_k<ComputeOf<S>>(p), dropped_value<S>(p.dropped)};
  };
  return launch_for_dtype(dtype, op, x, nullptr, out, n, stream, p.offset % 4 == 0);
}

cudaError_t launch_selu_dropout_backward(Dtype dtype, const void* grad, const void* x, void* out, size_t n,
                                         const selu::DropoutParams& p, const selu::SeluParams& s,
                                         cudaStream_t stream) {
  const auto op = [&](auto tag) {
    using S = decltype(tag);
    return SeluDropoutBackwardOp<S>{selu_k<ComputeOf<S>>(s), dropout_k<ComputeOf<S>>(p)};
  };
  return launch_for_dtype(dtype, op, grad, x, out, n, stream, p.offset % 4 == 0);
}

}  // namespace selu_cuda
