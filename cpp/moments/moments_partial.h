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

// Merges partials pushed in order as a pairwise tree (chan_merge.h, shared with the CUDA kernels); at
// most 2^kDepth − 1 partials.
template <size_t kDepth = 64>
using PairwiseMerger = chan::PairwiseMerger<MomentsPartial, kDepth>;

}  // namespace selu
