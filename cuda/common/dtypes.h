// The element types a DeviceArray can hold, and how each is loaded and stored: float32 and float64 are
// computed in their own precision; float16 and bfloat16 are stored in half precision and computed in
// float32 (converted exactly on load, rounded to nearest even on store).
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "hd.h"

namespace selu_cuda {

// Must match lib/device-array.ts (DTYPE_CODES).
enum class Dtype : int { kFloat32 = 0, kFloat64 = 1, kFloat16 = 2, kBFloat16 = 3 };

SELU_HD size_t dtype_size(Dtype d) { return d == Dtype::kFloat64 ? 8 : d == Dtype::kFloat32 ? 4 : 2; }

template <typename S>
struct Storage;

template <>
struct Storage<float> {
  using C = float;
  static constexpr Dtype kDtype = Dtype::kFloat32;
  static SELU_HD C load(float v) { return v; }
  static SELU_HD float store(C v) { return v; }
};

template <>
struct Storage<double> {
  using C = double;
  static constexpr Dtype kDtype = Dtype::kFloat64;
  static SELU_HD C load(double v) { return v; }
  static SELU_HD double store(C v) { return v; }
};

template <>
struct Storage<__half> {
  using C = float;
  static constexpr Dtype kDtype = Dtype::kFloat16;
  static SELU_HD C load(__half v) { return __half2float(v); }
  static SELU_HD __half store(C v) { return __float2half_rn(v); }
};

template <>
struct Storage<__nv_bfloat16> {
  using C = float;
  static constexpr Dtype kDtype = Dtype::kBFloat16;
  static SELU_HD C load(__nv_bfloat16 v) { return __bfloat162float(v); }
  static SELU_HD __nv_bfloat16 store(C v) { return __float2bfloat16_rn(v); }
};

// Rounds a compute value to the storage precision and back (what a separate kernel writing S would
// hand to the next one): the identity for float32 and float64.
template <typename S>
SELU_HD typename Storage<S>::C round_to_storage(typename Storage<S>::C v) {
  return Storage<S>::load(Storage<S>::store(v));
}

// A double rounded once to S.
template <typename S>
SELU_HD S from_double(double v) {
  if constexpr (Storage<S>::kDtype == Dtype::kFloat16) return __double2half(v);
  else if constexpr (Storage<S>::kDtype == Dtype::kBFloat16) return __double2bfloat16(v);
  else return static_cast<S>(v);
}

// 16 bytes of S: one 128-bit load or store.
template <typename S>
struct alignas(16) Vec16 {
  static constexpr int kN = 16 / sizeof(S);
  S v[kN];
};

}  // namespace selu_cuda
