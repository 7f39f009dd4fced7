// Portability layer for the code shared by the CUDA kernels and the host-side tests.
//
// Everything under cuda/selu, cuda/dropout and cuda/moments that does arithmetic is written once as
// SELU_HD functions: nvcc compiles them for the device, and a plain C++ compiler (g++, with the CUDA
// headers on the include path) compiles the very same source for the host, so cuda/tests can run the
// device arithmetic on the CPU and compare it bit for bit with the CPU kernels. For that to hold:
// - only IEEE-754 operations that are correctly rounded on both sides are used (+ − × ÷, fma, rint,
//   conversions); no library transcendental function;
// - the device code is compiled with --fmad=false (nvcc would otherwise contract a*b+c into one fma,
//   which the host does not do) and without --use_fast_math; the host with -ffp-contract=off.
#pragma once

#include <stdint.h>
#include <string.h>

#include <cmath>

#if defined(__CUDACC__)
#define SELU_HD __host__ __device__ __forceinline__
#define SELU_DEVICE_CODE 1
#else
#define SELU_HD inline
#endif

// Loop unrolling for the device pass only (host compilers warn about the CUDA pragma).
#if defined(__CUDA_ARCH__)
#define SELU_UNROLL _Pragma("unroll")
#else
#define SELU_UNROLL
#endif

namespace selu_cuda {

SELU_HD float fma_(float a, float b, float c) { return fmaf(a, b, c); }
SELU_HD double fma_(double a, double b, double c) { return fma(a, b, c); }
SELU_HD float rint_(float a) { return rintf(a); }
SELU_HD double rint_(double a) { return rint(a); }

// The bit pattern of a value as another type of the same size: the device's register move, memcpy on
// the host (no type punning through pointers).
#if defined(__CUDA_ARCH__)
#define SELU_BIT_CAST(To, device_intrinsic, v) static_cast<To>(device_intrinsic(v))
#else
#define SELU_BIT_CAST(To, device_intrinsic, v) host_bit_cast<To>(v)
template <typename To, typename From>
inline To host_bit_cast(From v) {
  static_assert(sizeof(To) == sizeof(From), "a bit cast keeps the size");
  To u;
  memcpy(&u, &v, sizeof u);
  return u;
}
#endif

SELU_HD uint32_t bits(float v) { return SELU_BIT_CAST(uint32_t, __float_as_uint, v); }
SELU_HD uint64_t bits(double v) { return SELU_BIT_CAST(uint64_t, __double_as_longlong, v); }
SELU_HD float float_from_bits(uint32_t u) { return SELU_BIT_CAST(float, __uint_as_float, u); }
SELU_HD double double_from_bits(uint64_t u) {
  return SELU_BIT_CAST(double, __longlong_as_double, static_cast<long long>(u));
}
#undef SELU_BIT_CAST

// 2^k as an exact normal number, for the exponent range of T's normal numbers.
template <typename T>
SELU_HD T pow2(int k);
template <>
SELU_HD float pow2<float>(int k) { return float_from_bits(static_cast<uint32_t>(k + 127) << 23); }
template <>
SELU_HD double pow2<double>(int k) { return double_from_bits(static_cast<uint64_t>(k + 1023) << 52); }

// c0 + r·(c1 + r·(c2 + …)) by Horner's rule: one fma per coefficient, from the highest degree down.
template <typename T>
SELU_HD T horner(T, T c) {
  return c;
}
template <typename T, typename... Rest>
SELU_HD T horner(T r, T c, Rest... rest) {
  return fma_(horner(r, rest...), r, c);
}

// a + b = s + e exactly (Knuth's two-sum, any magnitudes).
template <typename T>
SELU_HD void two_sum(T a, T b, T& s, T& e) {
  s = a + b;
  const T bb = s - a;
  e = (a - (s - bb)) + (b - bb);
}

// a + b = s + e exactly, when |a| ≥ |b| or a = 0 (Dekker's fast two-sum).
template <typename T>
SELU_HD void fast_two_sum(T a, T b, T& s, T& e) {
  s = a + b;
  e = b - (s - a);
}

}  // namespace selu_cuda
