// The conversion loops, once for every vector instruction set: `Isa` converts one vector of
// Isa::kLanes elements (half_avx2.cc, half_avx512.cc); the last n mod kLanes elements go through the
// scalar functions of half_format.h, which return the same bits (tested exhaustively).
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "half_format.h"
#include "half_kernels.h"

namespace selu {
namespace half_simd {

// Isa::kLanes elements at a time through `vector`, the rest through `scalar`.
template <size_t kLanes, typename In, typename Out, void (*vector)(const In*, Out*), Out (*scalar)(In)>
void convert(const In* src, Out* dst, size_t n) {
  size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) vector(src + i, dst + i);
  for (; i < n; ++i) dst[i] = scalar(src[i]);
}

template <typename Isa>
constexpr HalfKernelTable table() {
  return {convert<Isa::kLanes, uint16_t, float, Isa::widen_f16, half::f16_to_f32>,
          convert<Isa::kLanes, float, uint16_t, Isa::narrow_f16, half::f32_to_f16>,
          convert<Isa::kLanes, uint16_t, float, Isa::widen_bf16, half::bf16_to_f32>,
          convert<Isa::kLanes, float, uint16_t, Isa::narrow_bf16, half::f32_to_bf16>,
          nullptr};
}

// SELU of float16 values in registers, for an Isa that also provides F (a float32 register),
// load_f16(p) and store_f16(p, v) (kLanes values, widened / narrowed exactly as its conversions do),
// Selu (its SELU maths' constants) and selu(v, k) (that maths' selu_f32). The last n mod kLanes
// values go through the same vector code from a zero-padded copy, so every value's bits are the
// same wherever it falls, and the result equals narrowing the level's float32 SELU kernel's output.
// Each register is loaded before its result is stored: out may equal x.
template <typename Isa>
void selu_f16(const uint16_t* x, uint16_t* out, size_t n, const SeluConstants<float>& c) {
  constexpr size_t W = Isa::kLanes;
  const typename Isa::Selu k(c);
  size_t i = 0;
  for (; i + W <= n; i += W) Isa::store_f16(out + i, Isa::selu(Isa::load_f16(x + i), k));
  if (i < n) {
    uint16_t in[W] = {}, result[W];
    memcpy(in, x + i, sizeof(uint16_t) * (n - i));
    Isa::store_f16(result, Isa::selu(Isa::load_f16(in), k));
    memcpy(out + i, result, sizeof(uint16_t) * (n - i));
  }
}

// table() with the fused float16 SELU kernel.
template <typename Isa>
constexpr HalfKernelTable table_with_selu() {
  HalfKernelTable t = table<Isa>();
  t.selu_f16 = selu_f16<Isa>;
  return t;
}

}  // namespace half_simd
}  // namespace selu
