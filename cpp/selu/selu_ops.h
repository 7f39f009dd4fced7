// SELU over whole arrays: picks the kernel table for the active SIMD level, splits the work over
// the thread pool and decides on streaming stores. This is what the N-API glue and the native tests call.
#pragma once

#include <cstddef>

#include "selu_params.h"

namespace selu {

template <typename T>
void selu_forward(const T* x, T* out, size_t n, const SeluParams& params);

template <typename T>
void selu_backward(const T* grad, const T* x, T* out, size_t n, const SeluParams& params);

}  // namespace selu
