// A persistent pool of worker threads shared by every Node context in the process.
//
// Work is split by the caller into a fixed number of chunks whose boundaries depend only on the
// problem size, never on the number of threads, so results are bit-identical for any pool size.
// The calling thread takes chunks too; idle workers sleep on a condition variable (no spinning).
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
  static bool take_chunk(Job* job, size_t* chunk);

  mutable std::mutex mutex_;
  std::condition_variable wake_;       // workers wait here for jobs or for retirement
  std::deque<Job*> jobs_;              // jobs with chunks not yet handed out, oldest first
  std::vector<std::thread> workers_;
  size_t active_workers_ = 0;          // workers with index < this keep running
  std::atomic<int> threads_{1};        // active_workers_ + 1, readable without the lock
  std::mutex resize_mutex_;            // serialises set_threads
};

// Splits [0, n) into chunks of `chunk` elements (the last may be shorter) and runs
// fn(begin, end) for each on the pool. Runs inline when there is a single chunk.
void parallel_for(size_t n, size_t chunk, const std::function<void(size_t, size_t)>& fn);

}  // namespace selu
