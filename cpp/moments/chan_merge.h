// Chan et al.'s merge of two partial moments, the partial from a second pass's sums and the pairwise
// merging of a sequence of partials: one definition for the CPU kernels (moments_partial.h) and the
// CUDA ones (cuda/moments/moments_math.h),
// host/device functions under nvcc as philox4x32.h's are. Partial is any aggregate
// {count, mean, mean_lo, m2} of doubles, the mean carried as the unevaluated sum mean + mean_lo
// (moments_partial.h says why).
#pragma once

#include <stddef.h>

#if defined(__CUDACC__)
#define SELU_CHAN_HD __host__ __device__ __forceinline__
#else
#define SELU_CHAN_HD inline
#endif

namespace selu {
namespace chan {

// Chan, Golub & LeVeque: δ = m_b − m_a, m = m_a + δ·n_b/n, M2 = M2_a + M2_b + δ²·n_a·n_b/n, with the
// means in double-double (δ from both parts; the new mean's rounding error kept by a two-sum).
template <typename Partial>
SELU_CHAN_HD Partial merge(const Partial& a, const Partial& b) {
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
template <typename Partial>
SELU_CHAN_HD Partial partial_from_sums(double n, double m, double e, double q) {
  const double lo = e / n;
  const double m2 = q - e * lo;
  return {n, m, lo, m2 < 0 ? 0.0 : m2};
}

// Merges partials pushed in order as a pairwise tree: equal-sized subtrees combine as soon as both
// exist (like a binary counter), and result() combines what remains from the right. The rounding
// error then grows with log2 of the number of partials rather than linearly, and the tree's shape
// depends only on the number of partials. kDepth bounds the number of partials at 2^kDepth − 1.
template <typename Partial, size_t kDepth>
class PairwiseMerger {
 public:
  SELU_CHAN_HD void push(Partial p) {
    unsigned level = 0;
    while (depth_ > 0 && levels_[depth_ - 1] == level) {
      p = merge(stack_[--depth_], p);
      ++level;
    }
    stack_[depth_] = p;
    levels_[depth_++] = level;
  }
  SELU_CHAN_HD Partial result() const {
    if (depth_ == 0) return Partial{};
    Partial r = stack_[depth_ - 1];
    for (size_t i = depth_ - 1; i-- > 0;) r = merge(stack_[i], r);
    return r;
  }

 private:
  Partial stack_[kDepth];
  unsigned levels_[kDepth] = {};
  size_t depth_ = 0;
};

}  // namespace chan
}  // namespace selu

#undef SELU_CHAN_HD
