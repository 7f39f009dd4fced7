// Conversion kernels between the 16-bit formats and float32: one table of function pointers per
// instruction set. Every table returns exactly what the scalar functions of half_format.h return,
// for every input (tested exhaustively in cpp/tests/half). Kernels work on any sub-range: each element
// is converted on its own, in a full vector or a masked tail alike.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "../common/simd_level.h"

namespace selu {

using WidenFn = void (*)(const uint16_t* src, float* dst, size_t n);
using NarrowFn = void (*)(const float* src, uint16_t* dst, size_t n);

struct HalfKernelTable {
  WidenFn widen_f16;
  NarrowFn narrow_f16;
  WidenFn widen_bf16;
  NarrowFn narrow_bf16;
};

// Defined in half_scalar.cc, half_avx2.cc (AVX2 + F16C) and half_avx512.cc (the last two compiled with their ISA flags).
extern const HalfKernelTable kHalfScalar;
extern const HalfKernelTable kHalfAvx2;
extern const HalfKernelTable kHalfAvx512;

// The table for a level (never one the CPU lacks: callers pass a detected or lower level). The AVX2
// table also needs F16C, which every AVX2 CPU has; a CPU (or VM) that hides it gets the scalar table.
const HalfKernelTable& half_kernels(SimdLevel level);

}  // namespace selu
