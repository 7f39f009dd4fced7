// Small, fast, seedable random numbers for tests (SplitMix64, Steele et al. 2014): reproducible
// streams, and a stateless hash of an index for values that must not depend on thread scheduling.
#pragma once

#include <cmath>
#include <cstdint>

namespace selu_test {

// The SplitMix64 output function: a good 64-bit hash of a counter.
inline uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next() { return mix64(state_ += 0x9e3779b97f4a7c15ULL); }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [0, n).
  uint64_t below(uint64_t n) { return next() % n; }
  // e^u for u uniform in [log lo, log hi]: magnitudes spread evenly over the decades.
  double log_uniform(double lo, double hi) { return std::exp(uniform(std::log(lo), std::log(hi))); }

 private:
  uint64_t state_;
};

}  // namespace selu_test
