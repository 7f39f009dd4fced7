// The SELU kernel tables a native test checks on this machine.
#pragma once

#include <string>
#include <vector>

#include "selu/selu_kernels.h"

namespace selu_test {

struct KernelLevel {
  std::string name;  // "scalar", "avx2", "avx512" or "avx512-emulated"
  const selu::SeluKernelTable* table;
};

// scalar; avx2 when the CPU has it; avx512 natively when the CPU has it, else the same source built
// for emulation on AVX2 (SIMDe). Exits with status 1 and a message saying what to install when the
// AVX-512 kernels cannot be run at all (no AVX-512 and no emulation built). SELU_TEST_LEVELS=a,b
// (names as above, "avx512" also selecting the emulated build) restricts the list, for quick runs.
std::vector<KernelLevel> levels_under_test();

// The level among `levels` named "avx2", or nullptr.
const KernelLevel* find_level(const std::vector<KernelLevel>& levels, const std::string& name);

}  // namespace selu_test
