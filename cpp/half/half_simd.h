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

template <typename Isa>
struct Kernels {
  static void widen_f16(const uint16_t* src, float* dst, size_t n) {
    size_t i = 0;
    for (; i + Isa::kLanes <= n; i += Isa::kLanes) Isa::widen_f16(src + i, dst + i);
    for (; i < n; ++i) dst[i] = half::f16_to_f32(src[i]);
  }
  static void narrow_f16(const float* src, uint16_t* dst, size_t n) {
    size_t i = 0;
    for (; i + Isa::kLanes <= n; i += Isa::kLanes) Isa::narrow_f16(src + i, dst + i);
    for (; i < n; ++i) dst[i] = half::f32_to_f16(src[i]);
  }
  static void widen_bf16(const uint16_t* src, float* dst, size_t n) {
    size_t i = 0;
    for (; i + Isa::kLanes <= n; i += Isa::kLanes) Isa::widen_bf16(src + i, dst + i);
    for (; i < n; ++i) dst[i] = half::bf16_to_f32(src[i]);
  }
  static void narrow_bf16(const float* src, uint16_t* dst, size_t n) {
    size_t i = 0;
    for (; i + Isa::kLanes <= n; i += Isa::kLanes) Isa::narrow_bf16(src + i, dst + i);
    for (; i < n; ++i) dst[i] = half::f32_to_bf16(src[i]);
  }

  static constexpr HalfKernelTable table() { return {widen_f16, narrow_f16, widen_bf16, narrow_bf16}; }
};

}  // namespace half_simd
}  // namespace selu
