// A minimal check macro for the native kernel tests: counts failures, prints the first few.
#pragma once

#include <cstdio>

namespace native_test {

inline int& failures() {
  static int n = 0;
  return n;
}

inline int finish(const char* name) {
  if (failures() == 0) {
    std::printf("%s: all checks passed\n", name);
    return 0;
  }
  std::printf("%s: %d check(s) FAILED\n", name, failures());
  return 1;
}

}  // namespace native_test

#define CHECK(cond, ...)                                                  \
  do {                                                                    \
    if (!(cond)) {                                                        \
      if (++native_test::failures() <= 20) {                             \
        std::printf("%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
        std::printf(__VA_ARGS__);                                         \
        std::printf("\n");                                                \
      }                                                                   \
    }                                                                     \
  } while (0)
