// Unwraps Float32Array/Float64Array and number arguments to raw pointers, lengths and doubles.
//
// Each check comes in two forms: read_* uses plain Node-API and on failure leaves a pending JS
// exception and returns false (for the synchronous entry points, where Node 20's per-call cost is the
// whole budget at small sizes); the *_arg forms wrap them for node-addon-api code and throw.
#pragma once

#include <napi.h>

#include <cstddef>

#include "../half/half_format.h"

namespace selu_napi {

// kFloat16 and kBFloat16: a Uint16Array of the raw bits, read for the 16-bit entry points only.
enum class Dtype { kFloat32, kFloat64, kFloat16, kBFloat16 };

struct FloatArrayArg {
  Dtype dtype;
  void* data;     // may be null when length is 0
  size_t length;  // elements

  // The elements as T (by_dtype's tag), which dtype must be.
  template <typename T>
  T* as(T) const { return static_cast<T*>(data); }
};

inline size_t element_size(Dtype d) {
  switch (d) {
    case Dtype::kFloat32: return 4;
    case Dtype::kFloat64: return 8;
    default: return 2;
  }
}

// fn(T{}) with T the element type of dtype: float, double, selu::Float16 or selu::BFloat16.
template <typename Fn>
void by_dtype(Dtype dtype, const Fn& fn) {
  switch (dtype) {
    case Dtype::kFloat32: return fn(float{});
    case Dtype::kFloat64: return fn(double{});
    case Dtype::kFloat16: return fn(selu::Float16{});
    case Dtype::kBFloat16: return fn(selu::BFloat16{});
  }
}

// Every error names the argument it is about in `error.argument` (`name` here, the public name such as
// "x" or "options.out"): lib/ validates first, but a getter run during that validation can still
// detach an array or an impostor can slip through, and the errors must then be as documented.

// TypeError ERR_SELU_INVALID_ARG unless `value` is a Float32Array or Float64Array; TypeError
// ERR_SELU_DETACHED when its buffer has been detached.
bool read_float_array(napi_env env, napi_value value, const char* name, FloatArrayArg* out);

// The data arrays of a call: Float32Array/Float64Array (read_float_array) for the float entry points
// (format 0); for the 16-bit ones, whose first argument is the format code (1: float16, 2: bfloat16),
// a Uint16Array of the raw bits, else TypeError ERR_SELU_INVALID_ARG (ERR_SELU_DETACHED as above).
struct DataFormat {
  int format = 0;

  bool read(napi_env env, napi_value value, const char* name, FloatArrayArg* out) const;
};

// The format code argument of a 16-bit entry point: TypeError ERR_SELU_INVALID_ARG unless a number,
// RangeError ERR_SELU_OUT_OF_RANGE unless 1 or 2; both name "dtype".
bool read_half_format(napi_env env, napi_value value, int* format);

// TypeError ERR_SELU_INVALID_ARG unless `value` is a number.
bool read_number(napi_env env, napi_value value, const char* name, double* out);

// TypeError ERR_SELU_DTYPE_MISMATCH / RangeError ERR_SELU_LENGTH_MISMATCH (naming `argument`, b's name) unless the arrays match.
bool check_same_shape(napi_env env, const FloatArrayArg& a, const FloatArrayArg& b, const char* what, const char* argument);

// RangeError ERR_SELU_OVERLAP unless two arrays are either the same memory exactly or disjoint. This is
// the library's only overlap check: comparing addresses also catches two SharedArrayBuffer objects
// over the same memory, which JS cannot see. `argument` (e.g. "options.out") becomes error.argument.
bool check_no_partial_overlap(napi_env env, const FloatArrayArg& a, const FloatArrayArg& b, const char* what,
                              const char* argument = nullptr);

// options.out for the input named in_name (e.g. "x"): check_same_shape (what: "<in_name> and out"), then
// check_no_partial_overlap (what: "options.out and <in_name>"), both naming options.out.
bool check_out_fits(napi_env env, const FloatArrayArg& in, const FloatArrayArg& out, const char* in_name);

}  // namespace selu_napi
