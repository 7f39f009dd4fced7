// Alpha-dropout kernels: one table of function pointers per instruction set.
//
// Every kernel works on elements [0, n) of its arrays whose global stream indices are
// first, first + 1, ..., first + n − 1 (first = the call's offset + the chunk's start), and takes its
// keep decisions from cpp/random/philox4x32.h. Kernels may be called on any sub-range: each element's
// decision depends on its global index only, and each value is computed by the same instruction
// sequence in a full vector or a masked tail, so results never depend on how the work was split.
//
// `out` may equal an input pointer exactly (in place); partial overlap is excluded by the caller.
// `stream` asks for non-temporal stores; a kernel that streams ends with a store fence.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "../common/by_precision.h"
#include "../common/simd_level.h"
#include "../selu/selu_params.h"
#include "dropout_params.h"

namespace selu {

// out[i] = kept ? fma(a, x[i], b) : dropped   (a, b, dropped in T).
template <typename T>
using DropoutForwardFn = void (*)(const T* x, T* out, size_t n, uint64_t first, const DropoutConstants<T>& c,
                                  bool stream);

// out[i] = kept ? a·grad[i] : +0   (the dropped outputs do not depend on x: their gradient is exactly 0,
// even where grad is NaN or infinite).
template <typename T>
using DropoutBackwardFn = void (*)(const T* grad, T* out, size_t n, uint64_t first, const DropoutConstants<T>& c,
                                   bool stream);

// mask[i] = kept ? 1 : 0.
using DropoutMaskFn = void (*)(uint8_t* mask, size_t n, uint64_t first, uint64_t seed, uint64_t threshold);

// Fused SELU then alpha-dropout, one pass: out[i] = kept ? fma(a, selu(x[i]), b) : dropped, where
// selu(x[i]) is the value the SELU kernel of the same instruction set returns (rounded to T), so the
// result equals alphaDropout(selu(x)) bit for bit.
template <typename T>
using SeluDropoutForwardFn = void (*)(const T* x, T* out, size_t n, uint64_t first, const DropoutConstants<T>& c,
                                      const SeluConstants<T>& s, bool stream);

// Fused backward of SELU then alpha-dropout, one pass: out[i] = kept ? a·t : +0 with
// t = grad[i]·selu'(x[i]) as the SELU backward kernel of the same instruction set returns it (rounded
// to T), so the result equals alphaDropoutBackward(seluBackward(grad, x)) bit for bit.
template <typename T>
using SeluDropoutBackwardFn = void (*)(const T* grad, const T* x, T* out, size_t n, uint64_t first,
                                       const DropoutConstants<T>& c, const SeluConstants<T>& s, bool stream);

struct DropoutKernelTable {
  DropoutForwardFn<float> forward_f32;
  DropoutForwardFn<double> forward_f64;
  DropoutBackwardFn<float> backward_f32;
  DropoutBackwardFn<double> backward_f64;
  DropoutMaskFn mask;
  SeluDropoutForwardFn<float> selu_forward_f32;
  SeluDropoutForwardFn<double> selu_forward_f64;
  SeluDropoutBackwardFn<float> selu_backward_f32;
  SeluDropoutBackwardFn<double> selu_backward_f64;
};

// Defined in dropout_scalar.cc, dropout_avx2.cc and dropout_avx512.cc (the last two compiled with their ISA flags).
extern const DropoutKernelTable kDropoutScalar, kDropoutAvx2, kDropoutAvx512;

// The table for a level (never one the CPU lacks: callers pass a detected or lower level).
const DropoutKernelTable& dropout_kernels(SimdLevel level);

// The float or double entry of a table, for code templated on T.
template <typename T>
DropoutForwardFn<T> dropout_forward_kernel(const DropoutKernelTable& t) { return by_precision<T>(t.forward_f32, t.forward_f64); }
template <typename T>
DropoutBackwardFn<T> dropout_backward_kernel(const DropoutKernelTable& t) {
  return by_precision<T>(t.backward_f32, t.backward_f64);
}
template <typename T>
SeluDropoutForwardFn<T> selu_dropout_forward_kernel(const DropoutKernelTable& t) {
  return by_precision<T>(t.selu_forward_f32, t.selu_forward_f64);
}
template <typename T>
SeluDropoutBackwardFn<T> selu_dropout_backward_kernel(const DropoutKernelTable& t) {
  return by_precision<T>(t.selu_backward_f32, t.selu_backward_f64);
}

}  // namespace selu
