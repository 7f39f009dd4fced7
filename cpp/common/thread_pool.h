// A persistent pool of worker threads shared by every Node context in the process.
//
// Work is split by the caller into a fixed number of chunks whose boundaries depend only on the
// problem size, never on the number of threads, so results are bit-identical for any pool size.
// The calling thread takes chunks too.
//
// Hand-off: waking a thread that sleeps on a condition variable costs a system call for the caller
// and tens of microseconds before the worker runs, as much as a whole 1e5-element SELU. So a worker
// that has just finished a job spins (with pause instructions) for a bounded time, kSpinMicros,
// watching for the next job before it goes to sleep, and a caller that is done with its own chunks
// spins for the others the same way before it sleeps. Back-to-back calls (a training loop, a
// benchmark) then hand work over through one shared cache line; an idle process still sleeps.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace selu {

class ThreadPool {
 public:
  // How long an idle worker, or a caller waiting for workers, polls before sleeping. Long enough to
  // cover the gap between consecutive calls from a loop, short enough not to burn a core for long.
  static constexpr int kSpinMicros = 100;

  // The process-wide pool. Created on first use with hardware_concurrency() threads and never
  // destroyed: threads may still be parked when static destructors run at process exit.
  static ThreadPool& instance();

  // Total threads that work on one call, the caller included (n >= 1). Blocks until retired workers
  // have finished the chunk they are on.
  void set_threads(int n);
  int threads() const;

  // Calls fn(i) for every i in [0, num_chunks), spread over the pool and the calling thread, and
  // returns when all calls have returned. Safe to call from several threads at once.
  void run(size_t num_chunks, const std::function<void(size_t)>& fn);

 private:
  struct Job;
  explicit ThreadPool(int n);
  void worker_loop(size_t worker_index);
  // Polls until pred() holds or kSpinMicros have passed; returns pred().
  template <typename Pred>
  static bool spin_until(const Pred& pred);

  mutable std::mutex mutex_;
  std::condition_variable wake_;       // workers sleep here for jobs or for retirement
  std::condition_variable done_;       // callers sleep here for the last chunks of their job
  std::deque<Job*> jobs_;              // jobs with chunks not yet handed out, oldest first
  std::vector<std::thread> workers_;
  size_t active_workers_ = 0;          // workers with index < this keep running; guarded by mutex_
  size_t sleeping_workers_ = 0;        // workers waiting on wake_; guarded by mutex_
  std::atomic<size_t> queued_{0};      // jobs_.size(), readable by spinning workers without the lock
  std::atomic<size_t> generation_{0};  // bumped by set_threads so spinning workers re-check retirement
  std::atomic<int> threads_{1};        // active_workers_ + 1, readable without the lock
  std::mutex resize_mutex_;            // serialises set_threads
};

// Splits [0, n) into chunks of `chunk` elements (the last may be shorter) and runs
// fn(begin, end) for each on the pool. Runs inline when there is a single chunk.
void parallel_for(size_t n, size_t chunk, const std::function<void(size_t, size_t)>& fn);

}  // namespace selu
