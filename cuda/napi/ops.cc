// The op entry points: unwrap, order, launch (cuda/kernels/launch.h), record the stream. No arithmetic
// beyond index bookkeeping: the parameters arrive from lib/cuda/*.ts already derived (a, b, the dropped
// value from lib/theory, the SELU constants from lib/constants.ts).
#include <cstring>
#include <initializer_list>

#include "../kernels/launch.h"
#include "glue.h"

namespace selu_cuda_napi {

namespace {

using selu_cuda::Dtype;

double number(Napi::Env env, Napi::Value v, const char* name) {
  if (!v.IsNumber()) throw_type_error(env, kErrInvalidArg, std::string(name) + " must be a number");
  return v.As<Napi::Number>().DoubleValue();
}

size_t count_arg(Napi::Env env, Napi::Value v, const char* name) {
  const double d = number(env, v, name);
  if (!(d >= 0 && d <= 9007199254740991.0) || d != static_cast<double>(static_cast<uint64_t>(d))) {
    throw_type_error(env, kErrInvalidArg, std::string(name) + " must be a non-negative integer");
  }
  return static_cast<size_t>(d);
}

uint64_t u64_arg(Napi::Env env, Napi::Value v, const char* name) {
  if (!v.IsBigInt()) throw_type_error(env, kErrInvalidArg, std::string(name) + " must be a bigint");
  bool lossless = false;
  const uint64_t u = v.As<Napi::BigInt>().Uint64Value(&lossless);
  if (!lossless) throw_type_error(env, kErrInvalidArg, std::string(name) + " must be in [0, 2^64)");
  return u;
}

Dtype dtype_arg(Napi::Env env, Napi::Value v) {
  const int d = v.IsNumber() ? v.As<Napi::Number>().Int32Value() : -1;
  if (d < 0 || d > 3) throw_type_error(env, kErrInvalidArg, "bad dtype code");
  return static_cast<Dtype>(d);
}

selu::SeluParams selu_params(Napi::Env env, const Napi::CallbackInfo& info, size_t at) {
  return {number(env, info[at], "k0"), number(env, info[at + 1], "k1"), number(env, info[at + 2], "k2"),
          number(env, info[at + 3], "k3")};
}

// The buffers of one call: all on one device, each large enough for n elements of dtype.
struct Call {
  Napi::Env env;
  Dtype dtype;
  size_t n;
  std::vector<Allocation*> buffers;
  int device = -1;
  StreamPtr stream;

  Call(Napi::Env e, Dtype d, size_t count) : env(e), dtype(d), n(count) {}

  void* add(Napi::Value v, const char* name, size_t elements) {
    Allocation& a = DeviceBuffer::FromValue(env, v, name)->alloc();
    if (elements > a.bytes / selu_cuda::dtype_size(dtype)) {
      throw_type_error(env, kErrInvalidArg, std::string(name) + " holds fewer elements than the call needs");
    }
    if (device == -1) device = a.device;
    if (a.device != device) throw_type_error(env, "ERR_SELU_DEVICE_MISMATCH", "the arrays of one call must be on one device");
    buffers.push_back(&a);
    return a.ptr;
  }
  void* add(Napi::Value v, const char* name) { return add(v, name, n); }

  // Picks the stream and orders it after every buffer's earlier users.
  void begin(Napi::Value stream_value) {
    ensure_device(env, device);
    stream = stream_arg(env, stream_value, device);
    for (Allocation* a : buffers) order_before_use(env, *a, stream);
  }
  void end(cudaError_t err, const char* what) {
    if (err != cudaSuccess) throw_cuda(env, err, what);
    for (Allocation* a : buffers) mark_used(*a, stream);
  }
};

selu::DropoutParams dropout_params(Napi::Env env, const Napi::CallbackInfo& info, size_t at, bool forward) {
  selu::DropoutParams p{};
  p.seed = u64_arg(env, info[at], "seed");
  p.offset = u64_arg(env, info[at + 1], "offset");
  p.rate = number(env, info[at + 2], "rate");
  p.a = number(env, info[at + 3], "a");
  if (forward) {
    p.b = number(env, info[at + 4], "b");
    p.dropped = number(env, info[at + 5], "dropped");
  }
  // The class and code of the CPU addon's check (cpp/napi/dropout_binding.cc) and of lib/'s.
  if (!(p.rate >= 0 && p.rate < 1)) throw_range_error(env, kErrOutOfRange, "options.rate must be in [0, 1)");
  return p;
}

// The elementwise ops share one argument layout:
//   (dtype, n, inputs..., out, stream, [seed, offset, rate, a, (b, dropped)], [k0, k1, k2, k3])
//   selu(dtype, n, x, out, stream, k0, k1, k2, k3)
//   seluBackward(dtype, n, grad, x, out, stream, k0, k1, k2, k3)
//   alphaDropout(dtype, n, x, out, stream, seed, offset, rate, a, b, dropped)
//   alphaDropoutBackward(dtype, n, grad, out, stream, seed, offset, rate, a)
//   seluAlphaDropout(dtype, n, x, out, stream, seed, offset, rate, a, b, dropped, k0, k1, k2, k3)
//   seluAlphaDropoutBackward(dtype, n, grad, x, out, stream, seed, offset, rate, a, k0, k1, k2, k3)
// Each returns out. One row of this table per op; js_elementwise reads the arguments it names.
enum class DropoutArgs { kNone, kForward, kBackward };  // kForward also takes b and dropped

struct ElementwiseOp {
  const char* name;
  const char* inputs[2];  // the names of the input arrays; the second is null for one input
  DropoutArgs dropout;
  bool selu;  // takes the SELU constants k0..k3
  cudaError_t (*launch)(Dtype dtype, const void* in0, const void* in1, void* out, size_t n,
                        const selu::DropoutParams& p, const selu::SeluParams& s, cudaStream_t stream);
};

using selu::DropoutParams;
using selu::SeluParams;

constexpr ElementwiseOp kSelu{
    "selu", {"x", nullptr}, DropoutArgs::kNone, true,
    [](Dtype d, const void* x, const void*, void* out, size_t n, const DropoutParams&, const SeluParams& s,
       cudaStream_t st) { return selu_cuda::launch_selu_forward(d, x, out, n, s, st); }};
constexpr ElementwiseOp kSeluBackward{
    "seluBackward", {"gradOutput", "input"}, DropoutArgs::kNone, true,
    [](Dtype d, const void* g, const void* x, void* out, size_t n, const DropoutParams&, const SeluParams& s,
       cudaStream_t st) { return selu_cuda::launch_selu_backward(d, g, x, out, n, s, st); }};
constexpr ElementwiseOp kAlphaDropout{
    "alphaDropout", {"x", nullptr}, DropoutArgs::kForward, false,
    [](Dtype d, const void* x, const void*, void* out, size_t n, const DropoutParams& p, const SeluParams&,
       cudaStream_t st) { return selu_cuda::launch_dropout_forward(d, x, out, n, p, st); }};
constexpr ElementwiseOp kAlphaDropoutBackward{
    "alphaDropoutBackward", {"gradOutput", nullptr}, DropoutArgs::kBackward, false,
    [](Dtype d, const void* g, const void*, void* out, size_t n, const DropoutParams& p, const SeluParams&,
       cudaStream_t st) { return selu_cuda::launch_dropout_backward(d, g, out, n, p, st); }};
constexpr ElementwiseOp kSeluAlphaDropout{
    "seluAlphaDropout", {"x", nullptr}, DropoutArgs::kForward, true,
    [](Dtype d, const void* x, const void*, void* out, size_t n, const DropoutParams& p, const SeluParams& s,
       cudaStream_t st) { return selu_cuda::launch_selu_dropout_forward(d, x, out, n, p, s, st); }};
constexpr ElementwiseOp kSeluAlphaDropoutBackward{
    "seluAlphaDropoutBackward", {"gradOutput", "input"}, DropoutArgs::kBackward, true,
    [](Dtype d, const void* g, const void* x, void* out, size_t n, const DropoutParams& p, const SeluParams& s,
       cudaStream_t st) { return selu_cuda::launch_selu_dropout_backward(d, g, x, out, n, p, s, st); }};

template <const ElementwiseOp& op>
Napi::Value js_elementwise(const Napi::CallbackInfo& info) {
  Call c(info.Env(), dtype_arg(info.Env(), info[0]), count_arg(info.Env(), info[1], "n"));
  size_t at = 2;
  const void* in[2] = {nullptr, nullptr};
  for (size_t i = 0; i < 2 && op.inputs[i] != nullptr; ++i) in[i] = c.add(info[at++], op.inputs[i]);
  const size_t out_at = at++;
  void* out = c.add(info[out_at], "out");
  const size_t stream_at = at++;
  DropoutParams p{};
  if (op.dropout != DropoutArgs::kNone) {
    const bool forward = op.dropout == DropoutArgs::kForward;
    p = dropout_params(c.env, info, at, forward);
    at += forward ? 6 : 4;
  }
  SeluParams s{};
  if (op.selu) s = selu_params(c.env, info, at);
  c.begin(info[stream_at]);
  c.end(op.launch(c.dtype, in[0], in[1], out, c.n, p, s, c.stream->stream), op.name);
  return info[out_at];
}

struct MomentsCompletion : Completion {
  MomentsCompletion(Napi::Env env, size_t n, void* pinned) : Completion(env), count(n), staging(pinned) {}
  void complete(Napi::Env env) override {
    Napi::Float64Array out = Napi::Float64Array::New(env, count);
    std::memcpy(out.Data(), staging, count * sizeof(double));
    pinned_release(env, staging, count * sizeof(double));
    deferred.Resolve(out);
  }
  size_t count;
  void* staging;
};

// moments(dtype, x, rows, cols, axis, correction, stream, out | null, k0, k1, k2, k3)
//   → Promise<Float64Array>: groups means, then groups variances. With out, out = selu(x) and the
//   moments are those of out.
Napi::Value js_moments(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const size_t rows = count_arg(env, info[2], "rows"), cols = count_arg(env, info[3], "cols");
  const int axis = static_cast<int>(number(env, info[4], "axis"));
  const int correction = static_cast<int>(number(env, info[5], "correction"));
  if (rows == 0 || cols == 0 || (axis != -1 && axis != 0 && axis != 1) || (correction != 0 && correction != 1)) {
    throw_type_error(env, kErrInvalidArg, "bad moments shape");
  }
  Call c(env, dtype_arg(env, info[0]), rows * cols);
  if (rows != 0 && c.n / rows != cols) throw_type_error(env, kErrInvalidArg, "rows × cols overflows");
  const void* x = c.add(info[1], "x");
  const bool fused = !info[7].IsNull() && !info[7].IsUndefined();
  void* out = fused ? c.add(info[7], "out") : nullptr;
  selu::SeluParams s{};
  if (fused) s = selu_params(env, info, 8);
  c.begin(info[6]);
  const size_t groups = selu_cuda::moments_groups(rows, cols, axis);
  const size_t result_bytes = 2 * groups * sizeof(double);
  const size_t ws_bytes = (selu_cuda::moments_workspace_bytes(rows, cols, axis) + 255) / 256 * 256;
  void* staging = pinned_acquire(env, result_bytes);
  bool pooled = false;
  void* ws = nullptr;
  try {
    ws = device_alloc(env, c.device, ws_bytes + result_bytes, c.stream->stream, &pooled);
  } catch (...) {
    pinned_release(env, staging, result_bytes);
    throw;
  }
  double* result = reinterpret_cast<double*>(static_cast<uint8_t*>(ws) + ws_bytes);
  cudaError_t err = selu_cuda::launch_moments(c.dtype, x, out, rows, cols, axis, correction, fused ? &s : nullptr, ws, result,
                                              c.stream->stream);
  if (err == cudaSuccess) err = cudaMemcpyAsync(staging, result, result_bytes, cudaMemcpyDeviceToHost, c.stream->stream);
  device_free(ws, pooled, c.stream->stream);
  if (err != cudaSuccess) {
    pinned_release(env, staging, result_bytes);  // not yet written: the failed launch enqueued nothing after it
    throw_cuda(env, err, fused ? "seluMoments" : "moments");
  }
  c.end(cudaSuccess, "moments");
  return enqueue_completion(env, c.stream, new MomentsCompletion(env, 2 * groups, staging));
}

}  // namespace

void register_ops(Napi::Env env, Napi::Object exports) {
  set_functions(env, exports,
                {{kSelu.name, js_elementwise<kSelu>}, {kSeluBackward.name, js_elementwise<kSeluBackward>},
                 {kAlphaDropout.name, js_elementwise<kAlphaDropout>},
                 {kAlphaDropoutBackward.name, js_elementwise<kAlphaDropoutBackward>},
                 {kSeluAlphaDropout.name, js_elementwise<kSeluAlphaDropout>},
                 {kSeluAlphaDropoutBackward.name, js_elementwise<kSeluAlphaDropoutBackward>},
                 {"moments", js_moments}});
}

}  // namespace selu_cuda_napi
