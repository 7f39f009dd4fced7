// SELU_TEST_SAMPLE=S: the exhaustive float32 tests check a deterministic subset of their inputs
// instead of all of them. Used under the sanitizers (scripts/test-sanitize.js), where the full sweeps
// took 10 and 6 minutes on the 2-core CI machine; `npm test` runs the full sweeps, unsanitized. With
// S = 32 the forward test checks about 15% of the 2^32 inputs.
//
// The tests hand out their inputs in chunks of consecutive indices (parallel.h), and a chunk holds
// inputs of one binade. With S set, a chunk runs when its index is a multiple of S, or when its first
// or last input lies in an edge region, which thus stays complete:
//  - biased exponent < 8: ±0, the subnormals and the smallest normals (results below 2^-124, where
//    the hi/lo products underflow);
//  - |x| in [2^-7, 2^11): where the range reduction starts to take n ≠ 0, the saturation at −17.33,
//    the forward clamp at −88, the backward cut-offs (−103, −150, −193, −745) and |x| = 256;
//  - biased exponent ≥ 250: huge |x|, ±Inf and the NaNs.
// Every other binade is still visited, in evenly spaced chunks (128 / S chunks of 2^16 per binade).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "tests/common/float_bits.h"

namespace selu_test {

class SampledSweep {
 public:
  // Reads SELU_TEST_SAMPLE (unset, empty or 1: every chunk runs).
  SampledSweep() {
    const char* env = std::getenv("SELU_TEST_SAMPLE");
    if (env != nullptr && *env != '\0') stride_ = std::strtoull(env, nullptr, 10);
    if (stride_ == 0) stride_ = 1;
    if (stride_ > 1)
      std::printf("SELU_TEST_SAMPLE=%llu: a subset of the inputs (edge regions complete, 1 chunk in %llu elsewhere)\n",
                  static_cast<unsigned long long>(stride_), static_cast<unsigned long long>(stride_));
  }

  bool keep(uint64_t chunk_index, float first, float last) const {
    return stride_ == 1 || chunk_index % stride_ == 0 || edge(first) || edge(last);
  }

 private:
  static bool edge(float x) {
    const uint32_t exponent = (bits_of(x) >> 23) & 0xffu;
    return exponent < 8 || (exponent >= 120 && exponent < 138) || exponent >= 250;
  }

  uint64_t stride_ = 1;
};

}  // namespace selu_test
