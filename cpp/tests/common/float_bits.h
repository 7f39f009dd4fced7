// Bit-level views of floating-point values (through memcpy: no type punning through pointers).
#pragma once

#include <cstdint>
#include <cstring>

namespace selu_test {

inline float f32_from_bits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

inline uint32_t bits_of(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

inline double f64_from_bits(uint64_t u) {
  double d;
  std::memcpy(&d, &u, sizeof d);
  return d;
}

inline uint64_t bits_of(double d) {
  uint64_t u;
  std::memcpy(&u, &d, sizeof u);
  return u;
}

// Same value and same sign of zero, or both NaN (any payload).
inline bool same_value(float a, float b) { return bits_of(a) == bits_of(b) || (a != a && b != b); }
inline bool same_value(double a, double b) { return bits_of(a) == bits_of(b) || (a != a && b != b); }

}  // namespace selu_test
