// N-API entry points for the 16-bit conversions: unwrap, check, call half_ops. No arithmetic here.
//
//   toFloat32(format, src: Uint16Array, dst: Float32Array) -> dst      exact widening
//   fromFloat32(format, src: Float32Array, dst: Uint16Array) -> dst    round to nearest even, NaN kept NaN
// format: 1 float16, 2 bfloat16. The arrays must have the same length and must not overlap.
#include <stdint.h>

#include "../half/half_ops.h"
#include "bindings.h"
#include "errors.h"
#include "float_array_arg.h"
#include "sync_entry.h"

namespace selu_napi {

namespace {

// toFloat32 (kWiden) or fromFloat32: the format, the source x and the destination options.out, one
// a Uint16Array and the other a Float32Array of the same length, not overlapping.
template <bool kWiden>
struct ConversionCall {
  static constexpr size_t kResultArg = 2;
  DataFormat half;
  FloatArrayArg wide, narrow;

  static bool unwrap(napi_env env, const napi_value* argv, ConversionCall* c) {
    if (!read_half_format(env, argv[0], &c->half.format)) return false;
    const bool read = kWiden ? c->half.read(env, argv[1], "x", &c->narrow) && read_float_array(env, argv[2], "options.out", &c->wide)
                             : read_float_array(env, argv[1], "x", &c->wide) && c->half.read(env, argv[2], "options.out", &c->narrow);
    if (!read) return false;
    if (c->wide.dtype != Dtype::kFloat32) {
      return fail_type_error(env, "ERR_SELU_INVALID_ARG", "the float side of a conversion must be a Float32Array",
                             kWiden ? "options.out" : "x");
    }
    if (c->wide.length != c->narrow.length) {
      return fail_range_error(env, "ERR_SELU_LENGTH_MISMATCH", "x and options.out must have the same length", "options.out");
    }
    // The two sides differ in size, so any overlap is partial: a conversion cannot run in place.
    const auto w0 = reinterpret_cast<uintptr_t>(c->wide.data), n0 = reinterpret_cast<uintptr_t>(c->narrow.data);
    const size_t n = c->wide.length;
    if (n != 0 && w0 < n0 + 2 * n && n0 < w0 + 4 * n) {
      return fail_range_error(env, "ERR_SELU_OVERLAP", "x and options.out overlap; a conversion needs a separate output array",
                              "options.out");
    }
    return true;
  }
  void run() const {
    const auto format = static_cast<selu::HalfFormat>(half.format);
    auto* bits = static_cast<uint16_t*>(narrow.data);
    auto* floats = static_cast<float*>(wide.data);
    if (kWiden) selu::to_float32(format, bits, floats, wide.length); else selu::from_float32(format, floats, bits, wide.length);
  }
};

}  // namespace

void register_half(Napi::Env env, Napi::Object exports) {
  exports.Set("toFloat32", Napi::Function(env, make_function(env, "toFloat32", sync_entry<ConversionCall<true>>)));
  exports.Set("fromFloat32", Napi::Function(env, make_function(env, "fromFloat32", sync_entry<ConversionCall<false>>)));
}

}  // namespace selu_napi
