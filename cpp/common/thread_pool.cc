#include "thread_pool.h"

#include <algorithm>
#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define SELU_CPU_RELAX() _mm_pause()
#elif defined(__aarch64__)
#define SELU_CPU_RELAX() asm volatile("yield")
#else
#define SELU_CPU_RELAX() ((void)0)
#endif

namespace selu {

// Chunks are claimed and counted with atomics, so the work itself never takes the pool mutex; the
// mutex guards only the job queue, the sleep/wake handshake and the job's lifetime (workers_inside).
struct ThreadPool::Job {
  const std::function<void(size_t)>* fn;
  size_t num_chunks;
  std::atomic<size_t> next_chunk{0};
  std::atomic<size_t> finished{0};
  // Workers that hold a pointer to this job: changed only under the pool mutex, read by the spinning
  // owner without it. A worker's decrement is its last access to the job.
  std::atomic<size_t> workers_inside{0};
  bool owner_sleeping = false;  // the owner waits on the pool's done_; guarded by the pool mutex

  bool take(size_t* chunk) {
    if (next_chunk.load(std::memory_order_relaxed) >= num_chunks) return false;
    const size_t c = next_chunk.fetch_add(1, std::memory_order_relaxed);
    if (c >= num_chunks) return false;
    *chunk = c;
    return true;
  }
  // Runs chunks until none is left.
  void work() {
    size_t chunk;
    while (take(&chunk)) {
      (*fn)(chunk);
      finished.fetch_add(1, std::memory_order_acq_rel);
    }
  }
};

template <typename Pred>
bool ThreadPool::spin_until(const Pred& pred) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(kSpinMicros);
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (pred()) return true;
      SELU_CPU_RELAX();
    }
    if (std::chrono::steady_clock::now() >= deadline) return pred();
  }
}

ThreadPool& ThreadPool::instance() {
  static ThreadPool* pool = [] {
    unsigned hw = std::thread::hardware_concurrency();
    return new ThreadPool(hw == 0 ? 1 : static_cast<int>(hw));
  }();
  return *pool;
}

ThreadPool::ThreadPool(int n) { set_threads(n); }

int ThreadPool::threads() const { return threads_.load(std::memory_order_relaxed); }

void ThreadPool::set_threads(int n) {
  if (n < 1) n = 1;
  std::lock_guard<std::mutex> resize_lock(resize_mutex_);
  const size_t wanted = static_cast<size_t>(n - 1);
  std::vector<std::thread> retired;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    active_workers_ = wanted;
    threads_.store(n, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    while (workers_.size() > wanted) {
      retired.push_back(std::move(workers_.back()));
      workers_.pop_back();
    }
    for (size_t i = workers_.size(); i < wanted; ++i) {
      workers_.emplace_back([this, i] { worker_loop(i); });
    }
  }
  wake_.notify_all();
  for (std::thread& t : retired) t.join();
}

void ThreadPool::worker_loop(size_t worker_index) {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (worker_index >= active_workers_) return;
    if (jobs_.empty()) {
      // Poll without the lock first: the next call usually comes within microseconds.
      const size_t generation = generation_.load(std::memory_order_acquire);
      lock.unlock();
      spin_until([&] {
        return queued_.load(std::memory_order_acquire) != 0 ||
               generation_.load(std::memory_order_acquire) != generation;
      });
      lock.lock();
      if (jobs_.empty() && worker_index < active_workers_) {
        ++sleeping_workers_;
        wake_.wait(lock, [&] { return worker_index >= active_workers_ || !jobs_.empty(); });
        --sleeping_workers_;
      }
      continue;
    }
    Job* job = jobs_.front();
    if (job->next_chunk.load(std::memory_order_relaxed) >= job->num_chunks) {
      jobs_.pop_front();  // fully handed out; its owner waits for it to finish
      queued_.store(jobs_.size(), std::memory_order_release);
      continue;
    }
    job->workers_inside.fetch_add(1, std::memory_order_relaxed);
    lock.unlock();
    job->work();
    lock.lock();
    if (!jobs_.empty() && jobs_.front() == job) {
      jobs_.pop_front();
      queued_.store(jobs_.size(), std::memory_order_release);
    }
    const bool owner_sleeping = job->owner_sleeping;
    job->workers_inside.fetch_sub(1, std::memory_order_release);  // the job may be gone after this
    if (owner_sleeping) done_.notify_all();
  }
}

void ThreadPool::run(size_t num_chunks, const std::function<void(size_t)>& fn) {
  if (num_chunks == 0) return;
  std::unique_lock<std::mutex> lock(mutex_);
  if (num_chunks == 1 || active_workers_ == 0) {
    lock.unlock();
    for (size_t i = 0; i < num_chunks; ++i) fn(i);
    return;
  }
  Job job;
  job.fn = &fn;
  job.num_chunks = num_chunks;
  jobs_.push_back(&job);
  queued_.store(jobs_.size(), std::memory_order_release);
  // Only sleeping workers need a (costly) notification; spinning ones see queued_.
  const size_t to_wake = std::min(sleeping_workers_, num_chunks - 1);
  const bool wake_all = to_wake == sleeping_workers_;
  lock.unlock();
  if (to_wake > 0) {
    if (wake_all) {
      wake_.notify_all();
    } else {
      for (size_t i = 0; i < to_wake; ++i) wake_.notify_one();
    }
  }
  job.work();
  // Every chunk is handed out: make sure no worker can pick this job up again, then wait for the
  // chunks still running elsewhere (spinning first: they are usually about to finish).
  lock.lock();
  auto it = std::find(jobs_.begin(), jobs_.end(), &job);
  if (it != jobs_.end()) {
    jobs_.erase(it);
    queued_.store(jobs_.size(), std::memory_order_release);
  }
  lock.unlock();
  // finished == num_chunks means every fn call has returned; workers_inside == 0 means no worker
  // will touch the job again.
  const auto all_done = [&] {
    return job.finished.load(std::memory_order_acquire) == num_chunks &&
           job.workers_inside.load(std::memory_order_acquire) == 0;
  };
  if (spin_until(all_done)) return;
  lock.lock();
  job.owner_sleeping = true;
  done_.wait(lock, all_done);
}

void parallel_for(size_t n, size_t chunk, const std::function<void(size_t, size_t)>& fn) {
  if (n == 0) return;
  if (chunk == 0) chunk = n;
  const size_t num_chunks = (n + chunk - 1) / chunk;
  if (num_chunks == 1) {
    fn(0, n);
    return;
  }
  ThreadPool::instance().run(num_chunks, [&](size_t i) {
    const size_t begin = i * chunk;
    fn(begin, std::min(n, begin + chunk));
  });
}

}  // namespace selu
