// The AVX-512 SELU kernels (compiled with the AVX-512 flags only; called after the CPU check).
//
// selu_simd.h on 64-byte registers (opmask heads and tails) with the maths of selu_math_avx512.h.
//
// Built a second time by the native tests with SELU_KERNELS_EMULATE_AVX512 (SIMDe on AVX2; see
// selu_math_avx512.h) on CPUs without AVX-512; the table is then named kSeluAvx512Emulated.
#include "selu_kernels.h"
#include "selu_math_avx512.h"  // first: it provides the intrinsics (native or emulated)
#include "selu_simd.h"

namespace selu {

extern const SeluKernelTable SELU_AVX512_TABLE_NAME(kSeluAvx512);
const SeluKernelTable SELU_AVX512_TABLE_NAME(kSeluAvx512) = SeluSimd<avx512::Isa>::kTable;

}  // namespace selu
