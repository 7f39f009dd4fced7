// Host-side entry points of the CUDA kernels: the N-API glue (cuda/napi) calls these with device
// pointers, a length and a stream; they pick the template instance for the dtype, derive the kernel
// constants from the call's parameters and enqueue the kernels. Nothing here waits for the GPU.
// Each returns the launch error (cudaSuccess when enqueued).
#pragma once

#include <cuda_runtime_api.h>
#include <stddef.h>

#include "../../cpp/dropout/dropout_params.h"
#include "../../cpp/selu/selu_params.h"
#include "../common/dtypes.h"

namespace selu_cuda {

cudaError_t launch_selu_forward(Dtype dtype, const void* x, void* out, size_t n, const selu::SeluParams& s,
                                cudaStream_t stream);
cudaError_t launch_selu_backward(Dtype dtype, const void* grad, const void* x, void* out, size_t n,
                                 const selu::SeluParams& s, cudaStream_t stream);
cudaError_t launch_dropout_forward(Dtype dtype, const void* x, void* out, size_t n, const selu::DropoutParams& p,
                                   cudaStream_t stream);
cudaError_t launch_dropout_backward(Dtype dtype, const void* grad, void* out, size_t n,
                                    const selu::DropoutParams& p, cudaStream_t stream);
cudaError_t launch_selu_dropout_forward(Dtype dtype, const void* x, void* out, size_t n,
                                        const selu::DropoutParams& p, const selu::SeluParams& s,
                                        cudaStream_t stream);
cudaError_t launch_selu_dropout_backward(Dtype dtype, const void* grad, const void* x, void* out, size_t n,
                                         const selu::DropoutParams& p, const selu::SeluParams& s,
                                         cudaStream_t stream);

// dst[i] = src[i] converted (rounded to nearest even where it narrows); src and dst must not overlap.
cudaError_t launch_convert(Dtype from, const void* src, Dtype to, void* dst, size_t n, cudaStream_t stream);

// Bytes of device workspace launch_moments needs for this shape (axis −1, 0 or 1).
size_t moments_workspace_bytes(size_t rows, size_t cols, int axis);
size_t moments_groups(size_t rows, size_t cols, int axis);

// Mean and variance of x (rows × cols, row-major) over all values (axis −1), per column (0) or per row
// (1), written to result[0 .. groups) (means) and result[groups .. 2·groups) (variances), device
// memory. With selu != nullptr, out = selu(x) is written too and the moments are those of out.
cudaError_t launch_moments(Dtype dtype, const void* x, void* out, size_t rows, size_t cols, int axis, int correction,
                           const selu::SeluParams* selu, void* workspace, double* result, cudaStream_t stream);

// Benchmark baseline (bench.cu): reads `bytes` (a multiple of 16) at p; `sink` needs one word per block
// (8 blocks per multiprocessor at most).
cudaError_t launch_read(const void* p, size_t bytes, void* sink, int sms, cudaStream_t stream);

}  // namespace selu_cuda
