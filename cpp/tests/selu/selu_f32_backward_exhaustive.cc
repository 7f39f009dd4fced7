// The float32 SELU backward kernels, g·selu'(x), on: every float x with |x| < 256 and every 16th
// other bit pattern, with g = 1; every pair of special values; every x in [−256, −0] and every 64th
// other x with a gradient drawn per x (from a hash of x, so the inputs do not depend on threads)
// among ordinary values of random sign and magnitude 2^-100..2^100, huge values up to FLT_MAX,
// subnormals, ±0, ±Inf and NaN. Every SIMD level this machine runs is checked against
// a double-precision reference (selu_reference.h):
//  - error ≤ 2 ulp (docs/ACCURACY.md), reported per level, and separately where |g·selu'(x)| ≥ 2^-126
//    (normal float results);
//  - NaN in x or g gives NaN; a zero result has the sign of the exact product;
//  - the avx2 and avx512 kernels agree bit for bit.
// Beyond |x| = 256 the result is g·λ or (below −193 for any float g) 0, so there one bit pattern in
// 16 (64 for the drawn gradients) is checked; the emulated AVX-512 level, which must equal avx2 bit
// for bit, runs on every 4th block of inputs, and so does the scalar level with drawn gradients.
// This keeps the test within a CI budget.
// Prints one summary line per level and pass, and exits non-zero on any failure.
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <vector>

#include "selu_error_stats.h"
#include "selu_levels.h"
#include "selu_reference.h"
#include "tests/common/float_bits.h"
#include "tests/common/parallel.h"
#include "tests/common/rng.h"
#include "tests/common/sampled_sweep.h"

namespace {

using selu_test::f32_from_bits;
using Stats = selu_test::ErrorStats<float>;

constexpr double kMaxUlp = 2.0;
constexpr double kNormalFloor = 0x1p-126;

// The gradient of the second pass for input bits u, built from bits (no libm calls: this runs 2^32 times).
float drawn_gradient(uint32_t u) {
  const uint64_t h = selu_test::mix64(u ^ 0x5e1u);
  const uint32_t sign = static_cast<uint32_t>(h >> 63) << 31;
  const uint32_t mantissa = static_cast<uint32_t>(h) & 0x7fffffu;
  const uint32_t pick = static_cast<uint32_t>(h >> 32);
  uint32_t exponent;  // biased
  switch (pick % 16) {
    case 0: return f32_from_bits(sign | (mantissa | 1u));                      // subnormal
    case 1: exponent = 251 + (pick >> 4) % 4; break;                           // 2^124 (2e37) .. FLT_MAX
    case 2: return f32_from_bits(sign | 0x7f800000u);                          // ±Inf
    case 3: return f32_from_bits(0x7fc00000u | (mantissa & 0xffffu));         // NaN
    case 4: return f32_from_bits(sign);                                        // ±0
    default: exponent = 127 - 100 + (pick >> 4) % 201; break;                  // 2^-100 .. 2^100
  }
  return f32_from_bits(sign | (exponent << 23) | mantissa);
}

bool exact_ok(float x, float g, float y, double ref) {
  if (std::isnan(x) || std::isnan(g)) return std::isnan(y);
  if (y == 0 && !std::isnan(ref)) return std::signbit(y) == std::signbit(ref);
  return true;
}

struct ThreadResult {
  std::vector<Stats> stats;  // per level
  uint64_t isa_mismatches = 0;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Runs every level on `total` inputs (x_at(i), g_at(i)), checking each result.
// scalar_every: the scalar level runs on every scalar_every-th block of inputs (1: all).
template <typename XAt, typename GAt>
bool run_pass(const char* title, const std::vector<selu_test::KernelLevel>& levels, uint64_t total, XAt x_at,
              GAt g_at, bool show_grad, uint64_t scalar_every) {
  const size_t nl = levels.size();
  const selu::SeluParams params = selu_test::default_selu_params();
  const selu::SeluConstants<float> c = selu::make_selu_constants_f32(params);
  int avx2 = -1, avx512 = -1;
  for (size_t l = 0; l < nl; ++l) {
    if (levels[l].name == "avx2") avx2 = static_cast<int>(l);
    if (levels[l].name.rfind("avx512", 0) == 0) avx512 = static_cast<int>(l);
  }
  ThreadResult init;
  init.stats.resize(nl);
  constexpr uint64_t kChunk = uint64_t{1} << 16;
  static const selu_test::SampledSweep sweep;  // SELU_TEST_SAMPLE (sampled_sweep.h): all inputs when unset
  const std::vector<ThreadResult> parts = selu_test::parallel_chunks(
      total, kChunk, init, [&](uint64_t begin, uint64_t end, ThreadResult& acc) {
        if (!sweep.keep(begin / kChunk, x_at(begin), x_at(end - 1))) return;
        const size_t n = static_cast<size_t>(end - begin);
        // Reused across chunks: fresh vectors of this size would be mmap-ed and faulted in each time.
        thread_local std::vector<float> x, g, y;
        thread_local std::vector<double> ref;
        x.resize(n);
        g.resize(n);
        ref.resize(n);
        y.resize(n * nl);
        for (size_t i = 0; i < n; ++i) {
          x[i] = x_at(begin + i);
          g[i] = g_at(begin + i, x[i]);
          // exp underflows to 0 below −745.14 (and glibc's exp is slow there: it sets errno).
          const double exp_x = x[i] > 0 ? 0.0 : x[i] < -745.2f ? 0.0 : std::exp(static_cast<double>(x[i]));
          ref[i] = selu_test::selu_grad_ref_f32(g[i], x[i], exp_x, params);
        }
        // The emulated AVX-512 level is slow (SIMDe) and must equal avx2 bit for bit anyway: it runs
        // on every 4th block.
        const uint64_t block = begin / kChunk;
        auto skip = [&](size_t l) {
          return (levels[l].name == "avx512-emulated" && block % 4 != 0) ||
                 (levels[l].name == "scalar" && block % scalar_every != 0);
        };
        for (size_t l = 0; l < nl; ++l) {
          if (skip(l)) continue;
          const auto t0 = std::chrono::steady_clock::now();
          levels[l].table->backward_f32(g.data(), x.data(), y.data() + l * n, n, c, false);
          acc.stats[l].kernel_seconds += seconds_since(t0);
        }
        for (size_t l = 0; l < nl; ++l) {
          if (skip(l)) continue;
          const float* yl = y.data() + l * n;
          Stats& st = acc.stats[l];
          for (size_t i = 0; i < n; ++i) {
            st.add(x[i], g[i], yl[i], ref[i], kNormalFloor);
            st.exact(exact_ok(x[i], g[i], yl[i], ref[i]), x[i], g[i], yl[i]);
          }
        }
        if (avx2 >= 0 && avx512 >= 0 && !skip(static_cast<size_t>(avx512))) {
          const float* a = y.data() + static_cast<size_t>(avx2) * n;
          const float* b = y.data() + static_cast<size_t>(avx512) * n;
          for (size_t i = 0; i < n; ++i)
            if (!selu_test::same_value(a[i], b[i])) ++acc.isa_mismatches;
        }
      });
  std::vector<Stats> merged(nl);
  uint64_t mismatches = 0;
  for (const ThreadResult& part : parts) {
    for (size_t l = 0; l < nl; ++l) merged[l].merge(part.stats[l]);
    mismatches += part.isa_mismatches;
  }
  bool ok = true;
  std::printf("%s\n", title);
  for (size_t l = 0; l < nl; ++l) ok &= merged[l].report(levels[l].name, kMaxUlp, "|result| >= 2^-126", show_grad);
  if (mismatches > 0) {
    std::printf("  FAIL avx2 and avx512 differ on %" PRIu64 " inputs (they should run the same operations)\n",
                mismatches);
    ok = false;
  }
  return ok;
}

}  // namespace

int main() {
  const std::vector<selu_test::KernelLevel> levels = selu_test::levels_under_test();
  const auto start = std::chrono::steady_clock::now();
  bool ok = true;
  // Every x with |x| < 256 (beyond, the result is g·λ, or 0 since eˣ < 2^-369), and every 16th
  // other bit pattern (±Inf and NaNs included).
  constexpr uint64_t kWide = 0x43800000u;  // bits of 256.0f
  constexpr uint64_t kRest = (uint64_t{1} << 31) - kWide;
  ok &= run_pass("selu f32 backward, g = 1, every x in (-256, 256) and every 16th other x, default alpha/scale:",
                 levels, 2 * kWide + 2 * kRest / 16,
                 [](uint64_t i) {
                   const uint32_t sign = i & 1 ? 0x80000000u : 0u;
                   const uint64_t k = i / 2;
                   return f32_from_bits(sign | static_cast<uint32_t>(k < kWide ? k : kWide + (k - kWide) * 16));
                 },
                 [](uint64_t, float) { return 1.0f; }, false, 1);
  const float specials[] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN, -NAN, 1.0f, -1.0f, 0x1p-149f, -0x1p-149f,
                            0x1p-126f, -87.5f, -103.0f, -150.0f, -193.0f, -700.0f, -745.2f, 3.4028235e38f,
                            -3.4028235e38f, 1e-30f, 1e30f};
  constexpr uint64_t kS = sizeof specials / sizeof specials[0];
  ok &= run_pass("selu f32 backward, every pair of special values (x, g):", levels, kS * kS,
                 [&](uint64_t i) { return specials[i / kS]; }, [&](uint64_t i, float) { return specials[i % kS]; },
                 true, 1);
  // Drawn gradients on every x in [−256, −0] (below −193 every float product is 0 or an infinity
  // times 0) and on every 64th other bit pattern.
  constexpr uint32_t kDense = 0x43800000u;  // bits of 256.0f: |x| < 256
  constexpr uint64_t kSparse = ((uint64_t{1} << 32) - kDense) / 64;
  ok &= run_pass("selu f32 backward, g drawn per x (random, huge, subnormal, 0, Inf, NaN), every x in [-256, -0] "
                 "and every 64th other x:",
                 levels, kDense + kSparse,
                 [](uint64_t i) {
                   if (i < kDense) return f32_from_bits(0x80000000u | static_cast<uint32_t>(i));
                   // The bit patterns outside the dense range, 64 apart: [2^31 + kDense, 2^32) then [0, 2^31).
                   const uint64_t k = (i - kDense) * 64;
                   const uint64_t rest_negative = (uint64_t{1} << 31) - kDense;
                   return f32_from_bits(k < rest_negative ? static_cast<uint32_t>(0x80000000u + kDense + k)
                                                          : static_cast<uint32_t>(k - rest_negative));
                 },
                 [](uint64_t, float x) { return drawn_gradient(selu_test::bits_of(x)); }, true, 4);
  std::printf("%s (%.1f s)\n", ok ? "PASS" : "FAIL", seconds_since(start));
  return ok ? 0 : 1;
}
