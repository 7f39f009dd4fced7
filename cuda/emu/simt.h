// A SIMT emulator: runs the CUDA kernels of cuda/kernels on the CPU, compiled as plain C++ by the host
// compiler, so that the CUDA backend can be tested where there is no GPU (docs/GPU.md says what this
// proves and what it cannot). Test infrastructure only: the real addon never includes it.
//
// The emulated build force-includes this header before every kernel source (-include, with
// SELU_CUDA_EMU defined), so the .cu files compile unchanged apart from SELU_LAUNCH (launch_common.cuh).
//
// Model:
// - Every CUDA thread is a fiber (a pooled 64 KiB stack, switched by hand on x86-64, by ucontext
//   elsewhere). A block's threads run cooperatively
//   on one OS thread: a thread runs until it reaches __syncthreads, a warp shuffle or its end, then the
//   next one runs, in the order the schedule picks (forward, reverse or seeded random, re-drawn at every
//   pass), so code that relies on an order the hardware does not promise gives different results under
//   different schedules. Blocks are spread over a pool of OS threads.
// - __syncthreads is a counted barrier identified by its source line: it opens when every thread of the
//   block waits at that same line. A thread that exits, or waits at another barrier or in a shuffle,
//   while others wait is divergence: the launch fails with a message naming the threads and lines. It
//   never hangs.
// - __shfl_{sync,up,down,xor}_sync follow CUDA's rules over 32-lane warps: the calling lane must be in the
//   mask, every lane named in the mask must reach the same shuffle with the same mask (a lane that exits
//   or waits elsewhere fails the launch), width must be a power of two up to 32, and reading a lane
//   outside the mask (undefined on the hardware) fails the launch.
// - __shared__ variables are per block (thread_local statics: a block's threads share one OS thread,
//   and that thread runs one block at a time).
#pragma once

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

namespace selu_emu {

enum class Schedule { kForward, kReverse, kRandom };

// The order in which a block's runnable threads (and the grid's blocks) are taken. Read once from
// SELU_EMU_SCHEDULE (forward | reverse | random | random:SEED; default forward); tests may change it.
struct ScheduleChoice {
  Schedule schedule;
  uint64_t seed;
};
ScheduleChoice schedule();
void set_schedule(Schedule s, uint64_t seed);
const char* schedule_name(Schedule s);

// What the running CUDA thread sees as its built-in variables.
struct ThreadState;
struct BlockState {
  uint3 block_idx;
  dim3 block_dim;
  dim3 grid_dim;
};
struct Builtins {
  uint3 thread_idx;
  const BlockState* block;
};
extern thread_local Builtins* tls_builtins;

// Runs body once per thread of the grid (the caller's OS thread plus the pool) and returns when every
// block has finished. Returns "" or what went wrong (divergence, a bad shuffle), naming the block,
// threads and source lines. Used by the fake runtime's stream workers and by the emulator's tests.
std::string run_grid(dim3 grid, dim3 block, const std::function<void()>& body);

// ---- device-side primitives (called from kernels through the macros below) ---------------------------

void syncthreads(const char* file, int line);

enum class ShuffleKind { kIndex, kUp, kDown, kXor };
uint64_t shuffle_bits(ShuffleKind kind, const char* file, int line, unsigned mask, uint64_t bits, int arg, int width);

template <typename T>
T shuffle(ShuffleKind kind, const char* file, int line, unsigned mask, T var, int arg, int width = 32) {
  static_assert(std::is_trivially_copyable<T>::value && sizeof(T) <= 8, "shuffles move 4- or 8-byte values");
  uint64_t in = 0;
  std::memcpy(&in, &var, sizeof(T));
  const uint64_t out = shuffle_bits(kind, file, line, mask, in, arg, width);
  T r;
  std::memcpy(&r, &out, sizeof(T));
  return r;
}

// Atomics (blocks run on several OS threads at once): read-modify-write, returning the old value.
template <typename T>
T atomic_add(T* p, T v) {
  if constexpr (std::is_integral<T>::value) {
    return __atomic_fetch_add(p, v, __ATOMIC_RELAXED);
  } else {
    T old, sum;
    __atomic_load(p, &old, __ATOMIC_RELAXED);
    do {
      sum = static_cast<T>(old + v);
    } while (!__atomic_compare_exchange(p, &old, &sum, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED));
    return old;
  }
}
template <typename T>
T atomic_exch(T* p, T v) {
  return __atomic_exchange_n(p, v, __ATOMIC_RELAXED);
}
template <typename T>
T atomic_cas(T* p, T compare, T v) {
  __atomic_compare_exchange_n(p, &compare, v, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
  return compare;
}

// ---- launches -----------------------------------------------------------------------------------------

// Enqueues a grid on a stream of the fake runtime (cuda/emu/fake_runtime.cc); sets the launch error that
// cudaGetLastError returns (cudaErrorInvalidConfiguration for a bad geometry, as the hardware does).
void enqueue_grid(dim3 grid, dim3 block, size_t shared_bytes, cudaStream_t stream, const char* name,
                  std::function<void()> body);

// kernel<<<grid, block, shared, stream>>>(args...) as SELU_LAUNCH(grid, block, shared, stream, kernel)(args...):
// the arguments are converted to the kernel's parameter types and copied at the launch, as CUDA does.
template <typename... P>
struct Launch {
  dim3 grid, block;
  size_t shared_bytes;
  cudaStream_t stream;
  const char* name;
  void (*kernel)(P...);

  template <typename... A>
  void operator()(A&&... args) const {
    auto k = kernel;
    std::tuple<std::decay_t<P>...> copied(std::forward<A>(args)...);
    enqueue_grid(grid, block, shared_bytes, stream, name, [k, copied] { std::apply(k, copied); });
  }
};

template <typename... P>
Launch<P...> launcher(dim3 grid, dim3 block, size_t shared_bytes, cudaStream_t stream, const char* name,
                      void (*kernel)(P...)) {
  return Launch<P...>{grid, block, shared_bytes, stream, name, kernel};
}

}  // namespace selu_emu

// ---- the CUDA language, as the kernels use it --------------------------------------------------------
// cuda_runtime.h (included above, for the types) annotates with attributes g++ does not know: replace.
#undef __global__
#undef __device__
#undef __host__
#undef __shared__
#undef __launch_bounds__
#define __global__
#define __device__
#define __host__
#define __shared__ static thread_local
#define __launch_bounds__(...)

#define threadIdx (::selu_emu::tls_builtins->thread_idx)
#define blockIdx (::selu_emu::tls_builtins->block->block_idx)
#define blockDim (::selu_emu::tls_builtins->block->block_dim)
#define gridDim (::selu_emu::tls_builtins->block->grid_dim)

#define __syncthreads() ::selu_emu::syncthreads(__FILE__, __LINE__)
#define __shfl_sync(...) ::selu_emu::shuffle(::selu_emu::ShuffleKind::kIndex, __FILE__, __LINE__, __VA_ARGS__)
#define __shfl_up_sync(...) ::selu_emu::shuffle(::selu_emu::ShuffleKind::kUp, __FILE__, __LINE__, __VA_ARGS__)
#define __shfl_down_sync(...) ::selu_emu::shuffle(::selu_emu::ShuffleKind::kDown, __FILE__, __LINE__, __VA_ARGS__)
#define __shfl_xor_sync(...) ::selu_emu::shuffle(::selu_emu::ShuffleKind::kXor, __FILE__, __LINE__, __VA_ARGS__)
#define atomicAdd(p, v) ::selu_emu::atomic_add(p, v)
#define atomicExch(p, v) ::selu_emu::atomic_exch(p, v)
#define atomicCAS(p, c, v) ::selu_emu::atomic_cas(p, c, v)
