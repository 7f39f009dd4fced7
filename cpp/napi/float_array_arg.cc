#include "float_array_arg.h"

#include <cstdint>
#include <string>

#include "errors.h"

namespace selu_napi {

bool read_float_array(napi_env env, napi_value value, const char* name, FloatArrayArg* out) {
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  napi_value buffer;
  // Fails with napi_invalid_arg for anything that is not a typed array.
  if (napi_get_typedarray_info(env, value, &type, &length, &data, &buffer, nullptr) != napi_ok ||
      (type != napi_float32_array && type != napi_float64_array)) {
    return fail_type_error(env, "ERR_SELU_INVALID_ARG", std::string(name) + " must be a Float32Array or Float64Array", name);
  }
  if (length == 0) {
    // A detached buffer reads as length 0; say so rather than silently doing nothing.
    bool detached = false;
    napi_is_detached_arraybuffer(env, buffer, &detached);
    if (detached) return fail_type_error(env, "ERR_SELU_DETACHED", std::string(name) + "'s ArrayBuffer is detached", name);
  }
  *out = {type == napi_float32_array ? Dtype::kFloat32 : Dtype::kFloat64, data, length};
  return true;
}

bool DataFormat::read(napi_env env, napi_value value, const char* name, FloatArrayArg* out) const {
  if (format == 0) return read_float_array(env, value, name, out);
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  napi_value buffer;
  if (napi_get_typedarray_info(env, value, &type, &length, &data, &buffer, nullptr) != napi_ok ||
      type != napi_uint16_array) {
    return fail_type_error(env, "ERR_SELU_INVALID_ARG",
                           std::string(name) + " must be a Uint16Array (the bits of the float16 or bfloat16 data)", name);
  }
  if (length == 0) {
    bool detached = false;
    napi_is_detached_arraybuffer(env, buffer, &detached);
    if (detached) return fail_type_error(env, "ERR_SELU_DETACHED", std::string(name) + "'s ArrayBuffer is detached", name);
  }
  *out = {format == 1 ? Dtype::kFloat16 : Dtype::kBFloat16, data, length};
  return true;
}

bool read_half_format(napi_env env, napi_value value, int* format) {
  double code;
  if (!read_number(env, value, "dtype", &code)) return false;
  if (code != 1 && code != 2) {
    return fail_range_error(env, "ERR_SELU_OUT_OF_RANGE", "dtype must be 1 (float16) or 2 (bfloat16)", "dtype");
  }
  *format = static_cast<int>(code);
  return true;
}

bool read_number(napi_env env, napi_value value, const char* name, double* out) {
  if (napi_get_value_double(env, value, out) != napi_ok) {
    return fail_type_error(env, "ERR_SELU_INVALID_ARG", std::string(name) + " must be a number", name);
  }
  return true;
}

bool check_same_shape(napi_env env, const FloatArrayArg& a, const FloatArrayArg& b, const char* what, const char* argument) {
  if (a.dtype != b.dtype) return fail_type_error(env, "ERR_SELU_DTYPE_MISMATCH", std::string(what) + " must have the same dtype", argument);
  if (a.length != b.length) {
    return fail_range_error(env, "ERR_SELU_LENGTH_MISMATCH", std::string(what) + " must have the same length", argument);
  }
  return true;
}

namespace {
bool overlap_partially(const FloatArrayArg& a, const FloatArrayArg& b) {
  const auto a0 = reinterpret_cast<uintptr_t>(a.data);
  const auto b0 = reinterpret_cast<uintptr_t>(b.data);
  const uintptr_t a1 = a0 + a.length * element_size(a.dtype);
  const uintptr_t b1 = b0 + b.length * element_size(b.dtype);
  const bool disjoint = a1 <= b0 || b1 <= a0;
  const bool identical = a0 == b0 && a1 == b1;
  return !disjoint && !identical;
}
}  // namespace

bool check_no_partial_overlap(napi_env env, const FloatArrayArg& a, const FloatArrayArg& b, const char* what,
                              const char* argument) {
  if (overlap_partially(a, b)) {
    return fail_range_error(env, "ERR_SELU_OVERLAP",
                            std::string(what) + " overlap partially; pass the same array for in-place operation or a disjoint one",
                            argument);
  }
  return true;
}

bool check_out_fits(napi_env env, const FloatArrayArg& in, const FloatArrayArg& out, const char* in_name) {
  // The error texts are only built for a failing call: this runs on every call, at N = 1 too.
  if (in.dtype == out.dtype && in.length == out.length && !overlap_partially(out, in)) return true;
  const std::string name(in_name);
  return check_same_shape(env, in, out, (name + " and out").c_str(), "options.out") &&
         check_no_partial_overlap(env, out, in, ("options.out and " + name).c_str(), "options.out");
}

}  // namespace selu_napi
