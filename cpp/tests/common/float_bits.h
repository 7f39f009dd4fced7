// Bit-level views of floating-point values (through memcpy: no type punning through pointers).
#pragma once

#include <cstdint>

#include "../../common/bit_cast.h"

namespace selu_test {

inline float f32_from_bits(uint32_t u) { return selu::bit_cast<float>(u); }
inline uint32_t bits_of(float f) { return selu::bit_cast<uint32_t>(f); }
inline double f64_from_bits(uint64_t u) { return selu::bit_cast<double>(u); }
inline uint64_t bits_of(double d) { return selu::bit_cast<uint64_t>(d); }

// Same value and same sign of zero, or both NaN (any payload).
inline bool same_value(float a, float b) { return bits_of(a) == bits_of(b) || (a != a && b != b); }
inline bool same_value(double a, double b) { return bits_of(a) == bits_of(b) || (a != a && b != b); }

}  // namespace selu_test
