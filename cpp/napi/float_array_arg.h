// Unwraps a Float32Array/Float64Array argument to a raw pointer and length.
#pragma once

#include <napi.h>

#include <cstddef>

namespace selu_napi {

enum class Dtype { kFloat32, kFloat64 };

struct FloatArrayArg {
  Dtype dtype;
  void* data;     // may be null when length is 0
  size_t length;  // elements
};

// Throws TypeError (ERR_SELU_INVALID_ARG) unless info[index] is a Float32Array or Float64Array, and
// TypeError (ERR_SELU_DETACHED) when its buffer has been detached.
FloatArrayArg float_array_arg(const Napi::CallbackInfo& info, size_t index, const char* name);

// Throws unless the arrays share a dtype and a length.
void require_same_shape(Napi::Env env, const FloatArrayArg& a, const FloatArrayArg& b, const char* what);

// Throws unless two arrays are either the same memory exactly or disjoint.
void require_no_partial_overlap(Napi::Env env, const FloatArrayArg& a, const FloatArrayArg& b, const char* what);

double number_arg(const Napi::CallbackInfo& info, size_t index, const char* name);

inline size_t element_size(Dtype d) { return d == Dtype::kFloat32 ? 4 : 8; }

}  // namespace selu_napi
