#include "thread_pool.h"

#include <algorithm>

namespace selu {

struct ThreadPool::Job {
  const std::function<void(size_t)>* fn;
  size_t num_chunks;
  size_t next_chunk = 0;     // guarded by the pool mutex
  size_t finished = 0;       // guarded by the pool mutex
  size_t workers_inside = 0; // workers that hold a pointer to this job; guarded by the pool mutex
  std::condition_variable done;
};

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

bool ThreadPool::take_chunk(Job* job, size_t* chunk) {
  if (job->next_chunk >= job->num_chunks) return false;
  *chunk = job->next_chunk++;
  return true;
}

void ThreadPool::worker_loop(size_t worker_index) {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return worker_index >= active_workers_ || !jobs_.empty(); });
    if (worker_index >= active_workers_) return;
    Job* job = jobs_.front();
    size_t chunk;
    if (!take_chunk(job, &chunk)) {
      jobs_.pop_front();  // fully handed out; its owner waits for it to finish
      continue;
    }
    ++job->workers_inside;
    do {
      lock.unlock();
      (*job->fn)(chunk);
      lock.lock();
      ++job->finished;
    } while (take_chunk(job, &chunk));
    if (!jobs_.empty() && jobs_.front() == job) jobs_.pop_front();
    --job->workers_inside;
    if (job->finished == job->num_chunks && job->workers_inside == 0) job->done.notify_one();
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
  const size_t helpers = std::min(active_workers_, num_chunks - 1);
  lock.unlock();
  if (helpers == active_workers_) {
    wake_.notify_all();
  } else {
    for (size_t i = 0; i < helpers; ++i) wake_.notify_one();
  }
  lock.lock();
  size_t chunk;
  while (take_chunk(&job, &chunk)) {
    lock.unlock();
    fn(chunk);
    lock.lock();
    ++job.finished;
  }
  // Every chunk is handed out: make sure no worker can pick this job up again, then wait for the
  // chunks still running elsewhere.
  auto it = std::find(jobs_.begin(), jobs_.end(), &job);
  if (it != jobs_.end()) jobs_.erase(it);
  job.done.wait(lock, [&] { return job.finished == job.num_chunks && job.workers_inside == 0; });
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
