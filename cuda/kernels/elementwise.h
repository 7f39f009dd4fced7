// The element-wise ops (SELU, alpha-dropout and their fusions, forward and backward) and the body of the
// one kernel that runs them, written as SELU_HD code: the CUDA kernel calls elementwise_thread() with
// its blockIdx/threadIdx, and cuda/tests runs the same function over every (block, thread) pair on the
// host, so the tiling, tails, vector loads and stream-word selection are tested without a GPU.
//
// Work layout: a block of kThreads threads covers kUnroll·kThreads consecutive 16-byte vectors; thread t
// handles vectors t, t + kThreads, ... (each load instruction is coalesced across the warp), issuing
// all its loads before any arithmetic. The n mod V elements after the last whole vector are done one
// per thread by the last block. DeviceArrays are whole allocations (256-byte aligned), so every
// vector is aligned.
#pragma once

#include <stddef.h>

#include "../common/dtypes.h"
#include "../dropout/dropout_math.h"
#include "../selu/selu_math.h"

namespace selu_cuda {

constexpr unsigned kThreads = 256;
constexpr unsigned kUnroll = 4;
constexpr size_t kVectorsPerBlock = size_t{kThreads} * kUnroll;

// Blocks for n elements of S (at least one, so that the tail has a block).
template <typename S>
SELU_HD size_t elementwise_blocks(size_t n) {
  const size_t nvec = n / Vec16<S>::kN;
  const size_t b = (nvec + kVectorsPerBlock - 1) / kVectorsPerBlock;
  return b == 0 ? 1 : b;
}

// ---- the ops: out = op(a[, b], stream word) element by element ---------------------------------------

template <typename S>
struct SeluForwardOp {
  using C = typename Storage<S>::C;
  static constexpr bool kTwoInputs = false, kRandom = false;
  SeluK<C> k;
  SELU_HD S operator()(S x, S, uint32_t) const { return Storage<S>::store(selu_forward(Storage<S>::load(x), k)); }
};

template <typename S>
struct SeluBackwardOp {  // a = gradOutput, b = input
  using C = typename Storage<S>::C;
  static constexpr bool kTwoInputs = true, kRandom = false;
  SeluK<C> k;
  SELU_HD S operator()(S g, S x, uint32_t) const {
    return Storage<S>::store(selu_backward(Storage<S>::load(g), Storage<S>::load(x), k));
  }
};

template <typename S>
struct DropoutForwardOp {
  using C = typename Storage<S>::C;
  static constexpr bool kTwoInputs = false, kRandom = true;
  DropoutK<C> d;
  S dropped;
  SELU_HD S operator()(S x, S, uint32_t w) const {
    return kept(d, w) ? Storage<S>::store(fma_(d.a, Storage<S>::load(x), d.b)) : dropped;
  }
};

template <typename S>
struct DropoutBackwardOp {
  using C = typename Storage<S>::C;
  static constexpr bool kTwoInputs = false, kRandom = true;
  DropoutK<C> d;
  SELU_HD S operator()(S g, S, uint32_t w) const {
    return Storage<S>::store(kept(d, w) ? d.a * Storage<S>::load(g) : C(0));
  }
};

// Equal, bit for bit, to DropoutForwardOp after SeluForwardOp (the SELU value is rounded to S first).
template <typename S>
struct SeluDropoutForwardOp {
  using C = typename Storage<S>::C;
  static constexpr bool kTwoInputs = false, kRandom = true;
  SeluK<C> k;
  DropoutK<C> d;
  S dropped;
  SELU_HD S operator()(S x, S, uint32_t w) const {
    if (!kept(d, w)) return dropped;
    const C y = round_to_storage<S>(selu_forward(Storage<S>::load(x), k));
    return Storage<S>::store(fma_(d.a, y, d.b));
  }
};

// Equal, bit for bit, to DropoutBackwardOp after SeluBackwardOp.
template <typename S>
struct SeluDropoutBackwardOp {  // a = gradOutput, b = input
  using C = typename Storage<S>::C;
  static constexpr bool kTwoInputs = true, kRandom = true;
  SeluK<C> k;
  DropoutK<C> d;
  SELU_HD S operator()(S g, S x, uint32_t w) const {
    if (!kept(d, w)) return Storage<S>::store(C(0));
    const C t = round_to_storage<S>(selu_backward(Storage<S>::load(g), Storage<S>::load(x), k));
    return Storage<S>::store(d.a * t);
  }
};

template <typename Op>
SELU_HD uint64_t stream_seed(const Op& op) {
  if constexpr (Op::kRandom) return op.d.seed; else return 0;
}
template <typename Op>
SELU_HD uint64_t stream_offset(const Op& op) {
  if constexpr (Op::kRandom) return op.d.offset; else return 0;
}

// ---- the body -----------------------------------------------------------------------------------------

// One thread's share of the element-wise kernel: block `block` of the grid, thread `thread` of it.
// a, b (b only for two-input ops) and out hold n elements; out may equal a or b exactly.
template <typename S, typename Op, bool kAligned>
SELU_HD void elementwise_thread(const Op& op, const S* a, const S* b, S* out, size_t n, size_t block,
                                unsigned thread, size_t blocks) {
  constexpr int V = Vec16<S>::kN;
  const size_t nvec = n / V;
  const size_t first = block * kVectorsPerBlock + thread;
  Vec16<S> va[kUnroll], vb[kUnroll];
SELU_UNROLL
  for (unsigned u = 0; u < kUnroll; ++u) {
    const size_t vi = first + size_t{u} * kThreads;
    if (vi < nvec) {
      va[u] = reinterpret_cast<const Vec16<S>*>(a)[vi];
      if constexpr (Op::kTwoInputs) vb[u] = reinterpret_cast<const Vec16<S>*>(b)[vi];
    }
  }
SELU_UNROLL
  for (unsigned u = 0; u < kUnroll; ++u) {
    const size_t vi = first + size_t{u} * kThreads;
    if (vi < nvec) {
      uint32_t w[V] = {};
      if constexpr (Op::kRandom) stream_words<V, kAligned>(stream_seed(op), stream_offset(op) + vi * V, w);
      Vec16<S> r;
SELU_UNROLL
      for (int j = 0; j < V; ++j) {
        if constexpr (Op::kTwoInputs) r.v[j] = op(va[u].v[j], vb[u].v[j], w[j]);
        else r.v[j] = op(va[u].v[j], va[u].v[j], w[j]);
      }
      reinterpret_cast<Vec16<S>*>(out)[vi] = r;
    }
  }
  if (block == blocks - 1) {
    const size_t i = nvec * V + thread;  // the tail: fewer than V elements
    if (i < n) {
      uint32_t w = 0;
      if constexpr (Op::kRandom) w = selu::philox::stream_word(stream_seed(op), stream_offset(op) + i);
      out[i] = op(a[i], Op::kTwoInputs ? b[i] : a[i], w);
    }
  }
}

}  // namespace selu_cuda
