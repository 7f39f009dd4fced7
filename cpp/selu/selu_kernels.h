// SELU forward and backward kernels: one table of function pointers per instruction set.
//
// Kernels are pure functions over raw pointers (no Node types). They may be called on any
// sub-range of an array: every element is computed by the same instruction sequence whether it falls
// in a full vector or a masked tail, so results never depend on how the work was split.
//
// `out` may equal an input pointer exactly (in place); partial overlap is excluded by the caller.
// `stream` asks for non-temporal stores (the output will not be read again soon and exceeds the
// cache); kernels that have none ignore it. A kernel that streams ends with a store fence.
#pragma once

#include <cstddef>

#include "../common/by_precision.h"
#include "../common/simd_level.h"
#include "selu_params.h"

namespace selu {

template <typename T>
using SeluForwardFn = void (*)(const T* x, T* out, size_t n, const SeluConstants<T>& c, bool stream);

// out[i] = grad[i] * selu'(x[i]), with selu'(x) = λ for x > 0 and λ·α·eˣ otherwise (from x, not y).
template <typename T>
using SeluBackwardFn = void (*)(const T* grad, const T* x, T* out, size_t n, const SeluConstants<T>& c,
                                bool stream);

struct SeluKernelTable {
  SeluForwardFn<float> forward_f32;
  SeluForwardFn<double> forward_f64;
  SeluBackwardFn<float> backward_f32;
  SeluBackwardFn<double> backward_f64;
};

// Defined in selu_scalar.cc, selu_avx2.cc and selu_avx512.cc (the last two compiled with their ISA flags).
extern const SeluKernelTable kSeluScalar, kSeluAvx2, kSeluAvx512;

// The table for a level (never one the CPU lacks: callers pass a detected or lower level).
const SeluKernelTable& selu_kernels(SimdLevel level);

// The float or double entry of a table, for code templated on T (the fused dropout and moments kernels).
template <typename T>
SeluForwardFn<T> selu_forward_kernel(const SeluKernelTable& t) { return by_precision<T>(t.forward_f32, t.forward_f64); }
template <typename T>
SeluBackwardFn<T> selu_backward_kernel(const SeluKernelTable& t) { return by_precision<T>(t.backward_f32, t.backward_f64); }

}  // namespace selu
