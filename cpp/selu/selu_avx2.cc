// The AVX2 + FMA SELU kernels (compiled with -mavx2 -mfma only; called after the CPU check):
// selu_simd.h on 32-byte registers (vmaskmov heads and tails) with the maths of selu_math_avx2.h.
#include "selu_kernels.h"
#include "selu_math_avx2.h"
#include "selu_simd.h"

namespace selu {

const SeluKernelTable kSeluAvx2 = SeluSimd<avx2::Isa>::kTable;

}  // namespace selu
