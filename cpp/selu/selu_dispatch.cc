#include "selu_kernels.h"

namespace selu {

const SeluKernelTable& selu_kernels(SimdLevel level) {
#if defined(SELU_KERNELS_HAVE_X86_SIMD)
  switch (level) {
    case SimdLevel::kAvx512: return kSeluAvx512;
    case SimdLevel::kAvx2: return kSeluAvx2;
    default: break;
  }
#else
  (void)level;
#endif
  return kSeluScalar;
}

}  // namespace selu
