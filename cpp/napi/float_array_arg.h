// Unwraps Float32Array/Float64Array and number arguments to raw pointers, lengths and doubles.
//
// Each check comes in two forms: read_* uses plain Node-API and on failure leaves a pending JS
// exception and returns false (for the synchronous entry points, where Node 20's per-call cost is the
// whole budget at small sizes); the *_arg forms wrap them for node-addon-api code and throw.
#pragma once

#include <napi.h>

#include <cstddef>

namespace selu_napi {

enum class Dtype { kFloat32, kFloat64 };

struct FloatArrayArg {
  Dtype dtype;
  void* data;     // may be null when length is 0
  size_t length;  // elements

  // The elements as T (by_dtype's tag), which dtype must be.
  template <typename T>
  T* as(T) const { return static_cast<T*>(data); }
};

inline size_t element_size(Dtype d) { return d == Dtype::kFloat32 ? 4 : 8; }

// fn(T{}) with T the element type of dtype: float or double.
template <typename Fn>
void by_dtype(Dtype dtype, const Fn& fn) {
  if (dtype == Dtype::kFloat32) fn(float{}); else fn(double{});
}

// Every error names the argument it is about in `error.argument` (`name` here, the public name such as
// "x" or "options.out"): lib/ validates first, but a getter run during that validation can still
// detach an array or an impostor can slip through, and the errors must then be as documented.

// TypeError ERR_SELU_INVALID_ARG unless `value` is a Float32Array or Float64Array; TypeError
// ERR_SELU_DETACHED when its buffer has been detached.
bool read_float_array(napi_env env, napi_value value, const char* name, FloatArrayArg* out);

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
