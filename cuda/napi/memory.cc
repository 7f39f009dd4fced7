// Device buffers, streams, stream ordering, completions (promises settled from the GPU's progress) and
// host transfers. See glue.h for the memory model.
#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>

#include "../common/dtypes.h"
#include "../kernels/launch.h"
#include "glue.h"

namespace selu_cuda_napi {

namespace {

// Tags that tell our wrapped objects apart from any other object (napi_check_object_type_tag).
constexpr napi_type_tag kBufferTag = {0x5e1a0c0da0b1f001ull, 0x8d3c1e2f4a5b6c7dull};
constexpr napi_type_tag kStreamTag = {0x5e1a0c0da0b1f002ull, 0x8d3c1e2f4a5b6c7dull};

// The completions' way back to the JS thread. A host function can run after its environment is gone
// (a worker_thread terminated with work in flight): the thread-safe function is then destroyed, so the
// host function must not touch it. `alive` is cleared, under the mutex, when it is destroyed (its
// finalizer) or released (teardown); a host function calls it only while alive, holding the mutex.
struct Bridge {
  std::mutex m;
  napi_threadsafe_function tsfn = nullptr;
  bool alive = true;
  void close() {
    std::lock_guard<std::mutex> lock(m);
    alive = false;
  }
};

// Per JS thread (per napi_env) state.
struct Instance {
  std::shared_ptr<Bridge> bridge = std::make_shared<Bridge>();
  Napi::FunctionReference buffer_ctor;
  Napi::FunctionReference stream_ctor;
  napi_threadsafe_function tsfn = nullptr;
  size_t pending = 0;  // completions enqueued and not yet run (the tsfn is ref'd while > 0)
  // Free page-locked staging buffers by size, bounded in total.
  std::multimap<size_t, void*> pinned;
  size_t pinned_bytes = 0;
};

constexpr size_t kPinnedKeep = size_t{256} << 20;  // keep at most this much free pinned memory

Instance* instance(Napi::Env env) { return env.GetInstanceData<Instance>(); }

// A cudaEvent per device per thread, re-recorded for each cross-stream dependency (a wait uses the
// record current when it is enqueued, so one event suffices).
cudaEvent_t order_event(Napi::Env env, int device) {
  thread_local std::vector<cudaEvent_t> events;
  if (events.size() <= static_cast<size_t>(device)) events.resize(device + 1, nullptr);
  if (events[device] == nullptr) {
    const cudaError_t err = cudaEventCreateWithFlags(&events[device], cudaEventDisableTiming);
    if (err != cudaSuccess) throw_cuda(env, err, "cudaEventCreate");
  }
  return events[device];
}

void host_callback(void* data);

void call_js(napi_env env, napi_value /*js_cb*/, void* /*context*/, void* data) {
  Completion* c = static_cast<Completion*>(data);
  if (env != nullptr) {
    Napi::Env e(env);
    Instance* inst = instance(e);
    try {
      try {
        c->complete(e);
      } catch (const Napi::Error& error) {
        c->deferred.Reject(error.Value());
      }
    } catch (const Napi::Error&) {
      // Settling itself failed: the environment is being torn down (a worker_thread terminated with
      // this work in flight) and can no longer make or settle values. Nothing may throw out of this
      // callback (it would terminate the process); the promise is gone with its environment.
    }
    if (inst != nullptr && inst->pending > 0 && --inst->pending == 0) napi_unref_threadsafe_function(env, inst->tsfn);
  }
  delete c;
}

struct Pending {
  std::shared_ptr<Bridge> bridge;
  Completion* completion;
};

// Runs on a CUDA driver thread: no CUDA calls allowed here, only the hand-over to the JS thread.
void host_callback(void* data) {
  Pending* p = static_cast<Pending*>(data);
  std::lock_guard<std::mutex> lock(p->bridge->m);
  if (!p->bridge->alive || napi_call_threadsafe_function(p->bridge->tsfn, p->completion, napi_tsfn_nonblocking) != napi_ok) {
    // The environment is shutting down or gone: the promise can no longer be settled; the completion
    // (which holds JS references) is leaked rather than destroyed off the JS thread.
  }
  delete p;
}

void release_pinned_all(Instance* inst) {
  for (auto& [size, p] : inst->pinned) cudaFreeHost(p);
  inst->pinned.clear();
  inst->pinned_bytes = 0;
}

void free_instance(Napi::Env, Instance* i) {
  i->bridge->close();
  if (i->tsfn != nullptr) napi_release_threadsafe_function(i->tsfn, napi_tsfn_abort);
  release_pinned_all(i);
  delete i;
}

}  // namespace

// ---- streams ---------------------------------------------------------------------------------------

StreamState::~StreamState() {
  if (owned) cudaStreamDestroy(stream);  // releases once the work in it has finished
}

StreamPtr default_stream(int device) {
  static std::mutex m;
  static std::vector<StreamPtr> streams;
  std::lock_guard<std::mutex> lock(m);
  if (streams.size() <= static_cast<size_t>(device)) streams.resize(device + 1);
  if (!streams[device]) streams[device] = StreamPtr(new StreamState{cudaStreamPerThread, device, false});
  return streams[device];
}

Napi::Function StreamRef::Define(Napi::Env env) { return DefineClass(env, "CudaStream", {}); }

StreamRef::StreamRef(const Napi::CallbackInfo& info) : Napi::ObjectWrap<StreamRef>(info) {
  napi_type_tag_object(info.Env(), info.This(), &kStreamTag);
}

StreamRef* StreamRef::FromValue(Napi::Env env, Napi::Value v) {
  bool ok = false;
  if (v.IsObject()) napi_check_object_type_tag(env, v, &kStreamTag, &ok);
  if (!ok) throw_type_error(env, kErrInvalidArg, "expected a CUDA stream handle");
  return Napi::ObjectWrap<StreamRef>::Unwrap(v.As<Napi::Object>());
}

StreamPtr stream_arg(Napi::Env env, Napi::Value v, int device) {
  if (v.IsUndefined() || v.IsNull()) return default_stream(device);
  StreamRef* r = StreamRef::FromValue(env, v);
  if (!r->ptr) throw_error(env, kErrDisposed, "the stream has been disposed");
  if (r->ptr->device != device) {
    throw_type_error(env, "ERR_SELU_DEVICE_MISMATCH", "the stream belongs to device " + std::to_string(r->ptr->device) +
                                                          ", the arrays to device " + std::to_string(device));
  }
  return r->ptr;
}

void order_before_use(Napi::Env env, Allocation& a, const StreamPtr& s) {
  if (!a.last || a.last.get() == s.get()) return;
  const cudaEvent_t ev = order_event(env, s->device);
  cudaError_t err = cudaEventRecord(ev, a.last->stream);
  if (err == cudaSuccess) err = cudaStreamWaitEvent(s->stream, ev, 0);
  if (err != cudaSuccess) throw_cuda(env, err, "cross-stream ordering");
}

void mark_used(Allocation& a, const StreamPtr& s) { a.last = s; }

// ---- allocation ------------------------------------------------------------------------------------

namespace {

bool pools_supported(int device) {
  static std::mutex m;
  static std::map<int, bool> known;
  std::lock_guard<std::mutex> lock(m);
  auto it = known.find(device);
  if (it != known.end()) return it->second;
  int v = 0;
  cudaDeviceGetAttribute(&v, cudaDevAttrMemoryPoolsSupported, device);
  if (v != 0) {
    // Keep freed memory in the pool (like a caching allocator): re-allocating the same sizes is then
    // cheap. device_alloc trims it when an allocation fails.
    cudaMemPool_t pool;
    if (cudaDeviceGetDefaultMemPool(&pool, device) == cudaSuccess) {
      uint64_t threshold = UINT64_MAX;
      cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &threshold);
    }
  }
  known[device] = v != 0;
  return v != 0;
}

cudaError_t try_alloc(void** p, size_t bytes, cudaStream_t stream, bool pooled) {
  return pooled ? cudaMallocAsync(p, bytes, stream) : cudaMalloc(p, bytes);
}

}  // namespace

void* device_alloc(Napi::Env env, int device, size_t bytes, cudaStream_t stream, bool* pooled) {
  ensure_device(env, device);
  *pooled = pools_supported(device);
  if (bytes == 0) return nullptr;
  void* p = nullptr;
  cudaError_t err = try_alloc(&p, bytes, stream, *pooled);
  if (err == cudaErrorMemoryAllocation) {
    // Let pending stream-ordered frees complete, give cached memory back, and try once more.
    cudaGetLastError();
    cudaDeviceSynchronize();
    if (*pooled) {
      cudaMemPool_t pool;
      if (cudaDeviceGetDefaultMemPool(&pool, device) == cudaSuccess) cudaMemPoolTrimTo(pool, 0);
    }
    err = try_alloc(&p, bytes, stream, *pooled);
  }
  if (err != cudaSuccess) {
    if (err == cudaErrorMemoryAllocation) {
      cudaGetLastError();
      size_t free_b = 0, total = 0;
      cudaMemGetInfo(&free_b, &total);
      throw_error(env, kErrOom, "out of GPU memory: cannot allocate " + std::to_string(bytes) + " bytes on device " +
                                    std::to_string(device) + " (" + std::to_string(free_b >> 20) + " MiB free of " +
                                    std::to_string(total >> 20) + " MiB); dispose() DeviceArrays you no longer need");
    }
    throw_cuda(env, err, "device allocation");
  }
  return p;
}

void device_free(void* ptr, bool pooled, cudaStream_t stream) {
  if (ptr == nullptr) return;
  if (pooled) {
    cudaFreeAsync(ptr, stream);
  } else {
    cudaStreamSynchronize(stream);
    cudaFree(ptr);
  }
}

// ---- DeviceBuffer ----------------------------------------------------------------------------------

Napi::Function DeviceBuffer::Define(Napi::Env env) { return DefineClass(env, "DeviceBuffer", {}); }

DeviceBuffer::DeviceBuffer(const Napi::CallbackInfo& info) : Napi::ObjectWrap<DeviceBuffer>(info), env_(info.Env()) {
  a_.device = info[0].As<Napi::Number>().Int32Value();
  napi_type_tag_object(info.Env(), info.This(), &kBufferTag);
}

void DeviceBuffer::allocate(Napi::Env env, size_t bytes) {
  a_.last = default_stream(a_.device);
  a_.ptr = device_alloc(env, a_.device, bytes, a_.last->stream, &a_.pooled);
  a_.bytes = bytes;
  if (bytes > 0) {
    int64_t ignored;  // napi_adjust_external_memory does nothing (napi_invalid_arg) without it
    napi_adjust_external_memory(env, static_cast<int64_t>(bytes), &ignored);
  }
}

DeviceBuffer::~DeviceBuffer() { release(env_); }

void DeviceBuffer::release(napi_env env) {
  if (a_.freed) return;
  a_.freed = true;
  if (a_.ptr != nullptr) {
    int current = -1;
    if (cudaGetDevice(&current) != cudaSuccess || current != a_.device) cudaSetDevice(a_.device);
    device_free(a_.ptr, a_.pooled, a_.last ? a_.last->stream : cudaStreamPerThread);
    a_.ptr = nullptr;
  }
  if (a_.bytes > 0) {
    int64_t ignored;
    napi_adjust_external_memory(env, -static_cast<int64_t>(a_.bytes), &ignored);
  }
  a_.last.reset();
}

DeviceBuffer* DeviceBuffer::FromValue(Napi::Env env, Napi::Value v, const char* name) {
  bool ok = false;
  if (v.IsObject()) napi_check_object_type_tag(env, v, &kBufferTag, &ok);
  if (!ok) throw_type_error(env, kErrInvalidArg, std::string(name) + " must be a device buffer handle");
  DeviceBuffer* b = Napi::ObjectWrap<DeviceBuffer>::Unwrap(v.As<Napi::Object>());
  if (b->a_.freed) throw_error(env, kErrDisposed, std::string(name) + " has been disposed");
  return b;
}

// ---- completions -----------------------------------------------------------------------------------

Napi::Promise enqueue_completion(Napi::Env env, const StreamPtr& s, Completion* c) {
  Instance* inst = instance(env);
  Napi::Promise promise = c->deferred.Promise();
  Pending* p = new Pending{inst->bridge, c};
  const cudaError_t err = cudaLaunchHostFunc(s->stream, host_callback, p);
  if (err != cudaSuccess) {
    delete p;
    cudaGetLastError();
    Napi::Error e = Napi::Error::New(env, std::string("CUDA error in cudaLaunchHostFunc: ") + cudaGetErrorString(err));
    e.Set("code", Napi::String::New(env, kErrCuda));
    c->deferred.Reject(e.Value());
    delete c;
    return promise;
  }
  if (inst->pending++ == 0) napi_ref_threadsafe_function(env, inst->tsfn);
  return promise;
}

void* pinned_acquire(Napi::Env env, size_t bytes) {
  Instance* inst = instance(env);
  auto it = inst->pinned.lower_bound(bytes);
  if (it != inst->pinned.end() && it->first <= 2 * bytes + 4096) {
    void* p = it->second;
    inst->pinned_bytes -= it->first;
    inst->pinned.erase(it);
    return p;
  }
  void* p = nullptr;
  cudaError_t err = cudaMallocHost(&p, bytes == 0 ? 1 : bytes);
  if (err == cudaErrorMemoryAllocation && !inst->pinned.empty()) {
    cudaGetLastError();
    release_pinned_all(inst);
    err = cudaMallocHost(&p, bytes == 0 ? 1 : bytes);
  }
  if (err != cudaSuccess) throw_cuda(env, err, "cudaMallocHost (page-locked staging memory)");
  return p;
}

void pinned_release(Napi::Env env, void* p, size_t bytes) {
  Instance* inst = instance(env);
  if (inst == nullptr || bytes > kPinnedKeep) {
    cudaFreeHost(p);
    return;
  }
  inst->pinned.emplace(bytes, p);
  inst->pinned_bytes += bytes;
  while (inst->pinned_bytes > kPinnedKeep && !inst->pinned.empty()) {
    auto it = inst->pinned.begin();  // drop the smallest first: big ones are the costly ones to pin
    inst->pinned_bytes -= it->first;
    cudaFreeHost(it->second);
    inst->pinned.erase(it);
  }
}

// ---- transfers and buffer functions ----------------------------------------------------------------

namespace {

size_t size_arg(Napi::Env env, Napi::Value v, const char* name) {
  if (!v.IsNumber()) throw_type_error(env, kErrInvalidArg, std::string(name) + " must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0 && d <= 9007199254740991.0) || d != static_cast<double>(static_cast<uint64_t>(d))) {
    throw_type_error(env, kErrInvalidArg, std::string(name) + " must be a non-negative integer");
  }
  return static_cast<size_t>(d);
}

selu_cuda::Dtype dtype_arg(Napi::Env env, Napi::Value v) {
  const int d = v.IsNumber() ? v.As<Napi::Number>().Int32Value() : -1;
  if (d < 0 || d > 3) throw_type_error(env, kErrInvalidArg, "bad dtype code");
  return static_cast<selu_cuda::Dtype>(d);
}

void check_fits(Napi::Env env, const Allocation& a, size_t n, selu_cuda::Dtype d, const char* name) {
  if (n > a.bytes / selu_cuda::dtype_size(d)) throw_type_error(env, kErrInvalidArg, std::string(name) + " is too small for the length");
}

// The bytes of a typed array argument and the dtype of its elements (Uint16Array: raw half bits, the
// dtype `raw_as`).
// napi_get_typedarray_info's data pointer (already at the view's offset): works for views of
// SharedArrayBuffers too, which Napi::ArrayBuffer does not accept.
void* view_data(Napi::Env env, Napi::Value v, size_t* bytes) {
  napi_typedarray_type type;
  size_t length = 0, offset = 0;
  void* data = nullptr;
  napi_value buffer;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, &buffer, &offset) != napi_ok) {
    throw_type_error(env, kErrInvalidArg, "expected a typed array");
  }
  *bytes = v.As<Napi::TypedArray>().ByteLength();
  return data;
}

const void* host_data(Napi::Env env, Napi::Value v, size_t* bytes) {
  if (!v.IsTypedArray()) throw_type_error(env, kErrInvalidArg, "expected a typed array");
  return view_data(env, v, bytes);
}

// alloc(bytes, device) → handle
Napi::Value js_alloc(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const size_t bytes = size_arg(env, info[0], "bytes");
  const int device = info[1].As<Napi::Number>().Int32Value();
  ensure_device(env, device);
  Napi::Object handle = instance(env)->buffer_ctor.New({Napi::Number::New(env, device)});
  Napi::ObjectWrap<DeviceBuffer>::Unwrap(handle)->allocate(env, bytes);  // may throw ERR_CUDA_OOM
  return handle;
}

// free(handle): idempotent.
Napi::Value js_free(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  bool ok = false;
  if (info[0].IsObject()) napi_check_object_type_tag(env, info[0], &kBufferTag, &ok);
  if (!ok) throw_type_error(env, kErrInvalidArg, "expected a device buffer handle");
  Napi::ObjectWrap<DeviceBuffer>::Unwrap(info[0].As<Napi::Object>())->release(env);
  return env.Undefined();
}

// upload(handle, typedArray, srcDtype, dstDtype, n, stream): dst[0 .. n) = src converted.
Napi::Value js_upload(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceBuffer* b = DeviceBuffer::FromValue(env, info[0], "the array");
  size_t src_bytes = 0;
  const void* src = host_data(env, info[1], &src_bytes);
  const selu_cuda::Dtype from = dtype_arg(env, info[2]), to = dtype_arg(env, info[3]);
  const size_t n = size_arg(env, info[4], "length");
  Allocation& a = b->alloc();
  check_fits(env, a, n, to, "the array");
  if (n > src_bytes / selu_cuda::dtype_size(from)) throw_type_error(env, kErrInvalidArg, "the source is too short");
  if (n == 0) return env.Undefined();
  ensure_device(env, a.device);
  const StreamPtr s = stream_arg(env, info[5], a.device);
  order_before_use(env, a, s);
  cudaError_t err;
  if (from == to) {
    err = cudaMemcpyAsync(a.ptr, src, n * selu_cuda::dtype_size(to), cudaMemcpyHostToDevice, s->stream);
    if (err != cudaSuccess) throw_cuda(env, err, "cudaMemcpyAsync (host to device)");
  } else {
    bool pooled = false;
    void* tmp = device_alloc(env, a.device, n * selu_cuda::dtype_size(from), s->stream, &pooled);
    err = cudaMemcpyAsync(tmp, src, n * selu_cuda::dtype_size(from), cudaMemcpyHostToDevice, s->stream);
    if (err == cudaSuccess) err = selu_cuda::launch_convert(from, tmp, to, a.ptr, n, s->stream);
    device_free(tmp, pooled, s->stream);
    if (err != cudaSuccess) throw_cuda(env, err, "upload");
  }
  mark_used(a, s);
  return env.Undefined();
}

Napi::TypedArray new_host_array(Napi::Env env, selu_cuda::Dtype d, size_t n) {
  switch (d) {
    case selu_cuda::Dtype::kFloat32: return Napi::Float32Array::New(env, n);
    case selu_cuda::Dtype::kFloat64: return Napi::Float64Array::New(env, n);
    default: return Napi::Uint16Array::New(env, n);
  }
}

void* typed_data(Napi::TypedArray t) {
  size_t bytes = 0;
  return view_data(t.Env(), t, &bytes);
}

// The first three arguments of downloadSync and download, (handle, dtype, n), checked: the buffer's
// allocation, which holds n elements of dtype.
Allocation& download_source(const Napi::CallbackInfo& info, selu_cuda::Dtype* d, size_t* n) {
  Napi::Env env = info.Env();
  DeviceBuffer* b = DeviceBuffer::FromValue(env, info[0], "the array");
  *d = dtype_arg(env, info[1]);
  *n = size_arg(env, info[2], "length");
  Allocation& a = b->alloc();
  check_fits(env, a, *n, *d, "the array");
  return a;
}

// downloadSync(handle, dtype, n, stream) → typed array (Uint16Array of raw bits for half types).
Napi::Value js_download_sync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  selu_cuda::Dtype d;
  size_t n;
  Allocation& a = download_source(info, &d, &n);
  Napi::TypedArray out = new_host_array(env, d, n);
  if (n == 0) return out;
  ensure_device(env, a.device);
  const StreamPtr s = stream_arg(env, info[3], a.device);
  order_before_use(env, a, s);
  cudaError_t err = cudaMemcpyAsync(typed_data(out), a.ptr, n * selu_cuda::dtype_size(d), cudaMemcpyDeviceToHost, s->stream);
  if (err == cudaSuccess) err = cudaStreamSynchronize(s->stream);
  if (err != cudaSuccess) throw_cuda(env, err, "toArraySync");
  mark_used(a, s);
  return out;
}

struct DownloadCompletion : Completion {
  DownloadCompletion(Napi::Env env, selu_cuda::Dtype d, size_t n, void* pinned)
      : Completion(env), dtype(d), count(n), staging(pinned) {}
  ~DownloadCompletion() override = default;
  void complete(Napi::Env env) override {
    Napi::TypedArray out = new_host_array(env, dtype, count);
    // An empty typed array may have no data pointer at all: memcpy from/to null is undefined even for 0 bytes.
    if (count > 0) std::memcpy(typed_data(out), staging, count * selu_cuda::dtype_size(dtype));
    pinned_release(env, staging, count * selu_cuda::dtype_size(dtype));
    deferred.Resolve(out);
  }
  selu_cuda::Dtype dtype;
  size_t count;
  void* staging;
};

// download(handle, dtype, n, stream) → Promise<typed array>: the contents as of the call, copied
// through page-locked staging memory without blocking the JS thread.
Napi::Value js_download(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  selu_cuda::Dtype d;
  size_t n;
  Allocation& a = download_source(info, &d, &n);
  ensure_device(env, a.device);
  const StreamPtr s = stream_arg(env, info[3], a.device);
  order_before_use(env, a, s);
  const size_t bytes = n * selu_cuda::dtype_size(d);
  void* staging = pinned_acquire(env, bytes);
  if (bytes > 0) {
    const cudaError_t err = cudaMemcpyAsync(staging, a.ptr, bytes, cudaMemcpyDeviceToHost, s->stream);
    if (err != cudaSuccess) {
      pinned_release(env, staging, bytes);
      throw_cuda(env, err, "toArray");
    }
  }
  mark_used(a, s);
  return enqueue_completion(env, s, new DownloadCompletion(env, d, n, staging));
}

// copy(dst, src, bytes, stream): device to device.
Napi::Value js_copy(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceBuffer* dst = DeviceBuffer::FromValue(env, info[0], "the destination");
  DeviceBuffer* src = DeviceBuffer::FromValue(env, info[1], "the source");
  const size_t bytes = size_arg(env, info[2], "bytes");
  Allocation &da = dst->alloc(), &sa = src->alloc();
  if (bytes > da.bytes || bytes > sa.bytes) throw_type_error(env, kErrInvalidArg, "copy larger than the buffers");
  if (da.device != sa.device) throw_type_error(env, "ERR_SELU_DEVICE_MISMATCH", "the arrays are on different devices");
  if (bytes == 0 || da.ptr == sa.ptr) return env.Undefined();
  ensure_device(env, da.device);
  const StreamPtr s = stream_arg(env, info[3], da.device);
  order_before_use(env, da, s);
  order_before_use(env, sa, s);
  const cudaError_t err = cudaMemcpyAsync(da.ptr, sa.ptr, bytes, cudaMemcpyDeviceToDevice, s->stream);
  if (err != cudaSuccess) throw_cuda(env, err, "device to device copy");
  mark_used(da, s);
  mark_used(sa, s);
  return env.Undefined();
}

struct DoneCompletion : Completion {
  using Completion::Completion;
  void complete(Napi::Env env) override { deferred.Resolve(env.Undefined()); }
};

// whenDone(stream, device) → Promise<void>, settled once the work enqueued so far on the stream is done.
Napi::Value js_when_done(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int device = info[1].As<Napi::Number>().Int32Value();
  ensure_device(env, device);
  const StreamPtr s = stream_arg(env, info[0], device);
  return enqueue_completion(env, s, new DoneCompletion(env));
}

// synchronize(stream, device): blocks until the stream is idle.
Napi::Value js_synchronize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int device = info[1].As<Napi::Number>().Int32Value();
  ensure_device(env, device);
  const StreamPtr s = stream_arg(env, info[0], device);
  const cudaError_t err = cudaStreamSynchronize(s->stream);
  if (err != cudaSuccess) throw_cuda(env, err, "synchronize");
  return env.Undefined();
}

// createStream(device) → stream handle; destroyStream(handle) drops the JS side's reference.
Napi::Value js_create_stream(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int device = info[0].As<Napi::Number>().Int32Value();
  ensure_device(env, device);
  cudaStream_t s = nullptr;
  const cudaError_t err = cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking);
  if (err != cudaSuccess) throw_cuda(env, err, "cudaStreamCreate");
  StreamPtr ptr(new StreamState{s, device, true});
  Napi::Object handle = instance(env)->stream_ctor.New({});
  Napi::ObjectWrap<StreamRef>::Unwrap(handle)->ptr = ptr;
  return handle;
}

Napi::Value js_destroy_stream(const Napi::CallbackInfo& info) {
  StreamRef::FromValue(info.Env(), info[0])->ptr.reset();
  return info.Env().Undefined();
}

}  // namespace

void register_memory(Napi::Env env, Napi::Object exports) {
  set_functions(env, exports,
                {{"alloc", js_alloc}, {"free", js_free}, {"upload", js_upload}, {"downloadSync", js_download_sync},
                 {"download", js_download}, {"copy", js_copy}, {"whenDone", js_when_done},
                 {"synchronize", js_synchronize}, {"createStream", js_create_stream},
                 {"destroyStream", js_destroy_stream}});
}

void init_instance(Napi::Env env, Napi::Object /*exports*/) {
  Instance* inst = new Instance();
  inst->buffer_ctor = Napi::Persistent(DeviceBuffer::Define(env));
  inst->stream_ctor = Napi::Persistent(StreamRef::Define(env));
  napi_value name;
  napi_create_string_utf8(env, "selu-kernels-cuda-completions", NAPI_AUTO_LENGTH, &name);
  // The finalizer closes the bridge: the tsfn may be destroyed before the instance data (teardown order).
  auto* finalize_data = new std::shared_ptr<Bridge>(inst->bridge);
  napi_create_threadsafe_function(
      env, nullptr, nullptr, name, 0, 1, finalize_data,
      [](napi_env, void* data, void*) {
        auto* b = static_cast<std::shared_ptr<Bridge>*>(data);
        (*b)->close();
        delete b;
      },
      nullptr, call_js, &inst->tsfn);
  inst->bridge->tsfn = inst->tsfn;
  napi_unref_threadsafe_function(env, inst->tsfn);
  env.SetInstanceData<Instance, free_instance>(inst);
}

}  // namespace selu_cuda_napi
