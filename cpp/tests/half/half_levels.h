// The SIMD levels a 16-bit test checks on this machine: the SELU test's level list (scalar, avx2,
// avx512 natively or in SIMDe emulation; SELU_TEST_LEVELS restricts it) with the conversion table of
// each level.
#pragma once

#include <string>
#include <vector>

#include "half/half_kernels.h"
#include "selu/selu_kernels.h"

namespace half_test {

struct Level {
  std::string name;
  const selu::SeluKernelTable* selu;
  const selu::HalfKernelTable* half;
};

std::vector<Level> levels_under_test();

}  // namespace half_test
