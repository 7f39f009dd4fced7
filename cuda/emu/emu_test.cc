// The SIMT emulator's and the fake runtime's own tests: barriers and their divergence errors, the
// shuffle rules, schedule selection, atomics, and the runtime semantics the glue relies on (stream
// order, events, stream-ordered allocation with poison, host functions refusing CUDA calls, OOM, launch
// configuration errors). Run by scripts/test-cuda-emu.js (and under the sanitizers by test:sanitize).
#include "simt.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

namespace {

int failures = 0;

#define CHECK(cond, ...)                                               \
  do {                                                                 \
    if (!(cond)) {                                                     \
      ++failures;                                                      \
      std::fprintf(stderr, "%s:%d: FAILED %s: ", __FILE__, __LINE__, #cond); \
      std::fprintf(stderr, __VA_ARGS__);                               \
      std::fprintf(stderr, "\n");                                      \
    }                                                                  \
  } while (0)

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

const selu_emu::Schedule kSchedules[] = {selu_emu::Schedule::kForward, selu_emu::Schedule::kReverse,
                                         selu_emu::Schedule::kRandom};

// ---- barriers ----------------------------------------------------------------------------------------

// Sum of 0..n−1 through shared memory: correct only if the barriers order the writes before the reads.
void barrier_sum(unsigned* out) {
  __shared__ unsigned values[256];
  values[threadIdx.x] = threadIdx.x + blockIdx.x;
  __syncthreads();
  if (threadIdx.x == 0) {
    unsigned s = 0;
    for (unsigned i = 0; i < blockDim.x; ++i) s += values[i];
    out[blockIdx.x] = s;
  }
}

void test_barriers() {
  for (auto sched : kSchedules) {
    selu_emu::set_schedule(sched, 7);
    std::vector<unsigned> out(37, 0);
    const std::string e = selu_emu::run_grid(dim3(37), dim3(256), [&] { barrier_sum(out.data()); });
    CHECK(e.empty(), "%s", e.c_str());
    for (unsigned b = 0; b < 37; ++b) CHECK(out[b] == 255 * 256 / 2 + 256 * b, "block %u: %u", b, out[b]);
  }
  // Without the barrier the reads race with the writes: forward and reverse give different sums.
  std::vector<unsigned> sums;
  for (auto sched : {selu_emu::Schedule::kForward, selu_emu::Schedule::kReverse}) {
    selu_emu::set_schedule(sched, 0);
    unsigned out = 0;
    selu_emu::run_grid(dim3(1), dim3(64), [&] {
      __shared__ unsigned v[64];
      v[threadIdx.x] = 1;  // thread 0 then reads the others' slots with no barrier in between
      if (threadIdx.x == 0) {
        unsigned s = 0;
        for (unsigned i = 0; i < 64; ++i) s += v[i];
        out = s;
      }
      __syncthreads();
      v[threadIdx.x] = 0;
    });
    sums.push_back(out);
  }
  CHECK(sums[0] != sums[1], "a missing barrier must show: %u vs %u", sums[0], sums[1]);

  selu_emu::set_schedule(selu_emu::Schedule::kForward, 0);
  std::string e = selu_emu::run_grid(dim3(2), dim3(64), [] {
    if (threadIdx.x == 5) return;  // exits while the others wait
    __syncthreads();
  });
  CHECK(contains(e, "__syncthreads divergence") && contains(e, "thread 5 is exited"), "%s", e.c_str());
  e = selu_emu::run_grid(dim3(1), dim3(64), [] {
    if (threadIdx.x < 32) {
      __syncthreads();
    } else {
      __syncthreads();  // another barrier
    }
  });
  CHECK(contains(e, "__syncthreads divergence"), "%s", e.c_str());
  e = selu_emu::run_grid(dim3(1), dim3(64), [] {
    if (threadIdx.x == 0) __syncthreads();  // one thread waits, the rest exit
  });
  CHECK(contains(e, "divergence"), "%s", e.c_str());
}

// ---- shuffles ----------------------------------------------------------------------------------------

int expected_source(int kind, int lane, int arg, int width) {
  const int base = lane & ~(width - 1), in = lane & (width - 1);
  switch (kind) {
    case 0: return base + (arg & (width - 1));
    case 1: return in - arg < 0 ? lane : lane - arg;
    case 2: return in + arg >= width ? lane : lane + arg;
    default: return (lane ^ arg) >= base + width ? lane : lane ^ arg;
  }
}

void test_shuffles() {
  for (auto sched : kSchedules) {
    selu_emu::set_schedule(sched, 3);
    for (int width : {32, 16, 8, 4, 2, 1}) {
      for (int arg : {0, 1, 3, 5, 16, 31}) {
        std::vector<int> got(4 * 64, -1);
        const std::string e = selu_emu::run_grid(dim3(1), dim3(64), [&] {
          const int lane = static_cast<int>(threadIdx.x);
          got[0 * 64 + lane] = __shfl_sync(0xffffffffu, lane, arg, width);
          got[1 * 64 + lane] = __shfl_up_sync(0xffffffffu, lane, static_cast<unsigned>(arg), width);
          got[2 * 64 + lane] = __shfl_down_sync(0xffffffffu, lane, static_cast<unsigned>(arg), width);
          got[3 * 64 + lane] = __shfl_xor_sync(0xffffffffu, lane, arg, width);
        });
        CHECK(e.empty(), "%s", e.c_str());
        for (int k = 0; k < 4; ++k) {
          for (int t = 0; t < 64; ++t) {
            const int lane = t % 32, want = expected_source(k, lane, arg, width) + (t - lane);
            CHECK(got[k * 64 + t] == want, "kind %d width %d arg %d thread %d: %d, want %d", k, width, arg, t, got[k * 64 + t], want);
          }
        }
      }
    }
  }
  selu_emu::set_schedule(selu_emu::Schedule::kForward, 0);
  double d = 0;
  std::string e = selu_emu::run_grid(dim3(1), dim3(32), [&] {
    const double v = __shfl_down_sync(0xffffffffu, 1.5 * threadIdx.x, 1u);
    if (threadIdx.x == 30) d = v;
  });
  CHECK(e.empty() && d == 1.5 * 31, "doubles: %s %g", e.c_str(), d);
  e = selu_emu::run_grid(dim3(1), dim3(32), [] {
    if (threadIdx.x == 7) return;  // a lane named in the mask never arrives
    __shfl_down_sync(0xffffffffu, 1, 1u);
  });
  CHECK(contains(e, "divergent shuffle") && contains(e, "thread 7 is exited"), "%s", e.c_str());
  e = selu_emu::run_grid(dim3(1), dim3(32), [] { __shfl_sync(0x0000fffeu, 1, 0); });
  CHECK(contains(e, "not in its mask"), "%s", e.c_str());
  e = selu_emu::run_grid(dim3(1), dim3(32), [] {
    if (threadIdx.x < 16) __shfl_down_sync(0x0000ffffu, 1, 1u);  // lane 15 reads lane 16: not in the mask
  });
  CHECK(contains(e, "not in the mask"), "%s", e.c_str());
  e = selu_emu::run_grid(dim3(1), dim3(32), [] { __shfl_xor_sync(0xffffffffu, 1, 1, 3); });
  CHECK(contains(e, "not a power of two"), "%s", e.c_str());
  e = selu_emu::run_grid(dim3(1), dim3(16), [] { __shfl_sync(0xffffffffu, 1, 0); });
  CHECK(contains(e, "does not exist"), "%s", e.c_str());
  e = selu_emu::run_grid(dim3(1), dim3(32), [] {
    if (threadIdx.x == 3) __syncthreads(); else __shfl_sync(0xffffffffu, 1, 0);
  });
  CHECK(contains(e, "divergent shuffle") || contains(e, "divergence"), "%s", e.c_str());
}

// ---- schedules ---------------------------------------------------------------------------------------

std::vector<unsigned> order_under(selu_emu::Schedule s, uint64_t seed) {
  selu_emu::set_schedule(s, seed);
  std::vector<unsigned> order;
  selu_emu::run_grid(dim3(1), dim3(64), [&] { order.push_back(threadIdx.x); });  // one OS thread per block
  return order;
}

void test_schedules() {
  const auto fwd = order_under(selu_emu::Schedule::kForward, 0);
  const auto rev = order_under(selu_emu::Schedule::kReverse, 0);
  const auto r1 = order_under(selu_emu::Schedule::kRandom, 1);
  const auto r1b = order_under(selu_emu::Schedule::kRandom, 1);
  const auto r2 = order_under(selu_emu::Schedule::kRandom, 2);
  CHECK(fwd.size() == 64 && fwd.front() == 0 && fwd.back() == 63 && std::is_sorted(fwd.begin(), fwd.end()), "forward");
  CHECK(rev.size() == 64 && std::is_sorted(rev.rbegin(), rev.rend()), "reverse");
  CHECK(r1 == r1b, "a seed gives one order");
  CHECK(r1 != r2 && r1 != fwd && r1 != rev, "random orders differ");
  auto sorted = r1;
  std::sort(sorted.begin(), sorted.end());
  CHECK(sorted == fwd, "random is a permutation");
  selu_emu::set_schedule(selu_emu::Schedule::kForward, 0);
}

// ---- atomics -----------------------------------------------------------------------------------------

void test_atomics() {
  unsigned long long total = 0;
  double dsum = 0;
  const std::string e = selu_emu::run_grid(dim3(64), dim3(128), [&] {
    atomicAdd(&total, 1ull);
    atomicAdd(&dsum, 0.5);
  });
  CHECK(e.empty() && total == 64 * 128 && dsum == 64 * 64, "%llu %g", total, dsum);
}

// ---- the fake runtime --------------------------------------------------------------------------------

struct HostFnProbe {
  cudaError_t inside = cudaSuccess;
  std::vector<float> seen;
  const float* device = nullptr;
};

void test_runtime() {
  cudaStream_t a, b;
  CHECK(cudaStreamCreateWithFlags(&a, cudaStreamNonBlocking) == cudaSuccess, "create");
  CHECK(cudaStreamCreateWithFlags(&b, cudaStreamNonBlocking) == cudaSuccess, "create");
  // Stream-ordered allocation: poisoned (NaN) until written; freed at its stream position.
  float* p = nullptr;
  CHECK(cudaMallocAsync(reinterpret_cast<void**>(&p), 1024 * sizeof(float), a) == cudaSuccess, "mallocAsync");
  std::vector<float> host(1024, 0.f);
  CHECK(cudaMemcpyAsync(host.data(), p, 1024 * sizeof(float), cudaMemcpyDeviceToHost, a) == cudaSuccess, "d2h");
  CHECK(host[0] != host[0] && host[1023] != host[1023], "fresh memory is poisoned");
  // Cross-stream order through an event: b's copy sees a's kernel.
  selu_emu::launcher(dim3(4), dim3(256), 0, a, "fill", +[](float* q) { q[blockIdx.x * 256 + threadIdx.x] = 2.f; })(p);
  cudaEvent_t ev;
  CHECK(cudaEventCreateWithFlags(&ev, cudaEventDisableTiming) == cudaSuccess, "event");
  CHECK(cudaEventRecord(ev, a) == cudaSuccess, "record");
  CHECK(cudaStreamWaitEvent(b, ev, 0) == cudaSuccess, "wait");
  // A host function runs on the stream's worker, after the work before it, and may not call CUDA.
  HostFnProbe probe;
  probe.device = p;
  CHECK(cudaLaunchHostFunc(b, [](void* d) {
          HostFnProbe* pr = static_cast<HostFnProbe*>(d);
          void* q = nullptr;
          pr->inside = cudaMalloc(&q, 16);
          pr->seen.assign(pr->device, pr->device + 1024);
        }, &probe) == cudaSuccess, "host fn");
  CHECK(cudaStreamSynchronize(b) == cudaSuccess, "sync");
  CHECK(probe.inside == cudaErrorNotPermitted, "CUDA calls in a host function: %d", probe.inside);
  CHECK(probe.seen.size() == 1024 && probe.seen[0] == 2.f && probe.seen[1023] == 2.f, "event order");
  CHECK(cudaGetLastError() == cudaSuccess, "the refused call was on another thread");
  float ms = 0;
  CHECK(cudaEventElapsedTime(&ms, ev, ev) == cudaErrorInvalidResourceHandle, "no timing on DisableTiming events");
  CHECK(cudaFreeAsync(p, a) == cudaSuccess, "freeAsync");
  CHECK(cudaFreeAsync(p, a) == cudaErrorInvalidValue, "double free");
  CHECK(cudaGetLastError() == cudaErrorInvalidValue, "last error recorded");
  CHECK(cudaGetLastError() == cudaSuccess, "and cleared");
  // Launch configuration errors are launch errors, reported by cudaGetLastError.
  selu_emu::launcher(dim3(1), dim3(2048), 0, a, "too big", +[] {})();
  CHECK(cudaGetLastError() == cudaErrorInvalidConfiguration, "block of 2048");
  selu_emu::launcher(dim3(0), dim3(32), 0, a, "empty", +[] {})();
  CHECK(cudaGetLastError() == cudaErrorInvalidConfiguration, "grid of 0");
  // Out of memory (the default size is 1.5 GiB).
  void* big = nullptr;
  CHECK(cudaMalloc(&big, size_t{4} << 30) == cudaErrorMemoryAllocation, "OOM");
  CHECK(cudaGetLastError() == cudaErrorMemoryAllocation, "OOM recorded");
  // Copies are bounds-checked against the allocation.
  void* small = nullptr;
  CHECK(cudaMalloc(&small, 64) == cudaSuccess, "malloc");
  CHECK(cudaMemcpyAsync(small, host.data(), 65, cudaMemcpyHostToDevice, a) == cudaErrorInvalidValue, "overrun");
  CHECK(cudaMemcpyAsync(host.data(), small, 16, cudaMemcpyHostToDevice, a) == cudaErrorInvalidValue, "wrong kind");
  cudaGetLastError();
  CHECK(cudaFree(small) == cudaSuccess, "free");
  CHECK(cudaStreamDestroy(a) == cudaSuccess && cudaStreamDestroy(b) == cudaSuccess, "destroy");
  CHECK(cudaStreamSynchronize(a) == cudaErrorInvalidResourceHandle, "destroyed stream");
  cudaGetLastError();
  CHECK(cudaEventDestroy(ev) == cudaSuccess, "event destroy");
}

}  // namespace

int main() {
  test_barriers();
  test_shuffles();
  test_schedules();
  test_atomics();
  test_runtime();
  if (failures != 0) {
    std::fprintf(stderr, "emu_test: %d failure(s)\n", failures);
    return 1;
  }
  std::printf("emu_test: all passed\n");
  return 0;
}
