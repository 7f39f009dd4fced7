// Fused SELU + tile moments built from two kernels of one instruction set: the SELU kernel writes the
// tile's outputs, then the tile kernel reads them back while they are still in L1. Bit-identical to
// tile(selu(x)) by construction. Used by the scalar table, whose SELU exists only as whole-array
// kernels (the SIMD tables fuse in registers). The outputs are written with ordinary stores, since
// they are read back at once.
#pragma once

#include <stddef.h>

#include "../selu/selu_kernels.h"
#include "moments_kernels.h"

namespace selu {

template <typename T>
MomentsPartial selu_tile_moments_blocked(const SeluKernelTable& selu_table, TileMomentsFn<T> tile_fn, const T* x,
                                         T* out, size_t n, const SeluConstants<T>& s, bool /*stream*/) {
  selu_forward_kernel<T>(selu_table)(x, out, n, s, false);
  return tile_fn(out, n);
}

}  // namespace selu
