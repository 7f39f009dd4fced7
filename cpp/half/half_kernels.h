// Conversion kernels between the 16-bit formats and float32: one table of function pointers per
// instruction set. Every table returns exactly what the scalar functions of half_format.h return,
// for every input (tested exhaustively in cpp/tests/half). Kernels work on any sub-range: each element
// is converted on its own, in a full vector or a masked tail alike.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "../common/simd_level.h"
#include "../selu/selu_params.h"

namespace selu {

using WidenFn = void (*)(const uint16_t* src, float* dst, size_t n);
using NarrowFn = void (*)(const float* src, uint16_t* dst, size_t n);

// SELU of n float16 values (their bits), computed in float32 registers: the same bits as
// narrow(selu_f32(widen(x))) with the same level's kernels, in one pass with no float32 buffer.
using SeluHalfFn = void (*)(const uint16_t* x, uint16_t* out, size_t n, const SeluConstants<float>& c);

struct HalfKernelTable {
  WidenFn widen_f16;
  NarrowFn narrow_f16;
  WidenFn widen_bf16;
  NarrowFn narrow_bf16;
  // Null where the level has none (scalar, AVX-512): half_ops.cc then widens a block, runs the float32
  // kernel and narrows, which gives the same bits. bfloat16 always goes that way: its narrowing is a
  // dozen integer operations, and in one loop with the SELU maths (16 AVX2 registers) the fused form
  // measured slower than the blocked one (2.2 against 2.55 G elements/s, N = 1e7, 2 threads, AMD EPYC).
  SeluHalfFn selu_f16;
};

// Defined in half_scalar.cc, half_avx2.cc (AVX2 + F16C) and half_avx512.cc (the last two compiled with their ISA flags).
extern const HalfKernelTable kHalfScalar;
extern const HalfKernelTable kHalfAvx2;
extern const HalfKernelTable kHalfAvx512;

// The table for a level (never one the CPU lacks: callers pass a detected or lower level). The AVX2
// table also needs F16C, which every AVX2 CPU has; a CPU (or VM) that hides it gets the scalar table.
const HalfKernelTable& half_kernels(SimdLevel level);

}  // namespace selu
