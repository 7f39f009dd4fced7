// Reads the four SELU kernel constants (lib/constants.ts, seluKernelConstants) from info[first..first+3].
#pragma once

#include <napi.h>

#include "../selu/selu_params.h"
#include "float_array_arg.h"

namespace selu_napi {

inline selu::SeluParams selu_params_arg(const Napi::CallbackInfo& info, size_t first) {
  return {number_arg(info, first, "scaleHi"), number_arg(info, first + 1, "scaleLo"),
          number_arg(info, first + 2, "scaleAlphaHi"), number_arg(info, first + 3, "scaleAlphaLo")};
}

}  // namespace selu_napi
