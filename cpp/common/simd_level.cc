#include "simd_level.h"

#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) || defined(_M_X64)
#include <cpuid.h>
#endif

namespace selu {

namespace {

#if defined(__x86_64__) || defined(_M_X64)
unsigned long long read_xcr0() {
  unsigned int eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<unsigned long long>(edx) << 32) | eax;
}
#endif

}  // namespace

SimdLevel detect_cpu_simd_level() {
#if defined(__x86_64__) || defined(_M_X64)
  unsigned int eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return SimdLevel::kScalar;
  const bool osxsave = ecx & bit_OSXSAVE;
  const bool fma = ecx & bit_FMA;
  const bool avx = ecx & bit_AVX;
  if (!osxsave || !avx || !fma) return SimdLevel::kScalar;
  const unsigned long long xcr0 = read_xcr0();
  const bool ymm_state = (xcr0 & 0x6) == 0x6;      // SSE + AVX registers saved by the OS
  const bool zmm_state = (xcr0 & 0xe6) == 0xe6;    // plus opmask and upper ZMM registers
  if (!ymm_state) return SimdLevel::kScalar;
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return SimdLevel::kScalar;
  const bool avx2 = ebx & bit_AVX2;
  const bool avx512f = ebx & bit_AVX512F;
  const bool avx512dq = ebx & bit_AVX512DQ;
  const bool avx512bw = ebx & bit_AVX512BW;
  const bool avx512vl = ebx & bit_AVX512VL;
  if (avx2 && avx512f && avx512dq && avx512bw && avx512vl && zmm_state) return SimdLevel::kAvx512;
  if (avx2) return SimdLevel::kAvx2;
#endif
  return SimdLevel::kScalar;
}

bool parse_simd_level(const char* text, SimdLevel* out) {
  if (text == nullptr) return false;
  if (std::strcmp(text, "scalar") == 0) { *out = SimdLevel::kScalar; return true; }
  if (std::strcmp(text, "avx2") == 0) { *out = SimdLevel::kAvx2; return true; }
  if (std::strcmp(text, "avx512") == 0) { *out = SimdLevel::kAvx512; return true; }
  return false;
}

SimdLevel active_simd_level() {
  // A function-local static is initialised once, thread-safely, whichever context loads first.
  static const SimdLevel level = [] {
    SimdLevel detected = detect_cpu_simd_level();
    SimdLevel forced;
    if (parse_simd_level(std::getenv("SELU_KERNELS_SIMD"), &forced) && forced < detected) return forced;
    return detected;
  }();
  return level;
}

const char* simd_level_name(SimdLevel level) {
  switch (level) {
    case SimdLevel::kAvx512: return "avx512";
    case SimdLevel::kAvx2: return "avx2";
    default: return "scalar";
  }
}

}  // namespace selu
