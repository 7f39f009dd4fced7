// Runs a test loop over [0, total) on every hardware thread, in fixed chunks handed out in order.
// Each thread gets its own accumulator, merged by the caller; accumulators that only take maxima and
// counts give the same result whatever the scheduling.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace selu_test {

inline int test_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

// fn(begin, end, acc) for consecutive chunks of `chunk` indices; returns one accumulator per thread.
template <typename Acc, typename Fn>
std::vector<Acc> parallel_chunks(uint64_t total, uint64_t chunk, const Acc& init, Fn fn) {
  const int threads = test_threads();
  std::vector<Acc> accs(static_cast<size_t>(threads), init);
  std::atomic<uint64_t> next{0};
  auto work = [&](int t) {
    for (;;) {
      const uint64_t begin = next.fetch_add(chunk);
      if (begin >= total) break;
      fn(begin, std::min(total, begin + chunk), accs[static_cast<size_t>(t)]);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (std::thread& th : pool) th.join();
  return accs;
}

}  // namespace selu_test
