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

// The conversions between a storage type and its compute type: widening is exact, narrowing rounds
// to nearest even.
SELU_HD float widen(float v) { return v; }
SELU_HD double widen(double v) { return v; }
SELU_HD float widen(__half v) { return __half2float(v); }
SELU_HD float widen(__nv_bfloat16 v) { return __bfloat162float(v); }
SELU_HD void narrow(float v, float& out) { out = v; }
SELU_HD void narrow(double v, double& out) { out = v; }
SELU_HD void narrow(float v, __half& out) { out = __float2half_rn(v); }
SELU_HD void narrow(float v, __nv_bfloat16& out) { out = __float2bfloat16_rn(v); }

// How elements of storage type S are computed on: C, the compute type, and S's dtype code.
template <typename S, typename Compute, Dtype D>
struct StorageOf {
  using C = Compute;
  static constexpr Dtype kDtype = D;
  static SELU_HD C load(S v) { return widen(v); }
  static SELU_HD S store(C v) {
    S out;
    narrow(v, out);
    return out;
  }
};

template <typename S>
struct Storage;
template <>
struct Storage<float> : StorageOf<float, float, Dtype::kFloat32> {};
template <>
struct Storage<double> : StorageOf<double, double, Dtype::kFloat64> {};
template <>
struct Storage<__half> : StorageOf<__half, float, Dtype::kFloat16> {};
template <>
struct Storage<__nv_bfloat16> : StorageOf<__nv_bfloat16, float, Dtype::kBFloat16> {};

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
