// Timing support for the GPU benchmark (bench/gpu/bench.mjs): CUDA events, and the read-bandwidth
// baseline kernel. Not part of the public API (lib/ does not use these).
#include "../kernels/launch.h"
#include "glue.h"

namespace selu_cuda_napi {

namespace {

struct Event {
  cudaEvent_t ev = nullptr;
  int device = 0;
};

Event* event_arg(Napi::Env env, Napi::Value v) {
  if (!v.IsExternal()) throw_type_error(env, kErrInvalidArg, "expected an event handle");
  return v.As<Napi::External<Event>>().Data();
}

// eventCreate(device) → handle
Napi::Value js_event_create(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int device = info[0].As<Napi::Number>().Int32Value();
  ensure_device(env, device);
  Event* e = new Event{nullptr, device};
  const cudaError_t err = cudaEventCreate(&e->ev);
  if (err != cudaSuccess) {
    delete e;
    throw_cuda(env, err, "cudaEventCreate");
  }
  return Napi::External<Event>::New(env, e, [](Napi::Env, Event* ev) {
    cudaEventDestroy(ev->ev);
    delete ev;
  });
}

// eventRecord(handle, stream)
Napi::Value js_event_record(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Event* e = event_arg(env, info[0]);
  ensure_device(env, e->device);
  const StreamPtr s = stream_arg(env, info[1], e->device);
  const cudaError_t err = cudaEventRecord(e->ev, s->stream);
  if (err != cudaSuccess) throw_cuda(env, err, "cudaEventRecord");
  return env.Undefined();
}

// eventElapsed(start, stop) → milliseconds (waits for stop)
Napi::Value js_event_elapsed(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Event* a = event_arg(env, info[0]);
  Event* b = event_arg(env, info[1]);
  cudaError_t err = cudaEventSynchronize(b->ev);
  float ms = 0;
  if (err == cudaSuccess) err = cudaEventElapsedTime(&ms, a->ev, b->ev);
  if (err != cudaSuccess) throw_cuda(env, err, "cudaEventElapsedTime");
  return Napi::Number::New(env, ms);
}

// readBandwidth(handle, bytes, sinkHandle, stream): the read-only baseline kernel.
Napi::Value js_read(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Allocation& a = DeviceBuffer::FromValue(env, info[0], "the array")->alloc();
  const double bytes = info[1].As<Napi::Number>().DoubleValue();
  Allocation& sink = DeviceBuffer::FromValue(env, info[2], "the sink")->alloc();
  if (!(bytes >= 0) || bytes > static_cast<double>(a.bytes)) throw_type_error(env, kErrInvalidArg, "bad byte count");
  ensure_device(env, a.device);
  const StreamPtr s = stream_arg(env, info[3], a.device);
  order_before_use(env, a, s);
  order_before_use(env, sink, s);
  int sms = 0;
  cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, a.device);
  if (sink.bytes < static_cast<size_t>(sms) * 8 * 4) throw_type_error(env, kErrInvalidArg, "the sink is too small");
  const cudaError_t err = selu_cuda::launch_read(a.ptr, static_cast<size_t>(bytes) / 16 * 16, sink.ptr, sms, s->stream);
  if (err != cudaSuccess) throw_cuda(env, err, "read kernel");
  mark_used(a, s);
  mark_used(sink, s);
  return env.Undefined();
}

}  // namespace

void register_bench(Napi::Env env, Napi::Object exports) {
  Napi::Object b = Napi::Object::New(env);
  set_functions(env, b,
                {{"eventCreate", js_event_create}, {"eventRecord", js_event_record},
                 {"eventElapsed", js_event_elapsed}, {"readBandwidth", js_read}});
  exports.Set("bench", b);
}

}  // namespace selu_cuda_napi
