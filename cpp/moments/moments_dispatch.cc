#include "moments_kernels.h"

namespace selu {

const MomentsKernelTable& moments_kernels(SimdLevel level) {
#if defined(SELU_KERNELS_HAVE_X86_SIMD)
  switch (level) {
    case SimdLevel::kAvx512: return kMomentsAvx512;
    case SimdLevel::kAvx2: return kMomentsAvx2;
    default: break;
  }
#else
  (void)level;
#endif
  return kMomentsScalar;
}

}  // namespace selu
