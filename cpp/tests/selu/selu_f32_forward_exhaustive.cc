// The float32 SELU forward kernels on every one of the 2^32 float bit patterns, for every SIMD level
// this machine can run, against a double-precision reference (selu_reference.h):
//  - error ≤ 1 ulp everywhere (docs/ACCURACY.md), reported per level with the worst input, and
//    separately for results of magnitude ≥ 2^-124 (below that the hi/lo products underflow and
//    the float grid is that of subnormals, see selu_math_avx2.h);
//  - exact values: NaN → NaN, ±0 → ±0, +Inf → +Inf, and every x < −17.33 (−Inf included) gives
//    exactly the float rounding of the reference, i.e. −λα;
//  - the avx2 and avx512 kernels, which run the same operations, agree bit for bit;
//  - custom (alpha, scale) = (1, 1) and (2.5, 0.7) on 2^26 random inputs each.
// Prints one summary line per level and exits non-zero on any failure.
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "selu_error_stats.h"
#include "selu_levels.h"
#include "selu_reference.h"
#include "tests/common/float_bits.h"
#include "tests/common/parallel.h"
#include "tests/common/rng.h"
#include "tests/common/sampled_sweep.h"
#include "tests/common/ulp.h"

namespace {

using selu_test::bits_of;
using selu_test::f32_from_bits;

constexpr double kMaxUlp = 1.0;
constexpr float kSaturated = -17.33f;       // below: the result is the float rounding of −λα
constexpr double kTinyResult = 0x1p-124;    // results below this are reported separately

using Stats = selu_test::ErrorStats<float>;

struct ThreadResult {
  std::vector<Stats> levels;
  uint64_t isa_mismatches = 0;  // avx2 vs avx512 results that differ in any bit
};

// The exact-value rules for the default constants (see the file comment).
bool exact_default_ok(float x, float y, double ref) {
  if (std::isnan(x)) return std::isnan(y);
  if (x == 0 || std::isinf(x) || x < kSaturated) return bits_of(y) == bits_of(static_cast<float>(ref));
  return true;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Runs every level on xs (split into chunks over the threads), checking each result.
template <typename InputAt>
std::vector<Stats> run_levels(const std::vector<selu_test::KernelLevel>& levels, const selu::SeluParams& params,
                              uint64_t total, InputAt input_at, bool check_exact, uint64_t* isa_mismatches) {
  const selu::SeluConstants<float> c = selu::make_selu_constants_f32(params);
  const int avx2 = [&] {
    for (size_t i = 0; i < levels.size(); ++i)
      if (levels[i].name == "avx2") return static_cast<int>(i);
    return -1;
  }();
  const int avx512 = [&] {
    for (size_t i = 0; i < levels.size(); ++i)
      if (levels[i].name.rfind("avx512", 0) == 0) return static_cast<int>(i);
    return -1;
  }();
  ThreadResult init;
  init.levels.resize(levels.size());
  constexpr uint64_t kChunk = uint64_t{1} << 16;
  static const selu_test::SampledSweep sweep;  // SELU_TEST_SAMPLE (sampled_sweep.h): all inputs when unset
  const std::vector<ThreadResult> parts = selu_test::parallel_chunks(
      total, kChunk, init, [&](uint64_t begin, uint64_t end, ThreadResult& acc) {
        if (!sweep.keep(begin / kChunk, input_at(begin), input_at(end - 1))) return;
        const size_t n = static_cast<size_t>(end - begin);
        // Reused across chunks: fresh vectors of this size would be mmap-ed and faulted in each time.
        thread_local std::vector<float> x, y_all;
        thread_local std::vector<double> ref;
        x.resize(n);
        ref.resize(n);
        y_all.resize(n * levels.size());
        auto y = [&](size_t level) { return y_all.data() + level * n; };
        for (size_t i = 0; i < n; ++i) x[i] = input_at(begin + i);
        for (size_t l = 0; l < levels.size(); ++l) {
          const auto t0 = std::chrono::steady_clock::now();
          levels[l].table->forward_f32(x.data(), y(l), n, c, false);
          acc.levels[l].kernel_seconds += seconds_since(t0);
        }
        for (size_t i = 0; i < n; ++i) ref[i] = selu_test::selu_ref_f32(x[i], params);
        for (size_t l = 0; l < levels.size(); ++l) {
          Stats& st = acc.levels[l];
          const float* yl = y(l);
          for (size_t i = 0; i < n; ++i) {
            st.add(x[i], 1.0f, yl[i], ref[i], kTinyResult);
            if (check_exact) st.exact(exact_default_ok(x[i], yl[i], ref[i]), x[i], 1.0f, yl[i]);
          }
        }
        if (avx2 >= 0 && avx512 >= 0) {
          const float* a = y(static_cast<size_t>(avx2));
          const float* b = y(static_cast<size_t>(avx512));
          for (size_t i = 0; i < n; ++i)
            if (!selu_test::same_value(a[i], b[i])) ++acc.isa_mismatches;
        }
      });
  std::vector<Stats> merged(levels.size());
  for (const ThreadResult& part : parts) {
    for (size_t l = 0; l < levels.size(); ++l) merged[l].merge(part.levels[l]);
    *isa_mismatches += part.isa_mismatches;
  }
  return merged;
}

bool report(const char* title, const std::vector<selu_test::KernelLevel>& levels, const std::vector<Stats>& stats,
            uint64_t isa_mismatches) {
  bool ok = true;
  std::printf("%s\n", title);
  for (size_t l = 0; l < levels.size(); ++l)
    ok &= stats[l].report(levels[l].name, kMaxUlp, "|selu(x)| >= 2^-124", false);
  if (isa_mismatches > 0) {
    std::printf("  FAIL avx2 and avx512 differ on %" PRIu64 " inputs (they should run the same operations)\n",
                isa_mismatches);
    ok = false;
  }
  return ok;
}

}  // namespace

int main() {
  const std::vector<selu_test::KernelLevel> levels = selu_test::levels_under_test();
  const auto start = std::chrono::steady_clock::now();
  bool ok = true;

  uint64_t mismatches = 0;
  const std::vector<Stats> all = run_levels(
      levels, selu_test::default_selu_params(), uint64_t{1} << 32,
      [](uint64_t i) { return f32_from_bits(static_cast<uint32_t>(i)); }, true, &mismatches);
  ok &= report("selu f32 forward, all 2^32 inputs, default alpha/scale:", levels, all, mismatches);

  struct Custom {
    double alpha, scale;
  };
  for (const Custom& cp : {Custom{1.0, 1.0}, Custom{2.5, 0.7}}) {
    // Half random bit patterns (every binade equally), half uniform on [−20, 20] (where the work is).
    const uint64_t seed = selu_test::mix64(static_cast<uint64_t>(cp.alpha * 1000 + cp.scale));
    auto input = [seed](uint64_t i) {
      const uint64_t h = selu_test::mix64(seed + i);
      if (i % 2 == 0) return f32_from_bits(static_cast<uint32_t>(h));
      return static_cast<float>(-20.0 + 40.0 * static_cast<double>(h >> 11) * 0x1p-53);
    };
    uint64_t custom_mismatches = 0;
    const std::vector<Stats> st = run_levels(levels, selu_test::custom_selu_params(cp.alpha, cp.scale),
                                             uint64_t{1} << 26, input, false, &custom_mismatches);
    char title[160];
    std::snprintf(title, sizeof title, "selu f32 forward, 2^26 random inputs, alpha = %g, scale = %g:", cp.alpha,
                  cp.scale);
    ok &= report(title, levels, st, custom_mismatches);
  }

  std::printf("%s (%.1f s)\n", ok ? "PASS" : "FAIL", seconds_since(start));
  return ok ? 0 : 1;
}
