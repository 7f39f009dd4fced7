#include "dropout_kernels.h"

namespace selu {

const DropoutKernelTable& dropout_kernels(SimdLevel level) {
#if defined(SELU_KERNELS_HAVE_X86_SIMD)
  switch (level) {
    case SimdLevel::kAvx512: return kDropoutAvx512;
    case SimdLevel::kAvx2: return kDropoutAvx2;
    default: break;
  }
#else
  (void)level;
#endif
  return kDropoutScalar;
}

}  // namespace selu
