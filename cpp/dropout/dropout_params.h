// The numbers an alpha-dropout kernel needs, derived once per call (dropout_ops.cc) from what the
// TypeScript layer computed with lib/theory/dropout-parameters.ts. Kernels never derive a, b or α'
// themselves (docs/ALPHA-DROPOUT.md lives in one place).
#pragma once

#include <stdint.h>

namespace selu {

// What the glue passes for a call: everything in double, as the theory module returned it.
struct DropoutParams {
  uint64_t seed;
  uint64_t offset;   // global index of element 0 (offset + n < 2^64, checked by the caller)
  double rate;       // 0 ≤ rate < 1
  double a;          // scale of kept elements
  double b;          // shift of kept elements
  double dropped;    // a·α' + b, the value of every dropped element
};

// The same, in the kernel's precision: a and b rounded to T once, `dropped` rounded once from the
// double a·α' + b, and the integer keep threshold of the random stream.
template <typename T>
struct DropoutConstants {
  T a;
  T b;
  T dropped;
  uint64_t threshold;  // keep iff word < threshold (philox::keep_threshold(rate); 2^32 keeps all)
  uint64_t seed;
};

}  // namespace selu
