#include "float_array_arg.h"

#include <cstdint>
#include <string>

#include "errors.h"

namespace selu_napi {

FloatArrayArg float_array_arg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  napi_env env = info.Env();
  napi_value value = info[index];
  bool is_typed_array = false;
  if (napi_is_typedarray(env, value, &is_typed_array) != napi_ok || !is_typed_array) {
    throw_type_error(info.Env(), "ERR_SELU_INVALID_ARG", std::string(name) + " must be a Float32Array or Float64Array");
  }
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  napi_value buffer;
  size_t byte_offset = 0;
  if (napi_get_typedarray_info(env, value, &type, &length, &data, &buffer, &byte_offset) != napi_ok) {
    throw_type_error(info.Env(), "ERR_SELU_INVALID_ARG", std::string(name) + " could not be read");
  }
  if (type != napi_float32_array && type != napi_float64_array) {
    throw_type_error(info.Env(), "ERR_SELU_INVALID_ARG", std::string(name) + " must be a Float32Array or Float64Array");
  }
  if (length == 0) {
    // A detached buffer reads as length 0; say so rather than silently doing nothing.
    bool detached = false;
    napi_is_detached_arraybuffer(env, buffer, &detached);
    if (detached) {
      throw_type_error(info.Env(), "ERR_SELU_DETACHED", std::string(name) + "'s ArrayBuffer is detached");
    }
  }
  return {type == napi_float32_array ? Dtype::kFloat32 : Dtype::kFloat64, data, length};
}

void require_same_shape(Napi::Env env, const FloatArrayArg& a, const FloatArrayArg& b, const char* what) {
  if (a.dtype != b.dtype) throw_type_error(env, "ERR_SELU_DTYPE_MISMATCH", std::string(what) + " must have the same dtype");
  if (a.length != b.length) {
    throw_range_error(env, "ERR_SELU_LENGTH_MISMATCH", std::string(what) + " must have the same length");
  }
}

void require_no_partial_overlap(Napi::Env env, const FloatArrayArg& a, const FloatArrayArg& b, const char* what) {
  const auto a0 = reinterpret_cast<uintptr_t>(a.data);
  const auto b0 = reinterpret_cast<uintptr_t>(b.data);
  const uintptr_t a1 = a0 + a.length * element_size(a.dtype);
  const uintptr_t b1 = b0 + b.length * element_size(b.dtype);
  const bool disjoint = a1 <= b0 || b1 <= a0;
  const bool identical = a0 == b0 && a1 == b1;
  if (!disjoint && !identical) {
    throw_range_error(env, "ERR_SELU_OVERLAP", std::string(what) + " overlap partially");
  }
}

double number_arg(const Napi::CallbackInfo& info, size_t index, const char* name) {
  double v;
  if (napi_get_value_double(info.Env(), info[index], &v) != napi_ok) {
    throw_type_error(info.Env(), "ERR_SELU_INVALID_ARG", std::string(name) + " must be a number");
  }
  return v;
}

}  // namespace selu_napi
