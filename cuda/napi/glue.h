// The CUDA addon's N-API glue (selu_kernels_cuda.node): device buffers, streams, completions and the
// op entry points. The glue unwraps handles and numbers, orders work across streams and maps CUDA
// errors to JS errors; the kernels (cuda/kernels/launch.h) do the arithmetic.
//
// Memory model (lib/device-array.ts relies on it):
// - A DeviceBuffer owns one allocation, from the device's stream-ordered pool (cudaMallocAsync) where the
//   device supports pools, cudaMalloc otherwise. It remembers the last stream that used it.
// - Every op on stream S first makes S wait (an event, no host wait) for the last stream of each buffer
//   it touches when that is another stream, then enqueues its kernels on S, then marks S as the last
//   stream of those buffers. So all uses of a buffer form one chain in stream order.
// - free() enqueues cudaFreeAsync on the buffer's last stream: the memory is released when the work
//   already enqueued on the buffer has finished, so disposing during an op in flight is safe and never
//   blocks. The GC finalizer does the same. V8 is told about the bytes (external memory) both ways.
// - Promises (downloads, moments, "when done") settle from a cudaLaunchHostFunc callback through a
//   thread-safe function on the JS thread; the thread-safe function holds the event loop open only
//   while such promises are pending.
#pragma once

#include <cuda_runtime_api.h>
#include <napi.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

namespace selu_cuda_napi {

// JS error codes (lib/errors.ts documents them).
constexpr const char* kErrUnavailable = "ERR_CUDA_UNAVAILABLE";
constexpr const char* kErrOom = "ERR_CUDA_OOM";
constexpr const char* kErrDisposed = "ERR_DISPOSED";
constexpr const char* kErrCuda = "ERR_CUDA";
constexpr const char* kErrInvalidArg = "ERR_SELU_INVALID_ARG";
constexpr const char* kErrOutOfRange = "ERR_SELU_OUT_OF_RANGE";

// Throws (as a C++ exception that node-addon-api turns into the JS error) an Error, TypeError or
// RangeError with `code`.
[[noreturn]] void throw_error(Napi::Env env, const char* code, const std::string& message);
[[noreturn]] void throw_type_error(Napi::Env env, const char* code, const std::string& message);
[[noreturn]] void throw_range_error(Napi::Env env, const char* code, const std::string& message);
// ERR_CUDA (or ERR_CUDA_OOM for cudaErrorMemoryAllocation) for a failed CUDA call.
[[noreturn]] void throw_cuda(Napi::Env env, cudaError_t err, const char* what);

// --- runtime.cc -------------------------------------------------------------------------------------
struct Status {
  bool available;
  std::string reason;  // empty when available
  int error;           // the cudaError_t of cudaGetDeviceCount (0 = success)
  int device_count;
  int driver_version;  // CUDA version the driver supports (e.g. 13000), 0 without a driver
  int runtime_version;
};
const Status& status();                       // computed once per process
void throw_if_unavailable(Napi::Env env);     // ERR_CUDA_UNAVAILABLE with status().reason
void ensure_device(Napi::Env env, int device);  // cudaSetDevice if needed; RangeError for a bad id

// One exported function: its JS name and its entry point.
struct Export {
  const char* name;
  Napi::Value (*fn)(const Napi::CallbackInfo&);
};
// Sets each function on `target` under its name (each file's register_* lists its own).
void set_functions(Napi::Env env, Napi::Object target, std::initializer_list<Export> functions);
void register_runtime(Napi::Env env, Napi::Object exports);  // status, devices, memInfo

// --- streams and buffers (memory.cc) ------------------------------------------------------------------
struct StreamState {
  cudaStream_t stream;
  int device;
  bool owned;  // created by createStream (destroyed with the last reference), or a per-thread default
  ~StreamState();
};
using StreamPtr = std::shared_ptr<StreamState>;

StreamPtr default_stream(int device);  // cudaStreamPerThread of `device`

struct Allocation {
  void* ptr = nullptr;
  size_t bytes = 0;
  int device = 0;
  bool pooled = false;  // cudaMallocAsync (else cudaMalloc)
  bool freed = false;
  StreamPtr last;       // the last stream that used it
};

// Allocates `bytes` on `device` (0 bytes: no memory), ordered on `stream`. Throws ERR_CUDA_OOM.
void* device_alloc(Napi::Env env, int device, size_t bytes, cudaStream_t stream, bool* pooled);
void device_free(void* ptr, bool pooled, cudaStream_t stream);  // errors ignored (finalizers, teardown)

class DeviceBuffer : public Napi::ObjectWrap<DeviceBuffer> {
 public:
  static Napi::Function Define(Napi::Env env);
  static DeviceBuffer* FromValue(Napi::Env env, Napi::Value v, const char* name);  // TypeError if not one
  explicit DeviceBuffer(const Napi::CallbackInfo& info);  // (device): no memory yet
  ~DeviceBuffer() override;
  void allocate(Napi::Env env, size_t bytes);  // throws ERR_CUDA_OOM (the object then holds nothing)

  Allocation& alloc() { return a_; }
  void release(napi_env env);  // frees (stream-ordered) and un-reports the bytes; idempotent

 private:
  Allocation a_;
  napi_env env_;
};

class StreamRef : public Napi::ObjectWrap<StreamRef> {
 public:
  static Napi::Function Define(Napi::Env env);
  static StreamRef* FromValue(Napi::Env env, Napi::Value v);
  explicit StreamRef(const Napi::CallbackInfo& info);  // empty: js_create_stream sets ptr
  StreamPtr ptr;
};

// The stream an op runs on: the StreamRef given, or the per-thread default stream of `device`.
StreamPtr stream_arg(Napi::Env env, Napi::Value v, int device);

// The ordering rule above: makes `s` wait for the buffer's last stream when that differs.
void order_before_use(Napi::Env env, Allocation& a, const StreamPtr& s);
void mark_used(Allocation& a, const StreamPtr& s);

// --- completions (memory.cc) --------------------------------------------------------------------------
struct Completion {
  virtual ~Completion() = default;
  // On the JS thread once the stream has reached the point where the completion was enqueued.
  virtual void complete(Napi::Env env) = 0;
  Napi::Promise::Deferred deferred;
  explicit Completion(Napi::Env env) : deferred(Napi::Promise::Deferred::New(env)) {}
};
// Enqueues c on s; returns c's promise. Takes ownership of c.
Napi::Promise enqueue_completion(Napi::Env env, const StreamPtr& s, Completion* c);

// Page-locked host staging buffers for asynchronous downloads (per JS thread).
void* pinned_acquire(Napi::Env env, size_t bytes);
void pinned_release(Napi::Env env, void* p, size_t bytes);

void init_instance(Napi::Env env, Napi::Object exports);

// --- ops.cc -----------------------------------------------------------------------------------------
void register_ops(Napi::Env env, Napi::Object exports);
void register_memory(Napi::Env env, Napi::Object exports);
void register_bench(Napi::Env env, Napi::Object exports);  // bench.cc: events and the read baseline

}  // namespace selu_cuda_napi
