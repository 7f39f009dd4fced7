// Accuracy of mean and variance through the ops layer (the whole pipeline of tiles, blocks, chunks and
// merges) against a reference in long double with compensated (Neumaier) sums, two-pass with the
// Σ(x − mean) correction: good to ~1e-18, far below the 1e-12 relative error required here.
// Adversarial data: mean 1e4 with standard deviation 1e-2 (mean/std = 1e6) and mean −3e5 with
// standard deviation 1, float32 and float64, lengths from 1 to 2^24 + 1 and 1e7 + 19 including every
// kind of tail, whole arrays and both axes. Prints the largest errors seen.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "../../moments/moments_ops.h"
#include "../common/check.h"

namespace {

struct Reference {
  long double mean, variance;
};

// Neumaier's compensated sum in long double.
struct Sum {
  long double s = 0, c = 0;
  void add(long double v) {
    const long double t = s + v;
    c += std::fabs(s) >= std::fabs(v) ? (s - t) + v : (v - t) + s;
    s = t;
  }
  long double value() const { return s + c; }
};

template <typename T>
Reference reference(const T* x, size_t n, size_t stride, int correction) {
  Sum sum;
  for (size_t i = 0; i < n; ++i) sum.add(static_cast<long double>(x[i * stride]));
  const long double mean = sum.value() / n;
  Sum sq, dev;
  for (size_t i = 0; i < n; ++i) {
    const long double d = static_cast<long double>(x[i * stride]) - mean;
    sq.add(d * d);
    dev.add(d);
  }
  const long double m2 = sq.value() - dev.value() * dev.value() / n;
  return {mean + dev.value() / n, m2 / (static_cast<long double>(n) - correction)};
}

// Deterministic normal samples (xorshift64* + Box-Muller): fast enough for 10^7 values.
template <typename T>
std::vector<T> normal_data(size_t n, double mean, double sd, uint64_t seed) {
  std::vector<T> v(n);
  uint64_t s = seed * 0x9e3779b97f4a7c15ull + 1;
  auto uniform = [&] {
    s ^= s >> 12, s ^= s << 25, s ^= s >> 27;
    return (static_cast<double>((s * 0x2545f4914f6cdd1dull) >> 11) + 0.5) * 0x1p-53;
  };
  for (size_t i = 0; i < n; i += 2) {
    const double r = std::sqrt(-2 * std::log(uniform())), t = 6.283185307179586 * uniform();
    v[i] = static_cast<T>(mean + sd * r * std::cos(t));
    if (i + 1 < n) v[i + 1] = static_cast<T>(mean + sd * r * std::sin(t));
  }
  return v;
}

double worst_mean = 0, worst_variance = 0;
char worst_case[160] = "";

double relative(double got, long double want) {
  if (want == 0) return got == 0 ? 0 : INFINITY;
  return static_cast<double>(std::fabs(static_cast<long double>(got) - want) / std::fabs(want));
}

template <typename T>
void check(const std::vector<T>& x, size_t rows, size_t cols, selu::MomentsAxis axis, int correction, const char* what) {
  const selu::MomentsShape shape{rows, cols, axis, correction};
  const size_t groups = selu::moments_groups(shape), count = selu::moments_count(shape);
  std::vector<double> mean(groups), variance(groups);
  selu::moments(x.data(), shape, mean.data(), variance.data());
  for (size_t g = 0; g < groups; ++g) {
    const T* start = axis == selu::MomentsAxis::kColumns ? x.data() + g : x.data() + g * cols * (axis == selu::MomentsAxis::kRows);
    const size_t stride = axis == selu::MomentsAxis::kColumns ? cols : 1;
    const Reference ref = reference(start, count, stride, correction);
    const double em = relative(mean[g], ref.mean), ev = relative(variance[g], ref.variance);
    worst_mean = std::fmax(worst_mean, em);
    if (ev > worst_variance) {
      worst_variance = ev;
      std::snprintf(worst_case, sizeof worst_case, "%s %s %zux%zu axis %d correction %d", sizeof(T) == 4 ? "f32" : "f64",
                    what, rows, cols, static_cast<int>(axis), correction);
    }
    CHECK(em <= 1e-12 && ev <= 1e-12, "%s %s %zux%zu axis %d group %zu: mean %.17g (ref %.17Lg, rel %.3g), variance %.17g (ref %.17Lg, rel %.3g)",
          sizeof(T) == 4 ? "f32" : "f64", what, rows, cols, static_cast<int>(axis), g, mean[g], ref.mean, em, variance[g],
          ref.variance, ev);
  }
}

template <typename T>
void run() {
  struct Dist {
    const char* name;
    double mean, sd;
  };
  const Dist dists[] = {{"mean 1e4 sd 1e-2", 1e4, 1e-2}, {"mean -3e5 sd 1", -3e5, 1.0}};
  const size_t lengths[] = {1, 2, 3, 15, 16, 17, 31, 33, 2047, 2048, 2049, 65535, 65536, 65537, 100003,
                            (size_t{1} << 24) + 1, 10000019};
  for (const Dist& d : dists) {
    for (size_t n : lengths) {
      const std::vector<T> x = normal_data<T>(n, d.mean, d.sd, n);
      check(x, 1, n, selu::MomentsAxis::kAll, 0, d.name);
      if (n > 1) check(x, 1, n, selu::MomentsAxis::kAll, 1, d.name);
    }
    struct Shape {
      size_t rows, cols;
    };
    for (Shape s : {Shape{10007, 1001}, Shape{3, 3333337}, Shape{3333337, 3}, Shape{1, 1000}, Shape{1000, 1},
                    Shape{65, 257}, Shape{2049, 33}}) {
      const std::vector<T> x = normal_data<T>(s.rows * s.cols, d.mean, d.sd, s.rows);
      check(x, s.rows, s.cols, selu::MomentsAxis::kRows, 0, d.name);
      check(x, s.rows, s.cols, selu::MomentsAxis::kColumns, 0, d.name);
      if (s.rows > 1) check(x, s.rows, s.cols, selu::MomentsAxis::kColumns, 1, d.name);
    }
  }
}

}  // namespace

int main() {
  run<float>();
  run<double>();
  std::printf("largest relative error: mean %.3g, variance %.3g (bound 1e-12), the latter for %s\n", worst_mean,
              worst_variance, worst_case);
  return native_test::finish("moments_accuracy_test");
}
