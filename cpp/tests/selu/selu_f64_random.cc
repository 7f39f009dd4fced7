// The float64 SELU kernels, forward and backward, on 10^8 random inputs of mixed scales plus a grid
// of edge values, for every SIMD level this machine runs, against long double references
// (selu_reference.h), themselves checked against __float128 (libquadmath) on a sample:
//  - error ≤ 2 ulp (docs/ACCURACY.md), reported per level, and separately where |result| ≥ 2^-1020;
//  - exact values: NaN → NaN (x or g), selu(±0) = ±0, selu(+Inf) = +Inf, selu(x ≤ −709) and
//    selu(−Inf) the double rounding of the reference (−λα), zero gradients keep their sign;
//  - the avx2 and avx512 kernels agree bit for bit;
//  - custom (alpha, scale) = (2.5, 0.7) on 10^7 inputs.
// Inputs (drawn from a hash of the index, so independent of threads): uniform on [−40, 40],
// log-uniform magnitudes 1e-300..1e300 of either sign, |x| < 1e-7, subnormals, and the neighbourhoods
// of the kernels' internal boundaries (±ln2/2, −38..−45 where eˣ drops below an ulp, the −709 clamp,
// and −693/−708/−745/−1000/−1500 of the backward's scaling regimes). Gradients: 1, uniform [−2, 2], log-uniform 1e-300..1e300,
// huge, subnormal.
#include <quadmath.h>

#include <cfloat>
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

namespace {

using selu_test::bits_of;
using selu_test::f64_from_bits;
using Stats = selu_test::ErrorStats<double>;

constexpr double kMaxUlp = 2.0;
constexpr long double kNormalFloor = 0x1p-1020L;

double uniform(uint64_t h, double lo, double hi) { return lo + (hi - lo) * static_cast<double>(h >> 11) * 0x1p-53; }

// A double with the given sign bit, a biased exponent in [lo, hi] and random mantissa, from h.
double with_exponent(uint64_t h, int lo, int hi) {
  const uint64_t e = static_cast<uint64_t>(lo) + (h >> 20) % static_cast<uint64_t>(hi - lo + 1);
  return f64_from_bits((h & 0x8000000000000000ULL) | (e << 52) | (selu_test::mix64(h) & 0xfffffffffffffULL));
}

double draw_x(uint64_t i) {
  const uint64_t h = selu_test::mix64(i * 2 + 1);
  const uint64_t h2 = selu_test::mix64(h);
  static const double kBoundaries[] = {-0.34657359027997264, 0.34657359027997264, -38.0, -45.0, -36.7,
                                       -693.147, -708.4, -709.0, -745.13321910194122, -1000.0, -1455.0, -1500.0};
  switch (h % 16) {
    case 0: case 1: case 2: case 3: case 4: return uniform(h2, -40.0, 40.0);
    case 5: case 6: return with_exponent(h2, 1023 - 996, 1023 + 996);             // 1e-300 .. 1e300
    case 7: return uniform(h2, -1e-7, 1e-7);
    case 8: return with_exponent(h2, 0, 0);                                        // subnormal
    case 9: return -uniform(h2, 0.0, 2000.0);
    case 10: case 11: {
      const double b = kBoundaries[(h2 >> 3) % (sizeof kBoundaries / sizeof kBoundaries[0])];
      return b * (1 + uniform(selu_test::mix64(h2), -1e-6, 1e-6));
    }
    default: return uniform(h2, -4.0, 4.0);
  }
}

double draw_g(uint64_t i) {
  const uint64_t h = selu_test::mix64(i * 2 + 2);
  const uint64_t h2 = selu_test::mix64(h);
  switch (h % 8) {
    case 0: case 1: return 1.0;
    case 2: case 3: return uniform(h2, -2.0, 2.0);
    case 4: case 5: return with_exponent(h2, 1023 - 996, 1023 + 996);
    case 6: return with_exponent(h2, 2000, 2046);  // up to DBL_MAX
    default: return with_exponent(h2, 0, 0);
  }
}

bool forward_exact_ok(double x, double y, long double ref) {
  if (std::isnan(x)) return std::isnan(y);
  // Below −709 the kernels take eˣ as 0 and the long double reference's eˣ is below its resolution,
  // so both round −(λα_hi + λα_lo) once. (Between −709 and −38 a λα exactly halfway between two
  // doubles, as for alpha = 2.5, scale = 0.7, makes the reference's double rounding tie the wrong way.)
  if (x == 0 || std::isinf(x) || x <= -709.0) return bits_of(y) == bits_of(static_cast<double>(ref));
  return true;
}

bool backward_exact_ok(double x, double g, double y, long double ref) {
  if (std::isnan(x) || std::isnan(g)) return std::isnan(y);
  if (y == 0 && !std::isnan(ref)) return std::signbit(y) == std::signbit(ref);
  return true;
}

struct ThreadResult {
  std::vector<Stats> fwd, bwd;
  uint64_t isa_mismatches = 0;
  double worst_reference_ulp = 0;  // long double reference vs __float128, in double ulps
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// How far (in double ulps) the long double reference is from a __float128 one.
double reference_error(long double ref, __float128 exact) {
  if (std::isnan(ref) || std::isinf(ref)) return 0;
  const long double spacing = selu_test::ulp_of<double>(ref);
  const __float128 diff = static_cast<__float128>(ref) - exact;
  return static_cast<double>(fabsq(diff) / static_cast<__float128>(spacing));
}

template <typename XAt, typename GAt>
bool run(const char* title, const std::vector<selu_test::KernelLevel>& levels, const selu::SeluParams& params,
         uint64_t total, XAt x_at, GAt g_at, bool check_reference) {
  const size_t nl = levels.size();
  const selu::SeluConstants<double> c = selu::make_selu_constants_f64(params);
  int avx2 = -1, avx512 = -1;
  for (size_t l = 0; l < nl; ++l) {
    if (levels[l].name == "avx2") avx2 = static_cast<int>(l);
    if (levels[l].name.rfind("avx512", 0) == 0) avx512 = static_cast<int>(l);
  }
  ThreadResult init;
  init.fwd.resize(nl);
  init.bwd.resize(nl);
  const std::vector<ThreadResult> parts = selu_test::parallel_chunks(
      total, uint64_t{1} << 14, init, [&](uint64_t begin, uint64_t end, ThreadResult& acc) {
        const size_t n = static_cast<size_t>(end - begin);
        thread_local std::vector<double> x, g, yf, yb;
        thread_local std::vector<long double> rf, rb;
        x.resize(n);
        g.resize(n);
        rf.resize(n);
        rb.resize(n);
        yf.resize(n * nl);
        yb.resize(n * nl);
        for (size_t i = 0; i < n; ++i) {
          x[i] = x_at(begin + i);
          g[i] = g_at(begin + i);
          rf[i] = selu_test::selu_ref_f64(x[i], params);
          rb[i] = selu_test::selu_grad_ref_f64(g[i], x[i], params);
        }
        for (size_t l = 0; l < nl; ++l) {
          const auto t0 = std::chrono::steady_clock::now();
          levels[l].table->forward_f64(x.data(), yf.data() + l * n, n, c, false);
          levels[l].table->backward_f64(g.data(), x.data(), yb.data() + l * n, n, c, false);
          acc.fwd[l].kernel_seconds += seconds_since(t0);
        }
        for (size_t l = 0; l < nl; ++l) {
          for (size_t i = 0; i < n; ++i) {
            const double f = yf[l * n + i], b = yb[l * n + i];
            acc.fwd[l].add(x[i], 1.0, f, rf[i], kNormalFloor);
            acc.fwd[l].exact(forward_exact_ok(x[i], f, rf[i]), x[i], 1.0, f);
            acc.bwd[l].add(x[i], g[i], b, rb[i], kNormalFloor);
            acc.bwd[l].exact(backward_exact_ok(x[i], g[i], b, rb[i]), x[i], g[i], b);
          }
        }
        if (avx2 >= 0 && avx512 >= 0) {
          const size_t a = static_cast<size_t>(avx2) * n, b = static_cast<size_t>(avx512) * n;
          for (size_t i = 0; i < n; ++i)
            if (!selu_test::same_value(yf[a + i], yf[b + i]) || !selu_test::same_value(yb[a + i], yb[b + i]))
              ++acc.isa_mismatches;
        }
        if (check_reference && begin % (uint64_t{1} << 20) == 0) {
          // One chunk in 64: the long double references against __float128 ones.
          const __float128 sa = static_cast<__float128>(params.scale_alpha_hi) + params.scale_alpha_lo;
          const __float128 sc = static_cast<__float128>(params.scale_hi) + params.scale_lo;
          for (size_t i = 0; i < n; ++i) {
            if (std::isnan(x[i]) || std::isinf(x[i]) || std::isnan(g[i])) continue;
            const __float128 xq = x[i];
            const __float128 f = x[i] > 0 ? sc * xq : sa * expm1q(xq);
            const __float128 b = x[i] > 0 ? static_cast<__float128>(g[i]) * sc : static_cast<__float128>(g[i]) * (sa * expq(xq));
            acc.worst_reference_ulp = std::fmax(acc.worst_reference_ulp, reference_error(rf[i], f));
            if (!std::isinf(g[i])) acc.worst_reference_ulp = std::fmax(acc.worst_reference_ulp, reference_error(rb[i], b));
          }
        }
      });
  std::vector<Stats> fwd(nl), bwd(nl);
  uint64_t mismatches = 0;
  double worst_reference = 0;
  for (const ThreadResult& part : parts) {
    for (size_t l = 0; l < nl; ++l) {
      fwd[l].merge(part.fwd[l]);
      bwd[l].merge(part.bwd[l]);
    }
    mismatches += part.isa_mismatches;
    worst_reference = std::fmax(worst_reference, part.worst_reference_ulp);
  }
  bool ok = true;
  std::printf("%s forward:\n", title);
  for (size_t l = 0; l < nl; ++l) ok &= fwd[l].report(levels[l].name, kMaxUlp, "|selu(x)| >= 2^-1020", false);
  std::printf("%s backward (kernel time: forward + backward):\n", title);
  for (size_t l = 0; l < nl; ++l) {
    bwd[l].kernel_seconds = fwd[l].kernel_seconds;
    ok &= bwd[l].report(levels[l].name, kMaxUlp, "|result| >= 2^-1020", true);
  }
  if (mismatches > 0) {
    std::printf("  FAIL avx2 and avx512 differ on %" PRIu64 " inputs (they should run the same operations)\n",
                mismatches);
    ok = false;
  }
  if (check_reference) {
    std::printf("  long double reference vs __float128 on a 1/64 sample: max %.2e double ulp\n", worst_reference);
    if (!(worst_reference < 0.01)) {
      std::printf("  FAIL the long double reference is not accurate enough\n");
      ok = false;
    }
  }
  return ok;
}

std::vector<double> edge_values() {
  std::vector<double> v = {0.0, -0.0, INFINITY, -INFINITY, NAN, -NAN, 0x1p-1074, -0x1p-1074, 0x1p-1022, -0x1p-1022,
                           1e-300, -1e-300, 1e-8, -1e-8, 0.5, -0.5, 1.0, -1.0, 17.0, -17.0, -36.0, -38.0, -45.0,
                           -100.0, -693.0, -700.0, -708.5, -709.0, -745.0, -745.2, -746.0, -1000.0, -1400.0,
                           -1455.0, -1500.0, -1e4, -11399.0, -11400.0, -1e300, 1e300, DBL_MAX, -DBL_MAX};
  return v;
}

}  // namespace

int main() {
  const std::vector<selu_test::KernelLevel> levels = selu_test::levels_under_test();
  const auto start = std::chrono::steady_clock::now();
  bool ok = true;

  const std::vector<double> edges = edge_values();
  const uint64_t ne = edges.size();
  ok &= run("selu f64, every pair of edge values (x, g)", levels, selu_test::default_selu_params(), ne * ne,
            [&](uint64_t i) { return edges[i / ne]; }, [&](uint64_t i) { return edges[i % ne]; }, false);
  ok &= run("selu f64, 10^8 random inputs, default alpha/scale", levels, selu_test::default_selu_params(), 100000000,
            draw_x, draw_g, true);
  ok &= run("selu f64, 10^7 random inputs, alpha = 2.5, scale = 0.7", levels, selu_test::custom_selu_params(2.5, 0.7),
            10000000, [](uint64_t i) { return draw_x(i + 12345678901ULL); },
            [](uint64_t i) { return draw_g(i + 12345678901ULL); }, false);

  std::printf("%s (%.1f s)\n", ok ? "PASS" : "FAIL", seconds_since(start));
  return ok ? 0 : 1;
}
