// The conversion loops, once for every vector instruction set: `Isa` converts one vector of
// Isa::kLanes elements (half_avx2.cc, half_avx512.cc); the last n mod kLanes elements go through the
// scalar functions of half_format.h, which return the same bits (tested exhaustively).
#pragma once

#include <stddef.h>
#include <stdint.h>

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
          convert<Isa::kLanes, float, uint16_t, Isa::narrow_bf16, half::f32_to_bf16>};
}

}  // namespace half_simd
}  // namespace selu
