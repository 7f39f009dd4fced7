#include "half_kernels.h"

#if defined(SELU_KERNELS_HAVE_X86_SIMD)
#include <cpuid.h>
#endif

namespace selu {

namespace {

#if defined(SELU_KERNELS_HAVE_X86_SIMD)
bool cpu_has_f16c() {
  unsigned int eax, ebx, ecx, edx;
  return __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & bit_F16C);
}
#endif

}  // namespace

const HalfKernelTable& half_kernels(SimdLevel level) {
#if defined(SELU_KERNELS_HAVE_X86_SIMD)
  static const bool f16c = cpu_has_f16c();
  switch (level) {
    case SimdLevel::kAvx512: return kHalfAvx512;  // AVX-512F has the conversions itself
    case SimdLevel::kAvx2: return f16c ? kHalfAvx2 : kHalfScalar;
    default: break;
  }
#else
  (void)level;
#endif
  return kHalfScalar;
}

}  // namespace selu
