// Shared by the kernel translation units: the element-wise kernel template and the parameter
// conversions from the glue's double-precision parameters to the kernels' types.
#pragma once

#include <cuda_runtime.h>

#include <type_traits>

#include "../../cpp/random/philox4x32.h"
#include "elementwise.h"
#include "launch.h"

// The one launch syntax of the kernels: SELU_LAUNCH(grid, block, shared bytes, stream, kernel)(args...) is
// kernel<<<grid, block, shared bytes, stream>>>(args...) under nvcc, and an enqueue on the fake runtime's
// stream under the SIMT emulator (cuda/emu/simt.h, which the emulated build force-includes).
#if defined(SELU_CUDA_EMU)
#define SELU_LAUNCH(grid, block, shared, stream, ...) \
  ::selu_emu::launcher(grid, block, shared, stream, #__VA_ARGS__, __VA_ARGS__)
#else
#define SELU_LAUNCH(grid, block, shared, stream, ...) __VA_ARGS__<<<grid, block, shared, stream>>>
#endif

namespace selu_cuda {

// The most blocks a grid-stride kernel is launched with. The emulated build uses few, so that every
// thread of the tests' grids really loops (a broken stride then shows in the results).
#if defined(SELU_CUDA_EMU)
constexpr size_t kGridStrideMaxBlocks = 8;
#else
constexpr size_t kGridStrideMaxBlocks = 65536;
#endif

template <typename S, typename Op, bool kAligned>
__global__ void __launch_bounds__(kThreads) elementwise_kernel(Op op, const S* a, const S* b, S* out, size_t n) {
  elementwise_thread<S, Op, kAligned>(op, a, b, out, n, blockIdx.x, threadIdx.x, gridDim.x);
}

template <typename S, typename Op>
cudaError_t launch_elementwise(const Op& op, const void* a, const void* b, void* out, size_t n, cudaStream_t stream,
                               bool aligned) {
  if (n == 0) return cudaSuccess;
  const size_t blocks = elementwise_blocks<S>(n);
  if (blocks > 0x7fffffffu) return cudaErrorInvalidConfiguration;
  const S* pa = static_cast<const S*>(a);
  const S* pb = static_cast<const S*>(b);
  S* po = static_cast<S*>(out);
  if (!Op::kRandom || aligned) {
    SELU_LAUNCH(static_cast<unsigned>(blocks), kThreads, 0, stream, elementwise_kernel<S, Op, true>)(op, pa, pb, po, n);
  } else {
    SELU_LAUNCH(static_cast<unsigned>(blocks), kThreads, 0, stream, elementwise_kernel<S, Op, false>)(op, pa, pb, po, n);
  }
  return cudaGetLastError();
}

template <typename C>
SeluK<C> selu_k(const selu::SeluParams& p) {
  if constexpr (std::is_same<C, float>::value) {
    const selu::SeluConstants<float> c = selu::make_selu_constants_f32(p);
    return {c.scale.hi, c.scale.lo, c.scale_alpha.hi, c.scale_alpha.lo,
            static_cast<double>(c.scale_alpha.hi) + static_cast<double>(c.scale_alpha.lo)};
  } else {
    const selu::SeluConstants<double> c = selu::make_selu_constants_f64(p);
    return {c.scale.hi, c.scale.lo, c.scale_alpha.hi, c.scale_alpha.lo, c.scale_alpha.hi};
  }
}

template <typename C>
DropoutK<C> dropout_k(const selu::DropoutParams& p) {
  return {static_cast<C>(p.a), static_cast<C>(p.b), selu::philox::keep_threshold(p.rate), p.seed, p.offset};
}

// The dropped value a·α' + b, rounded once from double to S.
template <typename S>
S dropped_value(double v) {
  return from_double<S>(v);
}

// Calls f(S{}) with S the storage type of dtype.
template <typename F>
cudaError_t dispatch_dtype(Dtype dtype, F&& f) {
  switch (dtype) {
    case Dtype::kFloat32: return f(float{});
    case Dtype::kFloat64: return f(double{});
    case Dtype::kFloat16: return f(__half{});
    case Dtype::kBFloat16: return f(__nv_bfloat16{});
  }
  return cudaErrorInvalidValue;
}

// The compute type of storage type S (float for the half types).
template <typename S>
using ComputeOf = typename Storage<S>::C;

// Launches the element-wise op make(S{}) for S the storage type of dtype (make: a generic lambda that
// builds the op from the launcher's parameters).
template <typename Make>
cudaError_t launch_for_dtype(Dtype dtype, Make make, const void* a, const void* b, void* out, size_t n,
                             cudaStream_t stream, bool aligned) {
  return dispatch_dtype(dtype, [&](auto tag) {
    return launch_elementwise<decltype(tag)>(make(tag), a, b, out, n, stream, aligned);
  });
}

}  // namespace selu_cuda
