// dtype conversion (DeviceArray.from / copyFrom with a typed array of another type): every value goes
// through double (exact for all four types) and is rounded once to the target.
#include "launch_common.cuh"

namespace selu_cuda {

namespace {

template <typename S>
__device__ double to_double(S v) {
  return static_cast<double>(Storage<S>::load(v));
}

template <typename From, typename To>
__global__ void __launch_bounds__(256) convert_kernel(const From* src, To* dst, size_t n) {
  const size_t stride = size_t{gridDim.x} * blockDim.x;
  for (size_t i = size_t{blockIdx.x} * blockDim.x + threadIdx.x; i < n; i += stride) {
    dst[i] = from_double<To>(to_double(src[i]));
  }
}

template <typename From>
cudaError_t convert_from(const void* src, Dtype to, void* dst, size_t n, cudaStream_t stream) {
  const size_t want = (n + 255) / 256;
  const unsigned blocks = static_cast<unsigned>(want < kGridStrideMaxBlocks ? want : kGridStrideMaxBlocks);
  return dispatch_dtype(to, [&](auto tag) {
    using To = decltype(tag);
    SELU_LAUNCH(blocks, 256, 0, stream, convert_kernel<From, To>)(static_cast<const From*>(src), static_cast<To*>(dst), n);
    return cudaGetLastError();
  });
}

}  // namespace

cudaError_t launch_convert(Dtype from, const void* src, Dtype to, void* dst, size_t n, cudaStream_t stream) {
  if (n == 0) return cudaSuccess;
  return dispatch_dtype(from, [&](auto tag) { return convert_from<decltype(tag)>(src, to, dst, n, stream); });
}

}  // namespace selu_cuda
