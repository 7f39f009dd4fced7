// Which SIMD instruction set the CPU kernels use. Detected once at load; the environment variable
// SELU_KERNELS_SIMD=scalar|avx2|avx512 may force a lower level (never a higher one than the CPU has).
#pragma once

namespace selu {

enum class SimdLevel { kScalar = 0, kAvx2 = 1, kAvx512 = 2 };

// The best level this CPU and OS support (AVX state enabled in XCR0 included).
SimdLevel detect_cpu_simd_level();

// The level in use: the detected one, lowered by SELU_KERNELS_SIMD when set. Computed once.
SimdLevel active_simd_level();

const char* simd_level_name(SimdLevel level);

// Parses "scalar" | "avx2" | "avx512"; returns false for anything else.
bool parse_simd_level(const char* text, SimdLevel* out);

}  // namespace selu
