// Throughput of the 16-bit ops against the float32 ones and of the conversions against a copy (not a
// test: timings depend on the machine and its load). Built by cpp/tests/half/CMakeLists.txt:
//   build-native/cpp/tests/half/half_bench [reps]
// At N = 1e7 through the ops (the active SIMD level, the whole thread pool), prints the median of
// `reps` runs (default 15) in elements per second of: selu and seluAlphaDropout on float32, float16
// and bfloat16; toFloat32 and fromFloat32 of each format; memcpy of N 16-bit and N 32-bit elements.
// Inputs are uniform on [−10, 10].
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "common/simd_level.h"
#include "common/thread_pool.h"
#include "dropout/dropout_ops.h"
#include "half/half_ops.h"
#include "selu/selu_ops.h"
#include "tests/common/rng.h"
#include "tests/selu/selu_reference.h"

namespace {

constexpr size_t kN = 10000000;

template <typename F>
double median_seconds(int reps, F f) {
  std::vector<double> t;
  f();  // warm-up: page faults, pool start
  for (int r = 0; r < reps; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

void report(const char* what, double seconds) { std::printf("%-34s %8.3f Gelem/s\n", what, kN / seconds / 1e9); }

}  // namespace

int main(int argc, char** argv) {
  const int reps = argc > 1 ? std::atoi(argv[1]) : 15;
  std::printf("N = %zu, level %s, %d threads, median of %d runs\n", kN, selu::simd_level_name(selu::active_simd_level()),
              selu::ThreadPool::instance().threads(), reps);
  const selu::SeluParams s = selu_test::default_selu_params();
  const selu::DropoutParams p{1, 0, 0.1, 0.9683869481086731, 0.08543729037046432, -1.6370948172360659};
  std::vector<float> x32(kN), out32(kN);
  selu_test::Rng rng(7);
  for (float& v : x32) v = static_cast<float>(rng.uniform(-10, 10));
  report("selu float32", median_seconds(reps, [&] { selu::selu_forward(x32.data(), out32.data(), kN, s); }));
  report("seluAlphaDropout float32",
         median_seconds(reps, [&] { selu::selu_alpha_dropout_forward(x32.data(), out32.data(), kN, p, s); }));
  std::vector<uint16_t> x16(kN), out16(kN);
  for (selu::HalfFormat f : {selu::HalfFormat::kFloat16, selu::HalfFormat::kBFloat16}) {
    const char* name = f == selu::HalfFormat::kFloat16 ? "float16" : "bfloat16";
    char label[64];
    selu::from_float32(f, x32.data(), x16.data(), kN);
    std::snprintf(label, sizeof label, "selu %s", name);
    report(label, median_seconds(reps, [&] { selu::half::selu_forward(f, x16.data(), out16.data(), kN, s); }));
    std::snprintf(label, sizeof label, "seluAlphaDropout %s", name);
    report(label, median_seconds(reps, [&] { selu::half::selu_alpha_dropout_forward(f, x16.data(), out16.data(), kN, p, s); }));
    std::snprintf(label, sizeof label, "toFloat32 %s", name);
    report(label, median_seconds(reps, [&] { selu::to_float32(f, x16.data(), out32.data(), kN); }));
    std::snprintf(label, sizeof label, "fromFloat32 %s", name);
    report(label, median_seconds(reps, [&] { selu::from_float32(f, x32.data(), out16.data(), kN); }));
  }
  report("memcpy 16-bit elements", median_seconds(reps, [&] { std::memcpy(out16.data(), x16.data(), kN * 2); }));
  report("memcpy 32-bit elements", median_seconds(reps, [&] { std::memcpy(out32.data(), x32.data(), kN * 4); }));
  return 0;
}
