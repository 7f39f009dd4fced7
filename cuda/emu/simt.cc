// The SIMT emulator's scheduler (see simt.h for the model): fibers, the per-block cooperative scheduler
// with its barrier and shuffle rendezvous, and the pool of OS threads that runs the blocks.
#include "simt.h"

#if !defined(__x86_64__)
#include <ucontext.h>
#endif

#include <algorithm>
#include <cstdarg>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#define SELU_EMU_ASAN 1
#endif

#if defined(__x86_64__)
// switch_context(&from, to): saves the callee-saved registers and the FP control words on the current
// stack, stores its stack pointer in *from, and continues on stack `to` (a hand-rolled swapcontext
// without the signal-mask system call that makes ucontext slow: a launch switches millions of times).
extern "C" void selu_emu_switch_context(void** from, void* to);
asm(R"(
  .text
  .globl selu_emu_switch_context
  .type selu_emu_switch_context, @function
selu_emu_switch_context:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  subq $8, %rsp
  stmxcsr (%rsp)
  fnstcw 4(%rsp)
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  ldmxcsr (%rsp)
  fldcw 4(%rsp)
  addq $8, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .size selu_emu_switch_context, .-selu_emu_switch_context
  .section .note.GNU-stack,"",@progbits
  .text
)");
#endif

namespace selu_emu {

thread_local Builtins* tls_builtins = nullptr;

namespace {

// ---- execution contexts -----------------------------------------------------------------------------------

#if defined(__x86_64__)
struct Context {
  void* sp = nullptr;
};

void switch_to(Context& from, Context& to) { selu_emu_switch_context(&from.sp, to.sp); }

// A fresh context that starts entry() on the stack [stack, stack + bytes) when switched to.
void make_context(Context& c, char* stack, size_t bytes, void (*entry)()) {
  uintptr_t top = (reinterpret_cast<uintptr_t>(stack) + bytes) & ~uintptr_t{15};
  void** sp = reinterpret_cast<void**>(top);
  *--sp = nullptr;                               // entry's return address: it never returns
  *--sp = reinterpret_cast<void*>(entry);        // where the first switch "returns" to
  for (int i = 0; i < 6; ++i) *--sp = nullptr;   // rbp rbx r12 r13 r14 r15
  --sp;
  const uint32_t mxcsr = 0x1f80, fcw = 0x037f;   // the ABI's initial FP control state
  std::memcpy(sp, &mxcsr, 4);
  std::memcpy(reinterpret_cast<char*>(sp) + 4, &fcw, 4);
  c.sp = sp;
}
#else
struct Context {
  ucontext_t uc;
};

void switch_to(Context& from, Context& to) { swapcontext(&from.uc, &to.uc); }

void make_context(Context& c, char* stack, size_t bytes, void (*entry)()) {
  getcontext(&c.uc);
  c.uc.uc_stack.ss_sp = stack;
  c.uc.uc_stack.ss_size = bytes;
  c.uc.uc_link = nullptr;
  makecontext(&c.uc, entry, 0);
}
#endif

// ---- schedule -------------------------------------------------------------------------------------------

ScheduleChoice from_env() {
  const char* v = std::getenv("SELU_EMU_SCHEDULE");
  const std::string s = v != nullptr ? v : "forward";
  if (s == "forward" || s.empty()) return {Schedule::kForward, 0};
  if (s == "reverse") return {Schedule::kReverse, 0};
  if (s.rfind("random", 0) == 0) {
    const uint64_t seed = s.size() > 7 && s[6] == ':' ? std::strtoull(s.c_str() + 7, nullptr, 10) : 1;
    return {Schedule::kRandom, seed};
  }
  std::fprintf(stderr, "selu emulator: SELU_EMU_SCHEDULE=%s is not forward, reverse, random or random:SEED\n", s.c_str());
  std::abort();
}

std::mutex g_schedule_mutex;
ScheduleChoice& schedule_ref() {
  static ScheduleChoice c = from_env();
  return c;
}

// Fiber stacks: the kernels keep a few hundred bytes per thread; AddressSanitizer's redzones need more.
#if defined(SELU_EMU_ASAN)
constexpr size_t kStackBytes = 256 * 1024;
#else
constexpr size_t kStackBytes = 64 * 1024;
#endif

// ---- one block's threads --------------------------------------------------------------------------------

enum class State { kReady, kBarrier, kShuffle, kDone, kFailed };

struct Site {
  const char* file = nullptr;
  int line = 0;
  bool operator==(const Site& o) const { return line == o.line && (file == o.file || std::strcmp(file, o.file) == 0); }
};

std::string where(const Site& s) { return std::string(s.file) + ":" + std::to_string(s.line); }

struct Fiber {
  Context ctx;
  std::unique_ptr<char[]> stack;
  Builtins builtins;
  State state = State::kReady;
  Site site;  // the barrier or shuffle it waits at
  // shuffle operands and result
  ShuffleKind kind = ShuffleKind::kIndex;
  unsigned mask = 0;
  int arg = 0, width = 32;
  uint64_t in = 0, out = 0;
#if defined(SELU_EMU_ASAN)
  void* fake_stack = nullptr;
#endif
};

// Per OS thread: the fibers of the block it runs and the scheduler's own context.
struct Worker {
  std::vector<std::unique_ptr<Fiber>> fibers;
  size_t count = 0;  // threads in the current block
  Fiber* current = nullptr;
  Context scheduler;
  const std::function<void()>* body = nullptr;
  BlockState block;
  std::string error;  // the current block's failure
#if defined(SELU_EMU_ASAN)
  const void* sched_bottom = nullptr;
  size_t sched_size = 0;
  void* sched_fake = nullptr;
#endif
};

thread_local Worker* tls_worker = nullptr;

// Fiber → scheduler. `exiting`: the fiber will never be resumed.
void to_scheduler(Worker& w, Fiber& f, bool exiting) {
#if defined(SELU_EMU_ASAN)
  __sanitizer_start_switch_fiber(exiting ? nullptr : &f.fake_stack, w.sched_bottom, w.sched_size);
#else
  (void)exiting;
#endif
  switch_to(f.ctx, w.scheduler);
#if defined(SELU_EMU_ASAN)
  __sanitizer_finish_switch_fiber(f.fake_stack, &w.sched_bottom, &w.sched_size);
#endif
  tls_builtins = &f.builtins;
}

void fiber_main() {
  Worker& w = *tls_worker;
  Fiber& f = *w.current;
#if defined(SELU_EMU_ASAN)
  __sanitizer_finish_switch_fiber(nullptr, &w.sched_bottom, &w.sched_size);
#endif
  tls_builtins = &f.builtins;
  (*w.body)();
  f.state = State::kDone;
  to_scheduler(w, f, true);
}

void resume(Worker& w, Fiber& f) {
  w.current = &f;
#if defined(SELU_EMU_ASAN)
  __sanitizer_start_switch_fiber(&w.sched_fake, f.stack.get(), kStackBytes);
#endif
  switch_to(w.scheduler, f.ctx);
#if defined(SELU_EMU_ASAN)
  __sanitizer_finish_switch_fiber(w.sched_fake, nullptr, nullptr);
#endif
  w.current = nullptr;
  tls_builtins = nullptr;
}

// Fails the block from inside a fiber: the scheduler sees kFailed and abandons the block.
[[noreturn]] __attribute__((format(printf, 1, 2))) void fail_in_kernel(const char* format, ...) {
  // Formatted into a local buffer: nothing on the abandoned fiber's stack may own heap memory.
  char message[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(message, sizeof message, format, args);
  va_end(args);
  Worker& w = *tls_worker;
  Fiber& f = *w.current;
  if (w.error.empty()) w.error = message;
  f.state = State::kFailed;
  to_scheduler(w, f, true);
  std::abort();  // never resumed
}

std::string thread_name(const Fiber& f) {
  return "thread " + std::to_string(f.builtins.thread_idx.x) +
         (f.builtins.thread_idx.y || f.builtins.thread_idx.z
              ? "," + std::to_string(f.builtins.thread_idx.y) + "," + std::to_string(f.builtins.thread_idx.z)
              : std::string());
}

std::string state_name(const Fiber& f) {
  switch (f.state) {
    case State::kReady: return "running";
    case State::kBarrier: return "waiting at __syncthreads " + where(f.site);
    case State::kShuffle: return "in a shuffle at " + where(f.site);
    case State::kDone: return "exited";
    case State::kFailed: return "failed";
  }
  return "?";
}

constexpr unsigned kWarp = 32;

std::string hex(unsigned v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

bool power_of_two_width(int w) { return w >= 1 && w <= 32 && (w & (w - 1)) == 0; }

// The source lane of lane `lane` for a shuffle, or −1 where CUDA returns the lane's own value.
int source_lane(const Fiber& f, unsigned lane) {
  const int w = f.width;
  const int base = static_cast<int>(lane) & ~(w - 1);
  const int in_seg = static_cast<int>(lane) & (w - 1);
  switch (f.kind) {
    case ShuffleKind::kIndex: return base + (f.arg & (w - 1));
    case ShuffleKind::kUp: return in_seg - f.arg < 0 ? -1 : static_cast<int>(lane) - f.arg;
    case ShuffleKind::kDown: return in_seg + f.arg >= w ? -1 : static_cast<int>(lane) + f.arg;
    case ShuffleKind::kXor: {
      const int src = static_cast<int>(lane) ^ f.arg;
      return src >= base + w ? -1 : src;  // later groups: own value (earlier ones are readable)
    }
  }
  return -1;
}

// Called when thread `index` has just entered a shuffle (final_check: when the block can make no other
// progress): completes the shuffle if every lane of its mask is there. Returns an error message for
// divergence or misuse, "" otherwise. O(32) per arrival: it stops at the first lane still running.
std::string try_complete_shuffle(Worker& w, size_t index, bool final_check) {
  const size_t first = index / kWarp * kWarp;
  const size_t lanes = std::min<size_t>(kWarp, w.count - first);
  const Fiber& f = *w.fibers[index];
  for (unsigned j = 0; j < kWarp; ++j) {
    if (!(f.mask >> j & 1u)) continue;
    if (j >= lanes) {
      return "shuffle at " + where(f.site) + ": mask " + hex(f.mask) + " of " + thread_name(f) + " names lane " +
             std::to_string(j) + ", which does not exist in a block of " + std::to_string(w.count) + " threads";
    }
    const Fiber& g = *w.fibers[first + j];
    if (g.state == State::kReady && !final_check) return "";  // not there yet
    if (g.state != State::kShuffle || !(g.site == f.site) || g.mask != f.mask || g.kind != f.kind || g.width != f.width) {
      return "divergent shuffle: " + thread_name(f) + " is in a shuffle at " + where(f.site) + " with lane " +
             std::to_string(j) + " in its mask, but " + thread_name(g) + " is " +
             (g.state == State::kShuffle && g.site == f.site ? "in it with another mask, kind or width" : state_name(g));
    }
  }
  // Every lane of the mask is here: compute all results at once, then release them.
  const unsigned mask = f.mask;
  for (unsigned j = 0; j < lanes; ++j) {
    if (!(mask >> j & 1u)) continue;
    Fiber& g = *w.fibers[first + j];
    const int src = source_lane(g, j);
    if (src >= 0 && !(mask >> src & 1u)) {
      return "shuffle at " + where(g.site) + ": lane " + std::to_string(j) + " reads lane " + std::to_string(src) +
             ", which is not in the mask (undefined on the hardware)";
    }
    g.out = src < 0 ? g.in : w.fibers[first + static_cast<unsigned>(src)]->in;
  }
  for (unsigned j = 0; j < lanes; ++j) {
    if (mask >> j & 1u) w.fibers[first + j]->state = State::kReady;
  }
  return "";
}

// The whole block waits: opens the barrier if every thread is at the same one, else explains.
std::string open_barrier_or_explain(Worker& w) {
  const Fiber* at = nullptr;
  for (size_t i = 0; i < w.count; ++i) {
    if (w.fibers[i]->state == State::kBarrier) {
      at = w.fibers[i].get();
      break;
    }
  }
  if (at != nullptr) {
    for (size_t i = 0; i < w.count; ++i) {
      const Fiber& g = *w.fibers[i];
      if (g.state != State::kBarrier || !(g.site == at->site)) {
        return "__syncthreads divergence: " + thread_name(*at) + " waits at " + where(at->site) + " but " +
               thread_name(g) + " is " + state_name(g);
      }
    }
    for (size_t i = 0; i < w.count; ++i) w.fibers[i]->state = State::kReady;
    return "";
  }
  // Nobody at a barrier: lanes stuck in shuffles whose partners are gone.
  for (size_t i = 0; i < w.count; ++i) {
    if (w.fibers[i]->state != State::kShuffle) continue;
    std::string e = try_complete_shuffle(w, i, true);
    if (!e.empty()) return e;
  }
  return "the block cannot make progress (emulator error)";
}

class Order {
 public:
  Order(ScheduleChoice c, uint64_t block_key) : c_(c), rng_(c.seed * 0x9e3779b97f4a7c15ull ^ block_key) {}
  const std::vector<unsigned>& next(size_t n) {
    if (order_.size() != n) {
      order_.resize(n);
      for (size_t i = 0; i < n; ++i) order_[i] = static_cast<unsigned>(i);
      if (c_.schedule == Schedule::kReverse) std::reverse(order_.begin(), order_.end());
    }
    if (c_.schedule == Schedule::kRandom) std::shuffle(order_.begin(), order_.end(), rng_);
    return order_;
  }

 private:
  ScheduleChoice c_;
  std::mt19937_64 rng_;
  std::vector<unsigned> order_;
};

// Runs one block to the end; returns "" or the failure.
std::string run_block(Worker& w, ScheduleChoice sched, uint64_t block_key) {
  w.error.clear();
  for (size_t i = 0; i < w.count; ++i) {
    Fiber& f = *w.fibers[i];
    const unsigned x = static_cast<unsigned>(i % w.block.block_dim.x);
    const unsigned y = static_cast<unsigned>(i / w.block.block_dim.x % w.block.block_dim.y);
    const unsigned z = static_cast<unsigned>(i / (size_t{w.block.block_dim.x} * w.block.block_dim.y));
    f.builtins = Builtins{uint3{x, y, z}, &w.block};
    f.state = State::kReady;
#if defined(SELU_EMU_ASAN)
    // The stack's last user may have been abandoned mid-frame (a failed block): clear its poisoning.
    __asan_unpoison_memory_region(f.stack.get(), kStackBytes);
#endif
    make_context(f.ctx, f.stack.get(), kStackBytes, fiber_main);
  }
  Order order(sched, block_key);
  size_t done = 0;
  while (done < w.count) {
    bool ran = false;
    for (unsigned i : order.next(w.count)) {
      Fiber& f = *w.fibers[i];
      if (f.state != State::kReady) continue;
      resume(w, f);
      ran = true;
      if (f.state == State::kFailed) return w.error;
      if (f.state == State::kDone) ++done;
      if (f.state == State::kShuffle) {
        const std::string e = try_complete_shuffle(w, i, false);
        if (!e.empty()) return e;
      }
    }
    if (!ran && done < w.count) {
      const std::string e = open_barrier_or_explain(w);
      if (!e.empty()) return e;
    }
  }
  return "";
}

// ---- the grid -----------------------------------------------------------------------------------------

struct Grid {
  dim3 grid, block;
  const std::function<void()>* body;
  ScheduleChoice sched;
  uint64_t blocks;
  uint64_t step;  // the block order: i → (i·step + offset) mod blocks, a permutation (step odd, coprime)
  uint64_t offset;
  std::atomic<uint64_t> next{0};
  std::atomic<uint64_t> finished{0};
  std::mutex m;
  std::condition_variable cv;
  std::string error;
  std::atomic<bool> failed{false};
};

uint64_t gcd(uint64_t a, uint64_t b) {
  while (b != 0) {
    const uint64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

Worker& this_worker() {
  thread_local Worker w;
  tls_worker = &w;
  return w;
}

// Takes blocks of g until none is left.
void work_on(Grid& g) {
  Worker& w = this_worker();
  const size_t threads = size_t{g.block.x} * g.block.y * g.block.z;
  while (w.fibers.size() < threads) {
    auto f = std::make_unique<Fiber>();
    f->stack.reset(new char[kStackBytes]);
    w.fibers.push_back(std::move(f));
  }
  w.count = threads;
  w.body = g.body;
  for (;;) {
    const uint64_t i = g.next.fetch_add(1);
    if (i >= g.blocks) break;
    if (!g.failed.load()) {
      const uint64_t b = g.sched.schedule == Schedule::kReverse ? g.blocks - 1 - i : (i * g.step + g.offset) % g.blocks;
      w.block.grid_dim = g.grid;
      w.block.block_dim = g.block;
      w.block.block_idx = uint3{static_cast<unsigned>(b % g.grid.x), static_cast<unsigned>(b / g.grid.x % g.grid.y),
                                static_cast<unsigned>(b / (uint64_t{g.grid.x} * g.grid.y))};
      const std::string e = run_block(w, g.sched, b);
      if (!e.empty()) {
        std::lock_guard<std::mutex> lock(g.m);
        if (!g.failed.exchange(true)) {
          g.error = "block (" + std::to_string(w.block.block_idx.x) + "," + std::to_string(w.block.block_idx.y) + "," +
                    std::to_string(w.block.block_idx.z) + "): " + e;
        }
      }
    }
    if (g.finished.fetch_add(1) + 1 == g.blocks) {
      std::lock_guard<std::mutex> lock(g.m);
      g.cv.notify_all();
    }
  }
  w.body = nullptr;
}

// OS threads that help run the blocks of whichever grids are running.
class Pool {
 public:
  Pool() {
    const char* v = std::getenv("SELU_EMU_THREADS");
    unsigned n = v != nullptr ? static_cast<unsigned>(std::atoi(v)) : std::thread::hardware_concurrency();
    if (n < 1) n = 1;
    for (unsigned i = 1; i < n; ++i) std::thread([this] { loop(); }).detach();  // lives as long as the process
  }
  void offer(Grid* g, unsigned helpers) {
    std::lock_guard<std::mutex> lock(m_);
    for (unsigned i = 0; i < helpers; ++i) queue_.push_back(g);
    cv_.notify_all();
  }
  // Waits until no helper still holds g.
  void wait_idle(Grid* g) {
    std::unique_lock<std::mutex> lock(m_);
    queue_.erase(std::remove(queue_.begin(), queue_.end(), g), queue_.end());
    idle_.wait(lock, [&] { return std::count(active_.begin(), active_.end(), g) == 0; });
  }

 private:
  void loop() {
    std::unique_lock<std::mutex> lock(m_);
    for (;;) {
      cv_.wait(lock, [&] { return !queue_.empty(); });
      Grid* g = queue_.front();
      queue_.pop_front();
      active_.push_back(g);
      lock.unlock();
      work_on(*g);
      lock.lock();
      active_.erase(std::find(active_.begin(), active_.end(), g));
      idle_.notify_all();
    }
  }
  std::mutex m_;
  std::condition_variable cv_, idle_;
  std::deque<Grid*> queue_;
  std::vector<Grid*> active_;
};

Pool& pool() {
  static Pool* p = new Pool();  // never destroyed: its threads outlive static destruction
  return *p;
}

}  // namespace

ScheduleChoice schedule() {
  std::lock_guard<std::mutex> lock(g_schedule_mutex);
  return schedule_ref();
}

void set_schedule(Schedule s, uint64_t seed) {
  std::lock_guard<std::mutex> lock(g_schedule_mutex);
  schedule_ref() = ScheduleChoice{s, seed};
}

const char* schedule_name(Schedule s) {
  switch (s) {
    case Schedule::kForward: return "forward";
    case Schedule::kReverse: return "reverse";
    case Schedule::kRandom: return "random";
  }
  return "?";
}

std::string run_grid(dim3 grid, dim3 block, const std::function<void()>& body) {
  Grid g;
  g.grid = grid;
  g.block = block;
  g.body = &body;
  g.sched = schedule();
  g.blocks = uint64_t{grid.x} * grid.y * grid.z;
  g.step = 1;
  g.offset = 0;
  if (g.sched.schedule == Schedule::kRandom && g.blocks > 1) {
    std::mt19937_64 rng(g.sched.seed);
    g.offset = rng() % g.blocks;
    g.step = (rng() % g.blocks) | 1;
    while (gcd(g.step, g.blocks) != 1) g.step += 2;
  }
  if (g.blocks == 0) return "";
  const unsigned helpers = static_cast<unsigned>(std::min<uint64_t>(g.blocks - 1, 64));
  if (helpers > 0) pool().offer(&g, helpers);
  work_on(g);
  {
    std::unique_lock<std::mutex> lock(g.m);
    g.cv.wait(lock, [&] { return g.finished.load() >= g.blocks; });
  }
  pool().wait_idle(&g);
  return g.error;
}

void syncthreads(const char* file, int line) {
  Worker& w = *tls_worker;
  Fiber& f = *w.current;
  f.state = State::kBarrier;
  f.site = Site{file, line};
  to_scheduler(w, f, false);
}

uint64_t shuffle_bits(ShuffleKind kind, const char* file, int line, unsigned mask, uint64_t bits, int arg, int width) {
  Worker& w = *tls_worker;
  Fiber& f = *w.current;
  const size_t index = size_t{f.builtins.thread_idx.x} +
                       size_t{w.block.block_dim.x} * (f.builtins.thread_idx.y + size_t{w.block.block_dim.y} * f.builtins.thread_idx.z);
  const unsigned my_lane = static_cast<unsigned>(index % kWarp);
  if (!power_of_two_width(width)) {
    fail_in_kernel("shuffle at %s:%d: width %d is not a power of two from 1 to 32", file, line, width);
  }
  if (!(mask >> my_lane & 1u)) {
    fail_in_kernel("shuffle at %s:%d: the calling lane %u is not in its mask", file, line, my_lane);
  }
  f.kind = kind;
  f.mask = mask;
  f.arg = arg;
  f.width = width;
  f.in = bits;
  f.site = Site{file, line};
  f.state = State::kShuffle;
  to_scheduler(w, f, false);
  return f.out;
}

}  // namespace selu_emu
