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

SELU_HD uint32_t bits(float v) {
#if defined(__CUDA_ARCH__)
  return __float_as_uint(v);
#else
  uint32_t u;
  memcpy(&u, &v, sizeof u);
  return u;
#endif
}

SELU_HD uint64_t bits(double v) {
#if defined(__CUDA_ARCH__)
  return static_cast<uint64_t>(__double_as_longlong(v));
#else
  uint64_t u;
  memcpy(&u, &v, sizeof u);
  return u;
#endif
}

SELU_HD float float_from_bits(uint32_t u) {
#if defined(__CUDA_ARCH__)
  return __uint_as_float(u);
#else
  float v;
  memcpy(&v, &u, sizeof v);
  return v;
#endif
}

SELU_HD double double_from_bits(uint64_t u) {
#if defined(__CUDA_ARCH__)
  return __longlong_as_double(static_cast<long long>(u));
#else
  double v;
  memcpy(&v, &u, sizeof v);
  return v;
#endif
}

// 2^k as an exact normal number, for the exponent range of T's normal numbers.
template <typename T>
SELU_HD T pow2(int k);
template <>
SELU_HD float pow2<float>(int k) { return float_from_bits(static_cast<uint32_t>(k + 127) << 23); }
template <>
SELU_HD double pow2<double>(int k) { return double_from_bits(static_cast<uint64_t>(k + 1023) << 52); }

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
