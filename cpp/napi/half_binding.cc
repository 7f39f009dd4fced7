// N-API entry points for the 16-bit conversions: unwrap, check, call half_ops. No arithmetic here.
//
//   toFloat32(format, src: Uint16Array, dst: Float32Array) -> dst      exact widening
//   fromFloat32(format, src: Float32Array, dst: Uint16Array) -> dst    round to nearest even, NaN kept NaN
// format: 1 float16, 2 bfloat16. The arrays must have the same length and must not overlap.
#include "../half/half_ops.h"
#include "bindings.h"
#include "errors.h"
#include "float_array_arg.h"
#include "sync_entry.h"

namespace selu_napi {

namespace {

// src and dst of one conversion: `wide` is the Float32Array, `narrow` the Uint16Array.
struct ConversionArgs {
  int format = 0;
  FloatArrayArg wide, narrow;

  bool check(napi_env env) const {
    if (wide.dtype != Dtype::kFloat32) {
      return fail_type_error(env, "ERR_SELU_INVALID_ARG", "the float32 side of a conversion must be a Float32Array",
                             "options.out");
    }
    if (wide.length != narrow.length) {
      return fail_range_error(env, "ERR_SELU_LENGTH_MISMATCH", "the source and options.out must have the same length",
                              "options.out");
    }
    return check_no_partial_overlap(env, wide, narrow, "the source and options.out", "options.out");
  }
  selu::HalfFormat half_format() const { return static_cast<selu::HalfFormat>(format); }
};

struct ToFloat32Call {
  static constexpr size_t kResultArg = 2;
  ConversionArgs a;

  static bool unwrap(napi_env env, const napi_value* argv, ToFloat32Call* c) {
    ConversionArgs& a = c->a;
    if (!read_half_format(env, argv[0], &a.format)) return false;
    const DataFormat half{a.format};
    return half.read(env, argv[1], "x", &a.narrow) && read_float_array(env, argv[2], "options.out", &a.wide) &&
           a.check(env);
  }
  void run() const {
    selu::to_float32(a.half_format(), static_cast<const uint16_t*>(a.narrow.data), static_cast<float*>(a.wide.data),
                     a.wide.length);
  }
};

struct FromFloat32Call {
  static constexpr size_t kResultArg = 2;
  ConversionArgs a;

  static bool unwrap(napi_env env, const napi_value* argv, FromFloat32Call* c) {
    ConversionArgs& a = c->a;
    if (!read_half_format(env, argv[0], &a.format)) return false;
    const DataFormat half{a.format};
    return read_float_array(env, argv[1], "x", &a.wide) && half.read(env, argv[2], "options.out", &a.narrow) &&
           a.check(env);
  }
  void run() const {
    selu::from_float32(a.half_format(), static_cast<const float*>(a.wide.data), static_cast<uint16_t*>(a.narrow.data),
                       a.wide.length);
  }
};

}  // namespace

void register_half(Napi::Env env, Napi::Object exports) {
  exports.Set("toFloat32", Napi::Function(env, make_function(env, "toFloat32", sync_entry<ToFloat32Call>)));
  exports.Set("fromFloat32", Napi::Function(env, make_function(env, "fromFloat32", sync_entry<FromFloat32Call>)));
}

}  // namespace selu_napi
