// Alpha-dropout launchers, plain and fused with SELU. The stream words come from
// cpp/random/philox4x32.h; a call whose offset is a multiple of 4 uses each Philox block for four
// consecutive elements (kAligned), others compute the blocks each vector straddles.
#include "launch_common.cuh"

namespace selu_cuda {

cudaError_t launch_dropout_forward(Dtype dtype, const void* x, void* out, size_t n, const selu::DropoutParams& p,
                                   cudaStream_t stream) {
  return dispatch_dtype(dtype, [&](auto tag) {
    using S = decltype(tag);
    using C = typename Storage<S>::C;
    const DropoutForwardOp<S> op{dropout_k<C>(p), dropped_value<S>(p.dropped)};
    return launch_elementwise<S>(op, x, nullptr, out, n, stream, p.offset % 4 == 0);
  });
}

cudaError_t launch_dropout_backward(Dtype dtype, const void* grad, void* out, size_t n,
                                    const selu::DropoutParams& p, cudaStream_t stream) {
  return dispatch_dtype(dtype, [&](auto tag) {
    using S = decltype(tag);
    using C = typename Storage<S>::C;
    return launch_elementwise<S>(DropoutBackwardOp<S>{dropout_k<C>(p)}, grad, nullptr, out, n, stream,
                                 p.offset % 4 == 0);
  });
}

cudaError_t launch_selu_dropout_forward(Dtype dtype, const void* x, void* out, size_t n,
                                        const selu::DropoutParams& p, const selu::SeluParams& s,
                                        cudaStream_t stream) {
  return dispatch_dtype(dtype, [&](auto tag) {
    using S = decltype(tag);
    using C = typename Storage<S>::C;
    const SeluDropoutForwardOp<S> op{selu_k<C>(s), dropout_k<C>(p), dropped_value<S>(p.dropped)};
    return launch_elementwise<S>(op, x, nullptr, out, n, stream, p.offset % 4 == 0);
  });
}

cudaError_t launch_selu_dropout_backward(Dtype dtype, const void* grad, const void* x, void* out, size_t n,
                                         const selu::DropoutParams& p, const selu::SeluParams& s,
                                         cudaStream_t stream) {
  return dispatch_dtype(dtype, [&](auto tag) {
    using S = decltype(tag);
    using C = typename Storage<S>::C;
    const SeluDropoutBackwardOp<S> op{selu_k<C>(s), dropout_k<C>(p)};
    return launch_elementwise<S>(op, grad, x, out, n, stream, p.offset % 4 == 0);
  });
}

}  // namespace selu_cuda
