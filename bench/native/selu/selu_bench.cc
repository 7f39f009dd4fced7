// Throughput of the SELU kernels (not a test: timings depend on the machine and its load). Built by
// cpp/tests/selu/CMakeLists.txt with the test support (every level, AVX-512 emulated where needed):
//   build-native/cpp/tests/selu/selu_bench [reps]
// Prints elements per second, best of `reps` runs (default 30) of:
//  - each level's float32 forward on N = 1e5 elements, one thread, in cache, ordinary stores;
//  - each level's forward and backward, float32 and float64, on N = 1e7, one thread, streaming
//    stores as selu_ops.cc would choose them (should_stream), and through selu_ops on the pool.
// Inputs are uniform on [−10, 10] (half negative: the exp branch), gradients uniform on [−1, 1].
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "common/elementwise_split.h"
#include "selu/selu_ops.h"
#include "selu_levels.h"
#include "selu_reference.h"
#include "tests/common/rng.h"

namespace {

template <typename F>
double best_seconds(int reps, F f) {
  double best = 1e30;
  for (int r = 0; r < reps; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

template <typename T>
void fill(std::vector<T>& v, double lo, double hi, uint64_t seed) {
  selu_test::Rng rng(seed);
  for (T& e : v) e = static_cast<T>(rng.uniform(lo, hi));
}

template <typename T>
void large(const std::vector<selu_test::KernelLevel>& levels, int reps, const char* dtype) {
  const size_t n = 10000000;
  const selu::SeluParams params = selu_test::default_selu_params();
  const selu::SeluConstants<T> c = selu::make_selu_constants<T>(params);
  const bool stream = selu::should_stream(n * sizeof(T));
  std::vector<T> x(n), g(n), out(n);
  fill(x, -10, 10, 1);
  fill(g, -1, 1, 2);
  for (const selu_test::KernelLevel& level : levels) {
    const double f = best_seconds(reps, [&] { selu::selu_forward_kernel<T>(*level.table)(x.data(), out.data(), n, c, stream); });
    const double b =
        best_seconds(reps, [&] { selu::selu_backward_kernel<T>(*level.table)(g.data(), x.data(), out.data(), n, c, stream); });
    std::printf("  %s N=1e7 %-16s 1 thread%s: forward %.3g /s (%.1f GB/s), backward %.3g /s (%.1f GB/s)\n", dtype,
                level.name.c_str(), stream ? ", streaming" : "", n / f, 2.0 * sizeof(T) * n / f / 1e9, n / b,
                3.0 * sizeof(T) * n / b / 1e9);
  }
  const double f = best_seconds(reps, [&] { selu::selu_forward(x.data(), out.data(), n, params); });
  const double b = best_seconds(reps, [&] { selu::selu_backward(g.data(), x.data(), out.data(), n, params); });
  std::printf("  %s N=1e7 selu_ops (active level, thread pool): forward %.3g /s (%.1f GB/s), backward %.3g /s (%.1f GB/s)\n",
              dtype, n / f, 2.0 * sizeof(T) * n / f / 1e9, n / b, 3.0 * sizeof(T) * n / b / 1e9);
}

}  // namespace

int main(int argc, char** argv) {
  const int reps = argc > 1 ? std::atoi(argv[1]) : 30;
  const std::vector<selu_test::KernelLevel> levels = selu_test::levels_under_test();
  const selu::SeluParams params = selu_test::default_selu_params();
  {
    const size_t n = 100000;
    const selu::SeluConstants<float> c = selu::make_selu_constants_f32(params);
    std::vector<float> x(n), out(n);
    fill(x, -10, 10, 3);
    std::printf("float32 forward, N=1e5, one thread, in cache:\n");
    for (const selu_test::KernelLevel& level : levels) {
      const double t = best_seconds(reps * 10, [&] { level.table->forward_f32(x.data(), out.data(), n, c, false); });
      std::printf("  %-16s %.3g elements/s\n", level.name.c_str(), n / t);
    }
  }
  std::printf("large arrays:\n");
  large<float>(levels, reps, "f32");
  large<double>(levels, reps, "f64");
  return 0;
}
