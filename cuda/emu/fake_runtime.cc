// A fake CUDA runtime for the emulated addon: exactly the cudart calls cuda/napi and the kernels'
// launches use, implemented on the CPU with the real runtime's semantics and error codes, so that the
// real glue runs unchanged. Device memory is host memory (poisoned when allocated and when freed); each
// stream is an in-order worker thread; kernels run under the SIMT emulator (simt.h).
//
// Configuration (environment, read once):
//   SELU_EMU_DRIVER=none       no driver: cudaGetDeviceCount fails with cudaErrorInsufficientDriver
//   SELU_EMU_DEVICES=N         devices (default 1; 0: cudaErrorNoDevice)
//   SELU_EMU_CC=M.m            compute capability (default 8.0)
//   SELU_EMU_MEMORY=BYTES      device memory size (default 1.5 GiB): allocations beyond it fail with
//                              cudaErrorMemoryAllocation
//   SELU_EMU_POOLS=0           no stream-ordered allocator (cudaDevAttrMemoryPoolsSupported = 0)
//   SELU_EMU_SMS=N             multiprocessors (default 4)
// Deliberate differences: the legacy default stream does not synchronize with other blocking streams
// (the glue uses non-blocking streams and the per-thread default stream only); a kernel fault (an
// emulator error) is reported on stderr and makes the context's error sticky, as a real fault does,
// but host functions still run so that no promise is left pending.
#include <cuda_runtime_api.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "simt.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Config {
  bool driver = true;
  int devices = 1;
  int major = 8, minor = 0;
  size_t memory = size_t{3} << 29;  // 1.5 GiB
  bool pools = true;
  int sms = 4;
};

const Config& config() {
  static const Config c = [] {
    Config c;
    if (const char* v = std::getenv("SELU_EMU_DRIVER")) c.driver = std::strcmp(v, "none") != 0;
    if (const char* v = std::getenv("SELU_EMU_DEVICES")) c.devices = std::atoi(v);
    if (const char* v = std::getenv("SELU_EMU_CC")) std::sscanf(v, "%d.%d", &c.major, &c.minor);
    if (const char* v = std::getenv("SELU_EMU_MEMORY")) c.memory = std::strtoull(v, nullptr, 10);
    if (const char* v = std::getenv("SELU_EMU_POOLS")) c.pools = std::atoi(v) != 0;
    if (const char* v = std::getenv("SELU_EMU_SMS")) c.sms = std::atoi(v);
    return c;
  }();
  return c;
}

constexpr int kDriverVersion = 13000;
constexpr unsigned char kPoisonAlloc = 0xff;  // NaN in every float type: unwritten memory shows up
constexpr unsigned char kPoisonFree = 0xfe;

// ---- errors -----------------------------------------------------------------------------------------

thread_local cudaError_t tls_last = cudaSuccess;
thread_local bool tls_in_host_fn = false;
thread_local int tls_device = 0;
std::atomic<int> g_sticky{cudaSuccess};  // a kernel fault: every later call fails with it

cudaError_t record(cudaError_t e) {
  if (e != cudaSuccess) tls_last = e;
  return e;
}

// What every call checks first, in the real runtime's order.
cudaError_t entry_error() {
  if (tls_in_host_fn) return cudaErrorNotPermitted;  // CUDA calls inside a host function
  if (!config().driver) return cudaErrorInsufficientDriver;
  if (config().devices == 0) return cudaErrorNoDevice;
  const int sticky = g_sticky.load();
  if (sticky != cudaSuccess) return static_cast<cudaError_t>(sticky);
  return cudaSuccess;
}

#define SELU_EMU_ENTRY()                           \
  do {                                             \
    const cudaError_t e_ = entry_error();          \
    if (e_ != cudaSuccess) return record(e_);      \
  } while (0)

// ---- streams --------------------------------------------------------------------------------------

// Process-lifetime state (here and below) is allocated once and never destroyed: stream workers may
// still wait on it while the process exits (destroying a condition variable with waiters hangs).

// Guards every stream's counters and every event record; g_progress is signalled at every step.
std::mutex& g_progress_mutex = *new std::mutex();
std::condition_variable& g_progress = *new std::condition_variable();

}  // namespace

struct CUstream_st {
  std::deque<std::function<void()>> tasks;
  uint64_t enqueued = 0, completed = 0;
  bool destroyed = false;
  std::condition_variable work;

  CUstream_st() {
    std::thread([this] { run(); }).detach();  // exits after its last task once destroyed
  }

  // Appends a task; returns its position (the stream has reached it when completed ≥ position).
  uint64_t enqueue(std::function<void()> f) {
    std::lock_guard<std::mutex> lock(g_progress_mutex);
    tasks.push_back(std::move(f));
    work.notify_one();
    return ++enqueued;
  }
  void wait_for(uint64_t position) {
    std::unique_lock<std::mutex> lock(g_progress_mutex);
    g_progress.wait(lock, [&] { return completed >= position; });
  }
  uint64_t position() {
    std::lock_guard<std::mutex> lock(g_progress_mutex);
    return enqueued;
  }

 private:
  void run() {
    std::unique_lock<std::mutex> lock(g_progress_mutex);
    for (;;) {
      work.wait(lock, [&] { return !tasks.empty() || destroyed; });
      if (tasks.empty()) return;  // destroyed and drained
      std::function<void()> f = std::move(tasks.front());
      tasks.pop_front();
      lock.unlock();
      f();
      lock.lock();
      ++completed;
      g_progress.notify_all();
    }
  }
};

struct EventRecord {
  bool done = false;
  Clock::time_point when;
};

struct CUevent_st {
  unsigned flags = 0;
  std::shared_ptr<EventRecord> last;  // the latest cudaEventRecord (null: never recorded)
};

struct CUmemPoolHandle_st {
  uint64_t release_threshold = 0;
};

namespace {

std::mutex& g_registry_mutex = *new std::mutex();
std::set<cudaStream_t>& g_streams = *new std::set<cudaStream_t>();  // created and not destroyed
// Destroyed streams are kept (a stale handle must stay detectable, and work may still be queued).
std::vector<cudaStream_t>& g_retired = *new std::vector<cudaStream_t>();
std::set<cudaEvent_t>& g_events = *new std::set<cudaEvent_t>();

CUstream_st* legacy_stream() {
  static CUstream_st* s = new CUstream_st();
  return s;
}

// The stream a handle names, or null for a bad handle.
CUstream_st* resolve(cudaStream_t s) {
  if (s == nullptr || s == cudaStreamLegacy) return legacy_stream();
  if (s == cudaStreamPerThread) {
    thread_local CUstream_st* mine = nullptr;  // lives on after the thread: work may still be queued
    if (mine == nullptr) mine = new CUstream_st();
    return mine;
  }
  std::lock_guard<std::mutex> lock(g_registry_mutex);
  return g_streams.count(s) != 0 ? s : nullptr;
}

std::vector<CUstream_st*> all_streams() {
  std::vector<CUstream_st*> v{legacy_stream()};
  std::lock_guard<std::mutex> lock(g_registry_mutex);
  v.insert(v.end(), g_streams.begin(), g_streams.end());
  return v;
}

// ---- memory -----------------------------------------------------------------------------------------

struct Block {
  size_t bytes;
  bool pooled;
  bool free_pending;
};

std::mutex& g_memory_mutex = *new std::mutex();
std::map<uintptr_t, Block>& g_device = *new std::map<uintptr_t, Block>();  // device allocations by address
std::map<uintptr_t, size_t>& g_pinned = *new std::map<uintptr_t, size_t>();  // page-locked host allocations
size_t g_used = 0;

// Whether [p, p + bytes) lies inside one of `blocks` (keyed by start address; size_of(block) = its bytes).
template <typename Map, typename SizeOf>
bool inside(const Map& blocks, const void* p, size_t bytes, SizeOf size_of) {
  const uintptr_t a = reinterpret_cast<uintptr_t>(p);
  std::lock_guard<std::mutex> lock(g_memory_mutex);
  auto it = blocks.upper_bound(a);
  if (it == blocks.begin()) return false;
  --it;
  return a + bytes >= a && a + bytes <= it->first + size_of(it->second);
}

// The device allocation holding [p, p + bytes), if any.
bool device_range(const void* p, size_t bytes) {
  return inside(g_device, p, bytes, [](const Block& b) { return b.bytes; });
}

bool is_device(const void* p) { return device_range(p, 1); }

bool is_pinned(const void* p, size_t bytes) {
  return inside(g_pinned, p, bytes, [](size_t b) { return b; });
}

cudaError_t device_allocate(void** p, size_t bytes, bool pooled) {
  if (p == nullptr) return cudaErrorInvalidValue;
  *p = nullptr;
  if (bytes == 0) return cudaSuccess;
  {
    std::lock_guard<std::mutex> lock(g_memory_mutex);
    if (bytes > config().memory - g_used) return cudaErrorMemoryAllocation;
    g_used += bytes;
  }
  void* m = nullptr;
  if (posix_memalign(&m, 256, bytes) != 0) {
    std::lock_guard<std::mutex> lock(g_memory_mutex);
    g_used -= bytes;
    return cudaErrorMemoryAllocation;
  }
  std::lock_guard<std::mutex> lock(g_memory_mutex);
  g_device[reinterpret_cast<uintptr_t>(m)] = Block{bytes, pooled, false};
  *p = m;
  return cudaSuccess;
}

// Poisons and releases an allocation (on the stream worker for cudaFreeAsync).
void device_release(void* p) {
  size_t bytes;
  {
    std::lock_guard<std::mutex> lock(g_memory_mutex);
    auto it = g_device.find(reinterpret_cast<uintptr_t>(p));
    bytes = it->second.bytes;
    g_device.erase(it);
    g_used -= bytes;
  }
  std::memset(p, kPoisonFree, bytes);
  std::free(p);
}

// Marks a live allocation of the given kind for release; false for a pointer that is not one.
bool claim_for_free(void* p, bool pooled) {
  std::lock_guard<std::mutex> lock(g_memory_mutex);
  auto it = g_device.find(reinterpret_cast<uintptr_t>(p));
  if (it == g_device.end() || it->second.free_pending || it->second.pooled != pooled) return false;
  it->second.free_pending = true;
  return true;
}

CUmemPoolHandle_st* default_pool(int device) {
  static std::mutex m;
  static std::map<int, CUmemPoolHandle_st*> pools;
  std::lock_guard<std::mutex> lock(m);
  CUmemPoolHandle_st*& p = pools[device];
  if (p == nullptr) p = new CUmemPoolHandle_st();
  return p;
}

bool valid_device(int d) { return d >= 0 && d < config().devices; }

void synchronize_all() {
  for (CUstream_st* s : all_streams()) s->wait_for(s->position());
}

}  // namespace

// ---- kernel launches (SELU_LAUNCH in the emulated build) ----------------------------------------------

namespace selu_emu {

void enqueue_grid(dim3 grid, dim3 block, size_t shared_bytes, cudaStream_t stream, const char* name,
                  std::function<void()> body) {
  if (entry_error() != cudaSuccess) {
    record(entry_error());
    return;
  }
  const uint64_t threads = uint64_t{block.x} * block.y * block.z;
  if (threads == 0 || threads > 1024 || block.x > 1024 || block.y > 1024 || block.z > 64 || grid.x == 0 ||
      grid.y == 0 || grid.z == 0 || grid.x > 0x7fffffffu || grid.y > 65535 || grid.z > 65535) {
    record(cudaErrorInvalidConfiguration);
    return;
  }
  if (shared_bytes > 48 * 1024) {
    record(cudaErrorInvalidValue);
    return;
  }
  CUstream_st* s = resolve(stream);
  if (s == nullptr) {
    record(cudaErrorInvalidResourceHandle);
    return;
  }
  std::string kernel = name;
  s->enqueue([grid, block, body = std::move(body), kernel] {
    if (g_sticky.load() != cudaSuccess) return;  // the context is broken: kernels no longer run
    const std::string error = run_grid(grid, block, body);
    if (!error.empty()) {
      std::fprintf(stderr, "selu emulator: kernel %s <<<(%u,%u,%u), (%u,%u,%u)>>> failed (schedule %s): %s\n", kernel.c_str(),
                   grid.x, grid.y, grid.z, block.x, block.y, block.z, schedule_name(schedule().schedule), error.c_str());
      int expected = cudaSuccess;
      g_sticky.compare_exchange_strong(expected, cudaErrorLaunchFailure);
    }
  });
}

}  // namespace selu_emu

// ---- the runtime API ----------------------------------------------------------------------------------

extern "C" {

cudaError_t CUDARTAPI cudaRuntimeGetVersion(int* v) {
  if (v == nullptr) return record(cudaErrorInvalidValue);
  *v = CUDART_VERSION;
  return cudaSuccess;
}

cudaError_t CUDARTAPI cudaDriverGetVersion(int* v) {
  if (v == nullptr) return record(cudaErrorInvalidValue);
  *v = config().driver ? kDriverVersion : 0;
  return cudaSuccess;
}

cudaError_t CUDARTAPI cudaGetDeviceCount(int* count) {
  if (count == nullptr) return record(cudaErrorInvalidValue);
  *count = 0;
  SELU_EMU_ENTRY();
  *count = config().devices;
  return cudaSuccess;
}

cudaError_t CUDARTAPI cudaGetLastError(void) {
  const int sticky = g_sticky.load();
  if (sticky != cudaSuccess) return static_cast<cudaError_t>(sticky);
  const cudaError_t e = tls_last;
  tls_last = cudaSuccess;
  return e;
}

const char* CUDARTAPI cudaGetErrorName(cudaError_t e) {
  switch (e) {
    case cudaSuccess: return "cudaSuccess";
    case cudaErrorInvalidValue: return "cudaErrorInvalidValue";
    case cudaErrorMemoryAllocation: return "cudaErrorMemoryAllocation";
    case cudaErrorInvalidConfiguration: return "cudaErrorInvalidConfiguration";
    case cudaErrorInsufficientDriver: return "cudaErrorInsufficientDriver";
    case cudaErrorNoDevice: return "cudaErrorNoDevice";
    case cudaErrorInvalidDevice: return "cudaErrorInvalidDevice";
    case cudaErrorInvalidResourceHandle: return "cudaErrorInvalidResourceHandle";
    case cudaErrorNotReady: return "cudaErrorNotReady";
    case cudaErrorNotPermitted: return "cudaErrorNotPermitted";
    case cudaErrorNotSupported: return "cudaErrorNotSupported";
    case cudaErrorLaunchFailure: return "cudaErrorLaunchFailure";
    case cudaErrorInvalidMemcpyDirection: return "cudaErrorInvalidMemcpyDirection";
    default: return "cudaErrorUnknown";
  }
}

const char* CUDARTAPI cudaGetErrorString(cudaError_t e) {
  switch (e) {
    case cudaSuccess: return "no error";
    case cudaErrorInvalidValue: return "invalid argument";
    case cudaErrorMemoryAllocation: return "out of memory";
    case cudaErrorInvalidConfiguration: return "invalid configuration argument";
    case cudaErrorInsufficientDriver: return "CUDA driver version is insufficient for CUDA runtime version";
    case cudaErrorNoDevice: return "no CUDA-capable device is detected";
    case cudaErrorInvalidDevice: return "invalid device ordinal";
    case cudaErrorInvalidResourceHandle: return "invalid resource handle";
    case cudaErrorNotReady: return "device not ready";
    case cudaErrorNotPermitted: return "operation not permitted";
    case cudaErrorNotSupported: return "operation not supported";
    case cudaErrorLaunchFailure: return "unspecified launch failure";
    case cudaErrorInvalidMemcpyDirection: return "invalid copy direction for memcpy";
    default: return "unknown error";
  }
}

cudaError_t CUDARTAPI cudaGetDevice(int* d) {
  SELU_EMU_ENTRY();
  if (d == nullptr) return record(cudaErrorInvalidValue);
  *d = tls_device;
  return cudaSuccess;
}

cudaError_t CUDARTAPI cudaSetDevice(int d) {
  SELU_EMU_ENTRY();
  if (!valid_device(d)) return record(cudaErrorInvalidDevice);
  tls_device = d;
  return cudaSuccess;
}

cudaError_t CUDARTAPI cudaDeviceGetAttribute(int* value, enum cudaDeviceAttr attr, int device) {
  SELU_EMU_ENTRY();
  if (value == nullptr) return record(cudaErrorInvalidValue);
  if (!valid_device(device)) return record(cudaErrorInvalidDevice);
  switch (attr) {
    case cudaDevAttrComputeCapabilityMajor: *value = config().major; return cudaSuccess;
    case cudaDevAttrComputeCapabilityMinor: *value = config().minor; return cudaSuccess;
    case cudaDevAttrMemoryPoolsSupported: *value = config().pools ? 1 : 0; return cudaSuccess;
    case cudaDevAttrMultiProcessorCount: *value = config().sms; return cudaSuccess;
    default: return record(cudaErrorInvalidValue);  // the glue asks for no other attribute
  }
}

cudaError_t CUDARTAPI cudaGetDeviceProperties(struct cudaDeviceProp* p, int device) {
  SELU_EMU_ENTRY();
  if (p == nullptr) return record(cudaErrorInvalidValue);
  if (!valid_device(device)) return record(cudaErrorInvalidDevice);
  std::memset(p, 0, sizeof *p);
  std::snprintf(p->name, sizeof p->name, "SELU SIMT emulator (CPU)");
  p->major = config().major;
  p->minor = config().minor;
  p->totalGlobalMem = config().memory;
  p->multiProcessorCount = config().sms;
  p->warpSize = 32;
  p->maxThreadsPerBlock = 1024;
  p->sharedMemPerBlock = 48 * 1024;
  p->memoryPoolsSupported = config().pools ? 1 : 0;
  return cudaSuccess;
}

cudaError_t CUDARTAPI cudaMemGetInfo(size_t* free_bytes, size_t* total) {
  SELU_EMU_ENTRY();
  if (free_bytes == nullptr || total == nullptr) return record(cudaErrorInvalidValue);
  std::lock_guard<std::mutex> lock(g_memory_mutex);
  *total = config().memory;
  *free_bytes = config().memory - g_used;
  return cudaSuccess;
}

cudaError_t CUDARTAPI cudaDeviceSynchronize(void) {
  SELU_EMU_ENTRY();
  synchronize_all();
  return record(entry_error());  // a fault during the wait is reported here
}

// -- memory

cudaError_t CUDARTAPI cudaMalloc(void** p, size_t bytes) {
  SELU_EMU_ENTRY();
  const cudaError_t e = device_allocate(p, bytes, false);
  if (e == cudaSuccess && *p != nullptr) std::memset(*p, kPoisonAlloc, bytes);
  return record(e);
}

cudaError_t CUDARTAPI cudaFree(void* p) {
  SELU_EMU_ENTRY();
  if (p == nullptr) return cudaSuccess;
  if (!claim_for_free(p, false)) return record(cudaErrorInvalidValue);
  synchronize_all();  // cudaFree waits for the device, as the real one does
  device_release(p);
  return cudaSuccess;
}

cudaError_t CUDARTAPI cudaMallocAsync(void** p, size_t bytes, cudaStream_t stream) {
  SELU_EMU_ENTRY();
  if (!config().pools) return record(cudaErrorNotSupported);
  CUstream_st* s = resolve(stream);
  if (s == nullptr) return record(cudaErrorInvalidResourceHandle);
  const cudaError_t e = device_allocate(p, bytes, true);
  if (e != cudaSuccess) return record(e);
  // The memory becomes the stream's at this point of the stream: poison it there.
  if (*p != nullptr) s->enqueue([m = *p, bytes] { std::memset(m, kPoisonAlloc, bytes); });
  return cudaSuccess;
}

cudaError_t CUDARTAPI cudaFreeAsync(void* p, cudaStream_t stream) {
  SELU_EMU_ENTRY();
  if (p == nullptr) return cudaSuccess;
  CUstream_st* s = resolve(stream);
  if (s == nullptr) return record(cudaErrorInvalidResourceHandle);
  if (!claim_for_free(p, true)) return record(cudaErrorInvalidValue);
  s->enqueue([p] { device_release(p); });
  return cudaSuccess;
}

cudaError_t CUDARTAPI cudaMallocHost(void** p, size_t bytes) {
  SELU_EMU_ENTRY();
  if (p == nullptr) return record(cudaErrorInvalidValue);
  void* m = nullptr;
  if (posix_memalign(&m, 4096, bytes == 0 ? 1 : bytes) != 0) return record(cudaErrorMemoryAllocation);
  std::lock_guard<std::mutex> lock(g_memory_mutex);
  g_pinned[reinterpret_cast<uintptr_t>(m)] = bytes;
  *p = m;
  return cudaSuccess;
}

cudaError_t CUDARTAPI cudaFreeHost(void* p) {
  SELU_EMU_ENTRY();
  if (p == nullptr) return cudaSuccess;
  {
    std::lock_guard<std::mutex> lock(g_memory_mutex);
    if (g_pinned.erase(reinterpret_cast<uintptr_t>(p)) == 0) return record(cudaErrorInvalidValue);
  }
  std::free(p);
  return cudaSuccess;
}

cudaError_t CUDARTAPI cudaDeviceGetDefaultMemPool(cudaMemPool_t* pool, int device) {
  SELU_EMU_ENTRY();
  if (pool == nullptr) return record(cudaErrorInvalidValue);
  if (!valid_device(device)) return record(cudaErrorInvalidDevice);
  if (!config().pools) return record(cudaErrorNotSupported);
  *pool = default_pool(device);
  return cudaSuccess;
}

cudaError_t CUDARTAPI cudaMemPoolSetAttribute(cudaMemPool_t pool, enum cudaMemPoolAttr attr, void* value) {
  SELU_EMU_ENTRY();
  if (pool == nullptr || value == nullptr) return record(cudaErrorInvalidValue);
  if (attr == cudaMemPoolAttrReleaseThreshold) pool->release_threshold = *static_cast<uint64_t*>(value);
  return cudaSuccess;
}

cudaError_t CUDARTAPI cudaMemPoolTrimTo(cudaMemPool_t pool, size_t) {
  SELU_EMU_ENTRY();
  if (pool == nullptr) return record(cudaErrorInvalidValue);
  return cudaSuccess;  // freed memory goes straight back: there is no cache to trim
}

cudaError_t CUDARTAPI cudaMemcpyAsync(void* dst, const void* src, size_t count, enum cudaMemcpyKind kind,
                                      cudaStream_t stream) {
  SELU_EMU_ENTRY();
  CUstream_st* s = resolve(stream);
  if (s == nullptr) return record(cudaErrorInvalidResourceHandle);
  if (count == 0) return cudaSuccess;
  if (dst == nullptr || src == nullptr) return record(cudaErrorInvalidValue);
  if (kind == cudaMemcpyDefault) {
    const bool d = is_device(dst), r = is_device(src);
    kind = d ? (r ? cudaMemcpyDeviceToDevice : cudaMemcpyHostToDevice) : (r ? cudaMemcpyDeviceToHost : cudaMemcpyHostToHost);
  }
  switch (kind) {
    case cudaMemcpyHostToDevice: {
      if (!device_range(dst, count) || is_device(src)) return record(cudaErrorInvalidValue);
      if (is_pinned(src, count)) {
        s->enqueue([dst, src, count] { std::memcpy(dst, src, count); });
      } else {
        // Pageable source: staged before the call returns (the caller may reuse it at once).
        auto staged = std::make_shared<std::vector<unsigned char>>(static_cast<const unsigned char*>(src),
                                                                   static_cast<const unsigned char*>(src) + count);
        s->enqueue([dst, staged] { std::memcpy(dst, staged->data(), staged->size()); });
      }
      return cudaSuccess;
    }
    case cudaMemcpyDeviceToHost: {
      if (!device_range(src, count) || is_device(dst)) return record(cudaErrorInvalidValue);
      const uint64_t at = s->enqueue([dst, src, count] { std::memcpy(dst, src, count); });
      if (!is_pinned(dst, count)) s->wait_for(at);  // pageable destination: returns once copied
      return cudaSuccess;
    }
    case cudaMemcpyDeviceToDevice:
      if (!device_range(src, count) || !device_range(dst, count)) return record(cudaErrorInvalidValue);
      s->enqueue([dst, src, count] { std::memmove(dst, src, count); });
      return cudaSuccess;
    case cudaMemcpyHostToHost:
      if (is_device(src) || is_device(dst)) return record(cudaErrorInvalidValue);
      s->enqueue([dst, src, count] { std::memmove(dst, src, count); });
      return cudaSuccess;
    default: return record(cudaErrorInvalidMemcpyDirection);
  }
}

// -- streams

cudaError_t CUDARTAPI cudaStreamCreateWithFlags(cudaStream_t* stream, unsigned int flags) {
  SELU_EMU_ENTRY();
  if (stream == nullptr || (flags & ~1u) != 0) return record(cudaErrorInvalidValue);
  CUstream_st* s = new CUstream_st();  // never deleted: stale handles stay detectable
  std::lock_guard<std::mutex> lock(g_registry_mutex);
  g_streams.insert(s);
  *stream = s;
  return cudaSuccess;
}

cudaError_t CUDARTAPI cudaStreamCreate(cudaStream_t* stream) { return cudaStreamCreateWithFlags(stream, 0); }

cudaError_t CUDARTAPI cudaStreamDestroy(cudaStream_t stream) {
  SELU_EMU_ENTRY();
  {
    std::lock_guard<std::mutex> lock(g_registry_mutex);
    if (g_streams.erase(stream) == 0) return record(cudaErrorInvalidResourceHandle);
    g_retired.push_back(stream);
  }
  // Returns at once; the worker finishes the work already enqueued, then exits.
  std::lock_guard<std::mutex> lock(g_progress_mutex);
  stream->destroyed = true;
  stream->work.notify_one();
  return cudaSuccess;
}

cudaError_t CUDARTAPI cudaStreamSynchronize(cudaStream_t stream) {
  SELU_EMU_ENTRY();
  CUstream_st* s = resolve(stream);
  if (s == nullptr) return record(cudaErrorInvalidResourceHandle);
  s->wait_for(s->position());
  return record(entry_error());
}

cudaError_t CUDARTAPI cudaLaunchHostFunc(cudaStream_t stream, cudaHostFn_t fn, void* data) {
  SELU_EMU_ENTRY();
  if (fn == nullptr) return record(cudaErrorInvalidValue);
  CUstream_st* s = resolve(stream);
  if (s == nullptr) return record(cudaErrorInvalidResourceHandle);
  s->enqueue([fn, data] {
    tls_in_host_fn = true;  // CUDA calls from here fail with cudaErrorNotPermitted
    fn(data);
    tls_in_host_fn = false;
  });
  return cudaSuccess;
}

// -- events

cudaError_t CUDARTAPI cudaEventCreateWithFlags(cudaEvent_t* event, unsigned int flags) {
  SELU_EMU_ENTRY();
  if (event == nullptr || (flags & ~(cudaEventBlockingSync | cudaEventDisableTiming | cudaEventInterprocess)) != 0) {
    return record(cudaErrorInvalidValue);
  }
  CUevent_st* e = new CUevent_st();
  e->flags = flags;
  std::lock_guard<std::mutex> lock(g_registry_mutex);
  g_events.insert(e);
  *event = e;
  return cudaSuccess;
}

cudaError_t CUDARTAPI cudaEventCreate(cudaEvent_t* event) { return cudaEventCreateWithFlags(event, 0); }

bool live_event(cudaEvent_t e) {
  std::lock_guard<std::mutex> lock(g_registry_mutex);
  return g_events.count(e) != 0;
}

cudaError_t CUDARTAPI cudaEventDestroy(cudaEvent_t event) {
  SELU_EMU_ENTRY();
  {
    std::lock_guard<std::mutex> lock(g_registry_mutex);
    if (g_events.erase(event) == 0) return record(cudaErrorInvalidResourceHandle);
  }
  std::lock_guard<std::mutex> lock(g_progress_mutex);  // records in flight hold their own EventRecord
  delete event;
  return cudaSuccess;
}

cudaError_t CUDARTAPI cudaEventRecord(cudaEvent_t event, cudaStream_t stream) {
  SELU_EMU_ENTRY();
  if (!live_event(event)) return record(cudaErrorInvalidResourceHandle);
  CUstream_st* s = resolve(stream);
  if (s == nullptr) return record(cudaErrorInvalidResourceHandle);
  auto r = std::make_shared<EventRecord>();
  {
    std::lock_guard<std::mutex> lock(g_progress_mutex);
    event->last = r;
  }
  s->enqueue([r] {
    std::lock_guard<std::mutex> lock(g_progress_mutex);
    r->when = Clock::now();
    r->done = true;
  });
  return cudaSuccess;
}

cudaError_t CUDARTAPI cudaStreamWaitEvent(cudaStream_t stream, cudaEvent_t event, unsigned int flags) {
  SELU_EMU_ENTRY();
  if (!live_event(event) || flags != 0) return record(live_event(event) ? cudaErrorInvalidValue : cudaErrorInvalidResourceHandle);
  CUstream_st* s = resolve(stream);
  if (s == nullptr) return record(cudaErrorInvalidResourceHandle);
  std::shared_ptr<EventRecord> r;
  {
    std::lock_guard<std::mutex> lock(g_progress_mutex);
    r = event->last;  // the record current now; later re-records do not matter
  }
  if (r == nullptr) return cudaSuccess;  // never recorded: nothing to wait for
  s->enqueue([r] {
    std::unique_lock<std::mutex> lock(g_progress_mutex);
    g_progress.wait(lock, [&] { return r->done; });
  });
  return cudaSuccess;
}

cudaError_t CUDARTAPI cudaEventSynchronize(cudaEvent_t event) {
  SELU_EMU_ENTRY();
  if (!live_event(event)) return record(cudaErrorInvalidResourceHandle);
  std::unique_lock<std::mutex> lock(g_progress_mutex);
  std::shared_ptr<EventRecord> r = event->last;
  if (r != nullptr) g_progress.wait(lock, [&] { return r->done; });
  lock.unlock();
  return record(entry_error());
}

cudaError_t CUDARTAPI cudaEventElapsedTime(float* ms, cudaEvent_t start, cudaEvent_t end) {
  SELU_EMU_ENTRY();
  if (ms == nullptr) return record(cudaErrorInvalidValue);
  if (!live_event(start) || !live_event(end)) return record(cudaErrorInvalidResourceHandle);
  std::lock_guard<std::mutex> lock(g_progress_mutex);
  if ((start->flags | end->flags) & cudaEventDisableTiming) return record(cudaErrorInvalidResourceHandle);
  if (start->last == nullptr || end->last == nullptr) return record(cudaErrorInvalidResourceHandle);
  if (!start->last->done || !end->last->done) return record(cudaErrorNotReady);
  *ms = std::chrono::duration<float, std::milli>(end->last->when - start->last->when).count();
  return cudaSuccess;
}

}  // extern "C"
