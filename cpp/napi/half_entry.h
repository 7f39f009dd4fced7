// The 16-bit twin of an entry point (issue 14): name16(format, ...args) takes the format code
// (1: float16, 2: bfloat16) first and then exactly the arguments of `name`, with Uint16Arrays of the
// raw bits where `name` takes Float32Array/Float64Array data. The same Call struct does both: its
// data arrays are read through DataFormat (float_array_arg.h), and run() picks the 16-bit overloads
// of the ops (cpp/half/half_ops.h) by element type.
#pragma once

#include <napi.h>

#include <string>

#include "async_job.h"
#include "float_array_arg.h"

namespace selu_napi {

template <typename Call>
struct HalfCall : Call {
  static constexpr size_t kResultArg = Call::kResultArg + 1;

  static bool unwrap(napi_env env, const napi_value* argv, HalfCall* c) {
    return read_half_format(env, argv[0], &c->format) && Call::unwrap(env, argv + 1, c);
  }
};

// Exports `name`, `name`Async, `name`16 and `name`16Async (kArrays: as export_op's, for `name`).
template <typename Call, size_t kArrays>
void export_op_and_16bit_twin(Napi::Env env, Napi::Object exports, const char* name) {
  export_op<Call, kArrays>(env, exports, name);
  export_op<HalfCall<Call>, kArrays + 1>(env, exports, (std::string(name) + "16").c_str());
}

}  // namespace selu_napi
