#include "selu_levels.h"

#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "common/simd_level.h"

#if SELU_TEST_HAVE_EMULATION
namespace selu {
// cpp/selu/selu_avx512.cc built with SELU_KERNELS_EMULATE_AVX512 (see CMakeLists.txt).
extern const SeluKernelTable kSeluAvx512Emulated;
}  // namespace selu
#endif

namespace selu_test {

namespace {

bool wanted(const std::string& name) {
  const char* env = std::getenv("SELU_TEST_LEVELS");
  if (env == nullptr || *env == '\0') return true;
  std::stringstream list(env);
  std::string item;
  while (std::getline(list, item, ',')) {
    if (item == name || (item == "avx512" && name == "avx512-emulated")) return true;
  }
  return false;
}

}  // namespace

std::vector<KernelLevel> levels_under_test() {
  const selu::SimdLevel cpu = selu::detect_cpu_simd_level();
  std::vector<KernelLevel> all;
  all.push_back({"scalar", &selu::kSeluScalar});
#if defined(SELU_KERNELS_HAVE_X86_SIMD)
  if (cpu >= selu::SimdLevel::kAvx2) all.push_back({"avx2", &selu::kSeluAvx2});
  if (cpu >= selu::SimdLevel::kAvx512) {
    all.push_back({"avx512", &selu::kSeluAvx512});
  } else if (cpu >= selu::SimdLevel::kAvx2) {
#if SELU_TEST_HAVE_EMULATION
    all.push_back({"avx512-emulated", &selu::kSeluAvx512Emulated});
#else
    std::fprintf(stderr,
                 "FAIL: this CPU has no AVX-512 and the tests were built without the SIMDe headers, so the\n"
                 "AVX-512 SELU kernels cannot be tested. Install SIMD Everywhere and rebuild:\n"
                 "    apt-get install libsimde-dev && node scripts/native-tests.js\n");
    std::exit(1);
#endif
  } else {
    std::printf("note: this CPU has no AVX2; only the scalar kernels can be run here\n");
  }
#else
  (void)cpu;
#endif
  std::vector<KernelLevel> chosen;
  for (const KernelLevel& level : all)
    if (wanted(level.name)) chosen.push_back(level);
  return chosen;
}

const KernelLevel* find_level(const std::vector<KernelLevel>& levels, const std::string& name) {
  for (const KernelLevel& level : levels)
    if (level.name == name) return &level;
  return nullptr;
}

}  // namespace selu_test
