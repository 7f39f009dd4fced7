// N-API entry points for SELU forward and backward: unwrap, check, call selu_ops. No arithmetic here.
//
//   selu(x, out, ...k) -> out                  seluAsync(x, out, ...k) -> Promise<out>
//   seluBackward(grad, x, out, ...k) -> out    seluBackwardAsync(grad, x, out, ...k) -> Promise<out>
// where ...k = scaleHi, scaleLo, scaleAlphaHi, scaleAlphaLo (lib/constants.ts, seluKernelConstants).
#include <functional>

#include "../selu/selu_ops.h"
#include "async_job.h"
#include "bindings.h"
#include "float_array_arg.h"
#include "selu_params_arg.h"

namespace selu_napi {

namespace {

struct ForwardCall {
  FloatArrayArg x, out;
  selu::SeluParams params;

  static ForwardCall unwrap(const Napi::CallbackInfo& info) {
    ForwardCall c{float_array_arg(info, 0, "x"), float_array_arg(info, 1, "out"), selu_params_arg(info, 2)};
    require_same_shape(info.Env(), c.x, c.out, "x and out");
    require_no_partial_overlap(info.Env(), c.x, c.out, "x and out");
    return c;
  }

  void run() const {
    if (x.dtype == Dtype::kFloat32) {
      selu::selu_forward(static_cast<const float*>(x.data), static_cast<float*>(out.data), x.length, params);
    } else {
      selu::selu_forward(static_cast<const double*>(x.data), static_cast<double*>(out.data), x.length, params);
    }
  }
};

struct BackwardCall {
  FloatArrayArg grad, x, out;
  selu::SeluParams params;

  static BackwardCall unwrap(const Napi::CallbackInfo& info) {
    BackwardCall c{float_array_arg(info, 0, "gradOutput"), float_array_arg(info, 1, "input"),
                   float_array_arg(info, 2, "out"), selu_params_arg(info, 3)};
    require_same_shape(info.Env(), c.grad, c.x, "gradOutput and input");
    require_same_shape(info.Env(), c.grad, c.out, "gradOutput and out");
    require_no_partial_overlap(info.Env(), c.grad, c.out, "gradOutput and out");
    require_no_partial_overlap(info.Env(), c.x, c.out, "input and out");
    return c;
  }

  void run() const {
    if (x.dtype == Dtype::kFloat32) {
      selu::selu_backward(static_cast<const float*>(grad.data), static_cast<const float*>(x.data),
                          static_cast<float*>(out.data), x.length, params);
    } else {
      selu::selu_backward(static_cast<const double*>(grad.data), static_cast<const double*>(x.data),
                          static_cast<double*>(out.data), x.length, params);
    }
  }
};

Napi::Value Selu(const Napi::CallbackInfo& info) {
  ForwardCall::unwrap(info).run();
  return info[1];
}

Napi::Value SeluAsync(const Napi::CallbackInfo& info) {
  const ForwardCall call = ForwardCall::unwrap(info);
  return AsyncJob::start(info.Env(), [call] { call.run(); }, info[1], {info[0], info[1]});
}

Napi::Value SeluBackward(const Napi::CallbackInfo& info) {
  BackwardCall::unwrap(info).run();
  return info[2];
}

Napi::Value SeluBackwardAsync(const Napi::CallbackInfo& info) {
  const BackwardCall call = BackwardCall::unwrap(info);
  return AsyncJob::start(info.Env(), [call] { call.run(); }, info[2], {info[0], info[1], info[2]});
}

}  // namespace

void register_selu(Napi::Env env, Napi::Object exports) {
  exports.Set("selu", Napi::Function::New(env, Selu, "selu"));
  exports.Set("seluAsync", Napi::Function::New(env, SeluAsync, "seluAsync"));
  exports.Set("seluBackward", Napi::Function::New(env, SeluBackward, "seluBackward"));
  exports.Set("seluBackwardAsync", Napi::Function::New(env, SeluBackwardAsync, "seluBackwardAsync"));
}

}  // namespace selu_napi
