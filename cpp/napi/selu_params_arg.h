// Reads the four SELU kernel constants (lib/constants.ts, seluKernelConstants) from four arguments.
#pragma once

#include <napi.h>

#include "../selu/selu_params.h"
#include "float_array_arg.h"

namespace selu_napi {

inline bool read_selu_params(napi_env env, const napi_value* argv, selu::SeluParams* p) {
  return read_number(env, argv[0], "scaleHi", &p->scale_hi) && read_number(env, argv[1], "scaleLo", &p->scale_lo) &&
         read_number(env, argv[2], "scaleAlphaHi", &p->scale_alpha_hi) &&
         read_number(env, argv[3], "scaleAlphaLo", &p->scale_alpha_lo);
}

// node-addon-api form: info[first..first+3], throwing on failure.
inline selu::SeluParams selu_params_arg(const Napi::CallbackInfo& info, size_t first) {
  return {number_arg(info, first, "scaleHi"), number_arg(info, first + 1, "scaleLo"),
          number_arg(info, first + 2, "scaleAlphaHi"), number_arg(info, first + 3, "scaleAlphaLo")};
}

}  // namespace selu_napi
