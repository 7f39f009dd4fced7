// N-API entry points for SELU forward and backward: unwrap, check, call selu_ops. No arithmetic here.
//
//   selu(x, out, ...k) -> out                  seluAsync(x, out, ...k) -> Promise<out>
//   seluBackward(grad, x, out, ...k) -> out    seluBackwardAsync(grad, x, out, ...k) -> Promise<out>
// and the 16-bit twins selu16(format, x, out, ...k), seluBackward16(format, grad, x, out, ...k) and
// their Async forms (half_entry.h), on Uint16Arrays.
// where ...k = scaleHi, scaleLo, scaleAlphaHi, scaleAlphaLo (lib/constants.ts, seluKernelConstants).
#include "../selu/selu_ops.h"
#include "async_job.h"
#include "bindings.h"
#include "float_array_arg.h"
#include "../half/half_ops.h"
#include "half_entry.h"
#include "selu_params_arg.h"
#include "sync_entry.h"

namespace selu_napi {

namespace {

struct ForwardCall : DataFormat {
  static constexpr size_t kResultArg = 1;
  FloatArrayArg x, out;
  selu::SeluParams params;

  static bool unwrap(napi_env env, const napi_value* argv, ForwardCall* c) {
    return c->read(env, argv[0], "x", &c->x) && c->read(env, argv[1], "options.out", &c->out) &&
           read_selu_params(env, argv + 2, &c->params) && check_out_fits(env, c->x, c->out, "x");
  }

  void run() const {
    by_dtype(x.dtype, [&](auto t) { selu::selu_forward(x.as(t), out.as(t), x.length, params); });
  }
};

struct BackwardCall : DataFormat {
  static constexpr size_t kResultArg = 2;
  FloatArrayArg grad, x, out;
  selu::SeluParams params;

  static bool unwrap(napi_env env, const napi_value* argv, BackwardCall* c) {
    return c->read(env, argv[0], "gradOutput", &c->grad) && c->read(env, argv[1], "input", &c->x) &&
           c->read(env, argv[2], "options.out", &c->out) && read_selu_params(env, argv + 3, &c->params) &&
           check_same_shape(env, c->grad, c->x, "gradOutput and input", "input") &&
           check_out_fits(env, c->grad, c->out, "gradOutput") &&
           check_no_partial_overlap(env, c->out, c->x, "options.out and input", "options.out");
  }

  void run() const {
    by_dtype(x.dtype, [&](auto t) { selu::selu_backward(grad.as(t), x.as(t), out.as(t), x.length, params); });
  }
};

}  // namespace

void register_selu(Napi::Env env, Napi::Object exports) {
  export_op_and_16bit_twin<ForwardCall, 2>(env, exports, "selu");
  export_op_and_16bit_twin<BackwardCall, 3>(env, exports, "seluBackward");
}

}  // namespace selu_napi
