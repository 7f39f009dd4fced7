#include "half_levels.h"

#include "tests/selu/selu_levels.h"

#if SELU_TEST_HAVE_EMULATION
namespace selu {
// cpp/half/half_avx512.cc built with SELU_KERNELS_EMULATE_AVX512 (see CMakeLists.txt).
extern const HalfKernelTable kHalfAvx512Emulated;
}  // namespace selu
#endif

namespace half_test {

namespace {

const selu::HalfKernelTable* half_table(const std::string& name) {
#if defined(SELU_KERNELS_HAVE_X86_SIMD)
  if (name == "avx2") return &selu::half_kernels(selu::SimdLevel::kAvx2);  // scalar if the CPU hides F16C
  if (name == "avx512") return &selu::kHalfAvx512;
#endif
#if SELU_TEST_HAVE_EMULATION
  if (name == "avx512-emulated") return &selu::kHalfAvx512Emulated;
#endif
  return &selu::kHalfScalar;
}

}  // namespace

std::vector<Level> levels_under_test() {
  std::vector<Level> levels;
  for (const selu_test::KernelLevel& l : selu_test::levels_under_test()) levels.push_back({l.name, l.table, half_table(l.name)});
  return levels;
}

}  // namespace half_test
