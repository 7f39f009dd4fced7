// Alpha-dropout over whole arrays: picks the kernel table for the active SIMD level, splits the work
// over the thread pool (each chunk gets its own global stream index, so results do not depend on the
// split) and decides on streaming stores. This is what the N-API glue and the native tests call.
//
// Preconditions (checked by the glue): 0 ≤ rate < 1 and offset + n < 2^64.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "../selu/selu_params.h"
#include "dropout_params.h"

namespace selu {

template <typename T>
void alpha_dropout_forward(const T* x, T* out, size_t n, const DropoutParams& p);

template <typename T>
void alpha_dropout_backward(const T* grad, T* out, size_t n, const DropoutParams& p);

void alpha_dropout_mask(uint8_t* mask, size_t n, uint64_t seed, uint64_t offset, double rate);

template <typename T>
void selu_alpha_dropout_forward(const T* x, T* out, size_t n, const DropoutParams& p, const SeluParams& s);

template <typename T>
void selu_alpha_dropout_backward(const T* grad, const T* x, T* out, size_t n, const DropoutParams& p,
                                 const SeluParams& s);

}  // namespace selu
