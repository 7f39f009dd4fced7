// The portable conversion kernels: the scalar definitions of half_format.h over arrays.
#include "half_format.h"
#include "half_kernels.h"

namespace selu {
namespace {

void widen_f16(const uint16_t* src, float* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = half::f16_to_f32(src[i]);
}
void narrow_f16(const float* src, uint16_t* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = half::f32_to_f16(src[i]);
}
void widen_bf16(const uint16_t* src, float* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = half::bf16_to_f32(src[i]);
}
void narrow_bf16(const float* src, uint16_t* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = half::f32_to_bf16(src[i]);
}

}  // namespace

const HalfKernelTable kHalfScalar = {widen_f16, narrow_f16, widen_bf16, narrow_bf16, nullptr};

}  // namespace selu
