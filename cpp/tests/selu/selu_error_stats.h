// Per-level accumulators of the SELU accuracy tests: the largest ulp error and where it occurred,
// the same over "normal" results only, counts, failures of exact-value rules, kernel time; and the
// one-line report per level.
#pragma once

#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#include "tests/common/ulp.h"

namespace selu_test {

template <typename T>
struct ErrorStats {
  double max_ulp = 0;
  T worst_x = 0, worst_g = 0;
  double max_ulp_normal = 0;  // over results with |reference| ≥ normal_floor
  T worst_x_normal = 0, worst_g_normal = 0;
  uint64_t count = 0;
  uint64_t exact_failures = 0;
  T bad_x = 0, bad_g = 0, bad_y = 0;  // the first input that broke an exact rule, and its result
  double kernel_seconds = 0;

  void add(T x, T g, T y, typename UlpTraits<T>::Ref ref, double normal_floor) {
    ++count;
    const double u = ulp_error(y, ref);
    if (u > max_ulp) {
      max_ulp = u;
      worst_x = x;
      worst_g = g;
    }
    if (std::fabs(ref) >= normal_floor && u > max_ulp_normal) {
      max_ulp_normal = u;
      worst_x_normal = x;
      worst_g_normal = g;
    }
  }
  void exact(bool ok, T x, T g, T y) {
    if (ok) return;
    if (exact_failures++ == 0) {
      bad_x = x;
      bad_g = g;
      bad_y = y;
    }
  }
  void merge(const ErrorStats& o) {
    if (o.max_ulp > max_ulp) {
      max_ulp = o.max_ulp;
      worst_x = o.worst_x;
      worst_g = o.worst_g;
    }
    if (o.max_ulp_normal > max_ulp_normal) {
      max_ulp_normal = o.max_ulp_normal;
      worst_x_normal = o.worst_x_normal;
      worst_g_normal = o.worst_g_normal;
    }
    if (o.exact_failures > 0 && exact_failures == 0) {
      bad_x = o.bad_x;
      bad_g = o.bad_g;
      bad_y = o.bad_y;
    }
    count += o.count;
    exact_failures += o.exact_failures;
    kernel_seconds += o.kernel_seconds;
  }

  // Prints the summary line (and FAIL lines); returns false on failure. with_grad: show g too.
  bool report(const std::string& level, double limit, const char* normal_label, bool with_grad) const {
    char worst[96], worst_normal[96];
    if (with_grad) {
      std::snprintf(worst, sizeof worst, "x = %a, g = %a", static_cast<double>(worst_x), static_cast<double>(worst_g));
      std::snprintf(worst_normal, sizeof worst_normal, "x = %a, g = %a", static_cast<double>(worst_x_normal),
                    static_cast<double>(worst_g_normal));
    } else {
      std::snprintf(worst, sizeof worst, "x = %a", static_cast<double>(worst_x));
      std::snprintf(worst_normal, sizeof worst_normal, "x = %a", static_cast<double>(worst_x_normal));
    }
    std::printf("  %-16s max %.6f ulp at %s; %.6f ulp where %s, at %s; %" PRIu64 " values, kernel %.2f s\n",
                level.c_str(), max_ulp, worst, max_ulp_normal, normal_label, worst_normal, count, kernel_seconds);
    bool ok = true;
    if (!(max_ulp <= limit)) {
      std::printf("  FAIL %s: max error %.6f ulp > %.1f at %s\n", level.c_str(), max_ulp, limit, worst);
      ok = false;
    }
    if (exact_failures > 0) {
      std::printf("  FAIL %s: %" PRIu64 " results broke an exact-value rule, first: x = %a, g = %a gave %a\n",
                  level.c_str(), exact_failures, static_cast<double>(bad_x), static_cast<double>(bad_g),
                  static_cast<double>(bad_y));
      ok = false;
    }
    return ok;
  }
};

}  // namespace selu_test
