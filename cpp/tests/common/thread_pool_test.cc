// The thread pool's hand-off (cpp/common/thread_pool.cc): every chunk runs exactly once and run()
// returns only after all of them, whether workers are spinning or asleep, with several callers at
// once, and while the thread count changes between calls.
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "common/thread_pool.h"
#include "tests/common/check.h"

namespace {

// Runs `chunks` chunks that each add 1 to their own counter; checks each counter is exactly 1.
void check_once(size_t chunks, const char* what) {
  std::vector<std::atomic<int>> hits(chunks);
  for (auto& h : hits) h.store(0);
  selu::ThreadPool::instance().run(chunks, [&](size_t i) { hits[i].fetch_add(1); });
  for (size_t i = 0; i < chunks; ++i) CHECK(hits[i].load() == 1, "%s: chunk %zu ran %d times", what, i, hits[i].load());
}

}  // namespace

int main() {
  selu::ThreadPool& pool = selu::ThreadPool::instance();
  for (int threads : {1, 2, 3, 4}) {
    pool.set_threads(threads);
    // Back to back: the workers are still spinning from the previous call.
    for (int k = 0; k < 2000; ++k) check_once(1 + k % 17, "back to back");
    // After a pause longer than the spin: the workers have gone to sleep and must be woken.
    for (int k = 0; k < 20; ++k) {
      std::this_thread::sleep_for(std::chrono::microseconds(selu::ThreadPool::kSpinMicros * 3));
      check_once(8, "after a pause");
    }
  }
  // Several callers at once (async calls from libuv's threads share the pool with the main thread),
  // while another thread changes the thread count.
  pool.set_threads(3);
  std::atomic<bool> stop{false};
  std::thread resizer([&] {
    int t = 1;
    while (!stop.load()) {
      pool.set_threads(1 + (t++ % 4));
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  });
  std::vector<std::thread> callers;
  for (int c = 0; c < 4; ++c) {
    callers.emplace_back([c] {
      for (int k = 0; k < 1500; ++k) check_once(1 + (k + c) % 13, "concurrent callers");
    });
  }
  for (std::thread& t : callers) t.join();
  stop.store(true);
  resizer.join();
  // A chunk's writes are visible to the caller when run() returns.
  pool.set_threads(2);
  std::vector<int> data(1 << 16, 0);
  for (int k = 1; k <= 200; ++k) {
    selu::parallel_for(data.size(), 4096, [&](size_t b, size_t e) {
      for (size_t i = b; i < e; ++i) data[i] = k;
    });
    bool all = true;
    for (int v : data) all &= v == k;
    CHECK(all, "round %d: a write of a worker's chunk is missing", k);
  }
  return native_test::finish("thread_pool_test");
}
