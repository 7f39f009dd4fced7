// Fused SELU + alpha-dropout built from two kernels of one instruction set: SELU on a block of up to
// kSeluDropoutBlock elements into an L1-resident buffer, then dropout from that buffer into `out`.
// Memory traffic is that of one pass (x read once, out written once); the buffer never leaves L1.
// By construction the result equals dropout(selu(x)) of the same instruction set bit for bit.
// Used by the scalar table, whose SELU exists only as whole-array kernels; the SIMD tables fuse in
// registers with selu_math_avx2.h / selu_math_avx512.h.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <algorithm>

#include "../selu/selu_kernels.h"
#include "dropout_kernels.h"

namespace selu {

// A multiple of 32 elements, so the output alignment seen by each dropout call is the same.
constexpr size_t kSeluDropoutBlock = 1024;

template <typename T>
void selu_dropout_forward_blocked(SeluForwardFn<T> selu_fn, DropoutForwardFn<T> dropout_fn, const T* x, T* out,
                                  size_t n, uint64_t first, const DropoutConstants<T>& c, const SeluConstants<T>& s,
                                  bool stream) {
  alignas(64) T buffer[kSeluDropoutBlock];
  for (size_t begin = 0; begin < n; begin += kSeluDropoutBlock) {
    const size_t count = std::min(kSeluDropoutBlock, n - begin);
    selu_fn(x + begin, buffer, count, s, false);
    dropout_fn(buffer, out + begin, count, first + begin, c, stream);
  }
}

template <typename T>
void selu_dropout_backward_blocked(SeluBackwardFn<T> selu_fn, DropoutBackwardFn<T> dropout_fn, const T* grad,
                                   const T* x, T* out, size_t n, uint64_t first, const DropoutConstants<T>& c,
                                   const SeluConstants<T>& s, bool stream) {
  alignas(64) T buffer[kSeluDropoutBlock];
  for (size_t begin = 0; begin < n; begin += kSeluDropoutBlock) {
    const size_t count = std::min(kSeluDropoutBlock, n - begin);
    selu_fn(grad + begin, x + begin, buffer, count, s, false);
    dropout_fn(buffer, out + begin, count, first + begin, c, stream);
  }
}

}  // namespace selu
