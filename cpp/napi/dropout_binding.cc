// N-API entry points for alpha-dropout: unwrap, check, call dropout_ops. No arithmetic here: a, b and
// the dropped value come from lib/theory/dropout-parameters.ts through lib/dropout.ts.
//
//   alphaDropout(x, out, seed, offset, rate, a, b, dropped) -> out
//   alphaDropoutBackward(grad, out, seed, offset, rate, a) -> out
//   alphaDropoutMask(mask: Uint8Array, seed, offset, rate) -> mask
//   seluAlphaDropout(x, out, seed, offset, rate, a, b, dropped, ...k) -> out
//   seluAlphaDropoutBackward(grad, x, out, seed, offset, rate, a, ...k) -> out
// and an ...Async variant of each returning Promise<out>, and (but for the mask) a 16-bit twin of each,
// name16(format, ...the same arguments, on Uint16Arrays) and name16Async (half_entry.h). seed and offset are BigInts in [0, 2^64);
// ...k = the four SELU kernel constants (lib/constants.ts, seluKernelConstants).
#include <stdint.h>

#include "../dropout/dropout_ops.h"
#include "async_job.h"
#include "bindings.h"
#include "errors.h"
#include "float_array_arg.h"
#include "../half/half_ops.h"
#include "half_entry.h"
#include "selu_params_arg.h"
#include "sync_entry.h"

namespace selu_napi {

namespace {

bool read_uint64(napi_env env, napi_value value, const char* name, uint64_t* out) {
  bool lossless = false;
  if (napi_get_value_bigint_uint64(env, value, out, &lossless) != napi_ok) {
    return fail_type_error(env, "ERR_SELU_INVALID_ARG", std::string(name) + " must be a BigInt", name);
  }
  if (!lossless) return fail_range_error(env, "ERR_SELU_OUT_OF_RANGE", std::string(name) + " must be in [0, 2^64)", name);
  return true;
}

struct ByteArrayArg {
  uint8_t* data;
  size_t length;
};

bool read_uint8_array(napi_env env, napi_value value, const char* name, ByteArrayArg* out) {
  bool is_typed_array = false;
  napi_typedarray_type type;
  void* data = nullptr;
  napi_value buffer;
  size_t byte_offset = 0;
  if (napi_is_typedarray(env, value, &is_typed_array) != napi_ok || !is_typed_array ||
      napi_get_typedarray_info(env, value, &type, &out->length, &data, &buffer, &byte_offset) != napi_ok ||
      type != napi_uint8_array) {
    return fail_type_error(env, "ERR_SELU_INVALID_ARG", std::string(name) + " must be a Uint8Array", name);
  }
  out->data = static_cast<uint8_t*>(data);
  return true;
}

// seed, offset, rate at argv[0..2], checked so that the kernels' preconditions hold whoever calls the
// addon: rate in [0, 1) makes the keep threshold well defined, offset + length < 2^64 keeps every
// stream index in range.
bool read_stream(napi_env env, const napi_value* argv, size_t length, selu::DropoutParams* p) {
  if (!read_uint64(env, argv[0], "options.seed", &p->seed) || !read_uint64(env, argv[1], "options.offset", &p->offset) ||
      !read_number(env, argv[2], "options.rate", &p->rate)) {
    return false;
  }
  if (!(p->rate >= 0 && p->rate < 1)) return fail_range_error(env, "ERR_SELU_OUT_OF_RANGE", "options.rate must be in [0, 1)", "options.rate");
  if (p->offset > UINT64_MAX - length) {
    return fail_range_error(env, "ERR_SELU_OUT_OF_RANGE", "offset + length must be less than 2^64", "options.offset");
  }
  return true;
}

struct ForwardCall : DataFormat {
  static constexpr size_t kResultArg = 1;
  FloatArrayArg x, out;
  selu::DropoutParams p;

  static bool unwrap(napi_env env, const napi_value* argv, ForwardCall* c) {
    return c->read(env, argv[0], "x", &c->x) && c->read(env, argv[1], "options.out", &c->out) &&
           check_out_fits(env, c->x, c->out, "x") &&
           read_stream(env, argv + 2, c->x.length, &c->p) && read_number(env, argv[5], "a", &c->p.a) &&
           read_number(env, argv[6], "b", &c->p.b) && read_number(env, argv[7], "dropped", &c->p.dropped);
  }
  void run() const {
    by_dtype(x.dtype, [&](auto t) { selu::alpha_dropout_forward(x.as(t), out.as(t), x.length, p); });
  }
};

struct BackwardCall : DataFormat {
  static constexpr size_t kResultArg = 1;
  FloatArrayArg grad, out;
  selu::DropoutParams p;

  static bool unwrap(napi_env env, const napi_value* argv, BackwardCall* c) {
    return c->read(env, argv[0], "gradOutput", &c->grad) && c->read(env, argv[1], "options.out", &c->out) &&
           check_out_fits(env, c->grad, c->out, "gradOutput") &&
           read_stream(env, argv + 2, c->grad.length, &c->p) && read_number(env, argv[5], "a", &c->p.a);
  }
  void run() const {
    by_dtype(grad.dtype, [&](auto t) { selu::alpha_dropout_backward(grad.as(t), out.as(t), grad.length, p); });
  }
};

struct MaskCall {
  static constexpr size_t kResultArg = 0;
  ByteArrayArg mask;
  selu::DropoutParams p;

  static bool unwrap(napi_env env, const napi_value* argv, MaskCall* c) {
    return read_uint8_array(env, argv[0], "mask", &c->mask) && read_stream(env, argv + 1, c->mask.length, &c->p);
  }
  void run() const { selu::alpha_dropout_mask(mask.data, mask.length, p.seed, p.offset, p.rate); }
};

// The arguments of alphaDropout followed by the SELU constants.
struct SeluForwardCall : DataFormat {
  static constexpr size_t kResultArg = 1;
  ForwardCall f;
  selu::SeluParams s;

  static bool unwrap(napi_env env, const napi_value* argv, SeluForwardCall* c) {
    c->f.format = c->format;
    return ForwardCall::unwrap(env, argv, &c->f) && read_selu_params(env, argv + 8, &c->s);
  }
  void run() const {
    by_dtype(f.x.dtype, [&](auto t) { selu::selu_alpha_dropout_forward(f.x.as(t), f.out.as(t), f.x.length, f.p, s); });
  }
};

struct SeluBackwardCall : DataFormat {
  static constexpr size_t kResultArg = 2;
  FloatArrayArg grad, x, out;
  selu::DropoutParams p;
  selu::SeluParams s;

  static bool unwrap(napi_env env, const napi_value* argv, SeluBackwardCall* c) {
    return c->read(env, argv[0], "gradOutput", &c->grad) && c->read(env, argv[1], "input", &c->x) &&
           c->read(env, argv[2], "options.out", &c->out) &&
           check_same_shape(env, c->grad, c->x, "gradOutput and input", "input") &&
           check_out_fits(env, c->grad, c->out, "gradOutput") &&
           check_no_partial_overlap(env, c->out, c->x, "options.out and input", "options.out") &&
           read_stream(env, argv + 3, c->grad.length, &c->p) && read_number(env, argv[6], "a", &c->p.a) &&
           read_selu_params(env, argv + 7, &c->s);
  }
  void run() const {
    by_dtype(grad.dtype, [&](auto t) { selu::selu_alpha_dropout_backward(grad.as(t), x.as(t), out.as(t), grad.length, p, s); });
  }
};

}  // namespace

void register_dropout(Napi::Env env, Napi::Object exports) {
  export_op_and_16bit_twin<ForwardCall, 2>(env, exports, "alphaDropout");
  export_op_and_16bit_twin<BackwardCall, 2>(env, exports, "alphaDropoutBackward");
  export_op<MaskCall, 1>(env, exports, "alphaDropoutMask");
  export_op_and_16bit_twin<SeluForwardCall, 2>(env, exports, "seluAlphaDropout");
  export_op_and_16bit_twin<SeluBackwardCall, 3>(env, exports, "seluAlphaDropoutBackward");
}

}  // namespace selu_napi
