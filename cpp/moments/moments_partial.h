// Partial moments of a group of values and the fixed-order ways of combining them (docs/MOMENTS.md).
//
// A partial is (count, mean, M2 = Σ(x − mean)²), all in double, with the mean carried as an unevaluated
// sum mean + mean_lo of two doubles. Why: in Chan's merge the term δ²·n_a·n_b/n depends on the
// difference δ of two means, and for data with mean/std = 1e6 (mean 1e4, std 1e-2) a mean rounded to
// one double is off by up to 9e-13, a relative error of 1e-9 in δ (docs/MOMENTS.md asks for 1e-12 in
// the variance). Kernels get mean_lo for free from their second pass (the mean of x − mean).
// Partials are merged with Chan et al.'s formula, and sequences of partials with a pairwise
// (binary-counter) tree whose shape depends only on the number of partials: never on thread timing,
// so results are reproducible bit for bit.
#pragma once

#include <stddef.h>

#include "chan_merge.h"

namespace selu {

struct MomentsPartial {
  double count = 0;
  double mean = 0;     // the mean is mean + mean_lo, with |mean_lo| ≤ ulp(mean)/2 after a merge
  double mean_lo = 0;
  double m2 = 0;

  double full_mean() const { return mean + mean_lo; }
};

// Chan's merge and the partial from a second pass's sums (chan_merge.h, shared with the CUDA kernels).
inline MomentsPartial merge(const MomentsPartial& a, const MomentsPartial& b) { return chan::merge(a, b); }
inline MomentsPartial partial_from_sums(double n, double m, double e, double q) {
  return chan::partial_from_sums<MomentsPartial>(n, m, e, q);
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
