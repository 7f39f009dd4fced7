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

}  // namespace selu_napi
