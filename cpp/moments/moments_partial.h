// Partial moments of a group of values and the fixed-order ways of combining them (REFERENCE.md §4).
//
// A partial is (count, mean, M2 = Σ(x − mean)²), all in double, with the mean carried as an unevaluated
// sum mean + mean_lo of two doubles. Why: in Chan's merge the term δ²·n_a·n_b/n depends on the
// difference δ of two means, and for data with mean/std = 1e6 (mean 1e4, std 1e-2) a mean rounded to
// one double is off by up to 9e-13, a relative error of 1e-9 in δ (REFERENCE.md §4 asks for 1e-12 in
// the variance). Kernels get mean_lo for free from their second pass (the mean of x − mean).
// Partials are merged with Chan et al.'s formula, and sequences of partials with a pairwise
// (binary-counter) tree whose shape depends only on the number of partials: never on thread timing,
// so results are reproducible bit for bit.
#pragma once

#include <stddef.h>

namespace selu {

struct MomentsPartial {
  double count = 0;
  double mean = 0;     // the mean is mean + mean_lo, with |mean_lo| ≤ ulp(mean)/2 after a merge
  double mean_lo = 0;
  double m2 = 0;

  double full_mean() const { return mean + mean_lo; }
};

// Chan, Golub & LeVeque: δ = m_b − m_a, m = m_a + δ·n_b/n, M2 = M2_a + M2_b + δ²·n_a·n_b/n, with the
// means in double-double (δ from both parts; the new mean's rounding error kept by a two-sum).
inline MomentsPartial merge(const MomentsPartial& a, const MomentsPartial& b) {
  if (a.count == 0) return b;
  if (b.count == 0) return a;
  const double n = a.count + b.count;
  const double delta = (b.mean - a.mean) + (b.mean_lo - a.mean_lo);
  const double wb = b.count / n;
  const double step = delta * wb;
  const double hi = a.mean + step;  // two-sum: hi + err = a.mean + step exactly
  const double step_part = hi - a.mean;
  const double err = (a.mean - (hi - step_part)) + (step - step_part);
  const double lo = a.mean_lo + err;
  const double mean = hi + lo;  // renormalise: mean is the best double, mean_lo the rest
  return {n, mean, lo - (mean - hi), a.m2 + b.m2 + delta * delta * (a.count * wb)};
}

// The partial of n values from the sums a kernel's second pass accumulates around its first-pass mean
// m: e = Σd and q = Σd² with d = x − m. The exact mean is m + e/n and M2 = q − e·(e/n) (the second
// term matters for small groups whose mean m is off by an ulp: 3 values near 1e4 with M2 ≈ 1e-10).
// Rounding can leave M2 a hair below 0 when all d are equal: it is clamped, NaN passing through.
inline MomentsPartial partial_from_sums(double n, double m, double e, double q) {
  const double lo = e / n;
  const double m2 = q - e * lo;
  return {n, m, lo, m2 < 0 ? 0.0 : m2};
}

// Merges partials pushed in order as a pairwise tree: equal-sized subtrees combine as soon as both
// exist (like a binary counter), and result() combines what remains from the right. The rounding
// error then grows with log2 of the number of partials rather than linearly. kDepth bounds the
// number of partials at 2^kDepth − 1.
template <size_t kDepth = 64>
class PairwiseMerger {
 public:
  void push(MomentsPartial p) {
    unsigned level = 0;
    while (depth_ > 0 && levels_[depth_ - 1] == level) {
      p = merge(stack_[--depth_], p);
      ++level;
    }
    stack_[depth_] = p;
    levels_[depth_++] = level;
  }
  MomentsPartial result() const {
    if (depth_ == 0) return {};
    MomentsPartial r = stack_[depth_ - 1];
    for (size_t i = depth_ - 1; i-- > 0;) r = merge(stack_[i], r);
    return r;
  }

 private:
  MomentsPartial stack_[kDepth];
  unsigned levels_[kDepth] = {};
  size_t depth_ = 0;
};

}  // namespace selu
