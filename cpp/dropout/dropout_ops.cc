#include "dropout_ops.h"

#include <type_traits>

#include "../common/elementwise_split.h"
#include "../common/thread_pool.h"  // parallel_for
#include "../random/philox4x32.h"
#include "dropout_kernels.h"

namespace selu {

namespace {

template <typename T>
DropoutConstants<T> constants_for(const DropoutParams& p) {
  // a and b are rounded to T once; the dropped value a·α' + b was computed in double by the theory
  // module and is rounded once here (docs/ALPHA-DROPOUT.md).
  return {static_cast<T>(p.a), static_cast<T>(p.b), static_cast<T>(p.dropped), philox::keep_threshold(p.rate),
          p.seed};
}

template <typename T>
SeluConstants<T> selu_constants_for(const SeluParams& s) {
  if constexpr (std::is_same<T, float>::value) return make_selu_constants_f32(s); else return make_selu_constants_f64(s);
}

const DropoutKernelTable& active_table() { return dropout_kernels(active_simd_level()); }

// Runs fn(begin, end, first) over the chunks of [0, n); first = offset + begin is the chunk's global
// stream index, which is all a kernel needs to produce the same decisions as an unsplit call.
template <typename Fn>
void split(size_t n, uint64_t offset, OpCost cost, const Fn& fn) {
  parallel_for(n, elementwise_chunk(n, cost), [&](size_t begin, size_t end) { fn(begin, end, offset + begin); });
}

}  // namespace

template <typename T>
void alpha_dropout_forward(const T* x, T* out, size_t n, const DropoutParams& p) {
  const DropoutConstants<T> c = constants_for<T>(p);
  const DropoutForwardFn<T> kernel = dropout_forward_kernel<T>(active_table());
  const bool stream = should_stream(n * sizeof(T));
  const OpCost cost = cost_of(op_cost::kAlphaDropout, sizeof(T));
  split(n, p.offset, cost, [&](size_t begin, size_t end, uint64_t first) {
    kernel(x + begin, out + begin, end - begin, first, c, stream);
  });
}

template <typename T>
void alpha_dropout_backward(const T* grad, T* out, size_t n, const DropoutParams& p) {
  const DropoutConstants<T> c = constants_for<T>(p);
  const DropoutBackwardFn<T> kernel = dropout_backward_kernel<T>(active_table());
  const bool stream = should_stream(n * sizeof(T));
  const OpCost cost = cost_of(op_cost::kAlphaDropout, sizeof(T));
  split(n, p.offset, cost, [&](size_t begin, size_t end, uint64_t first) {
    kernel(grad + begin, out + begin, end - begin, first, c, stream);
  });
}

void alpha_dropout_mask(uint8_t* mask, size_t n, uint64_t seed, uint64_t offset, double rate) {
  const uint64_t threshold = philox::keep_threshold(rate);
  const DropoutMaskFn kernel = active_table().mask;
  split(n, offset, op_cost::kDropoutMask, [&](size_t begin, size_t end, uint64_t first) {
    kernel(mask + begin, end - begin, first, seed, threshold);
  });
}

template <typename T>
void selu_alpha_dropout_forward(const T* x, T* out, size_t n, const DropoutParams& p, const SeluParams& s) {
  const DropoutConstants<T> c = constants_for<T>(p);
  const SeluConstants<T> sc = selu_constants_for<T>(s);
  const SeluDropoutForwardFn<T> kernel = selu_dropout_forward_kernel<T>(active_table());
  const bool stream = should_stream(n * sizeof(T));
  const OpCost cost = cost_of(op_cost::kSeluAlphaDropout, sizeof(T));
  split(n, p.offset, cost, [&](size_t begin, size_t end, uint64_t first) {
    kernel(x + begin, out + begin, end - begin, first, c, sc, stream);
  });
}

template <typename T>
void selu_alpha_dropout_backward(const T* grad, const T* x, T* out, size_t n, const DropoutParams& p,
                                 const SeluParams& s) {
  const DropoutConstants<T> c = constants_for<T>(p);
  const SeluConstants<T> sc = selu_constants_for<T>(s);
  const SeluDropoutBackwardFn<T> kernel = selu_dropout_backward_kernel<T>(active_table());
  const bool stream = should_stream(n * sizeof(T));
  const OpCost cost = cost_of(op_cost::kSeluAlphaDropout, sizeof(T));
  split(n, p.offset, cost, [&](size_t begin, size_t end, uint64_t first) {
    kernel(grad + begin, x + begin, out + begin, end - begin, first, c, sc, stream);
  });
}

template void alpha_dropout_forward<float>(const float*, float*, size_t, const DropoutParams&);
template void alpha_dropout_forward<double>(const double*, double*, size_t, const DropoutParams&);
template void alpha_dropout_backward<float>(const float*, float*, size_t, const DropoutParams&);
template void alpha_dropout_backward<double>(const double*, double*, size_t, const DropoutParams&);
template void selu_alpha_dropout_forward<float>(const float*, float*, size_t, const DropoutParams&, const SeluParams&);
template void selu_alpha_dropout_forward<double>(const double*, double*, size_t, const DropoutParams&,
                                                 const SeluParams&);
template void selu_alpha_dropout_backward<float>(const float*, const float*, float*, size_t, const DropoutParams&,
                                                 const SeluParams&);
template void selu_alpha_dropout_backward<double>(const double*, const double*, double*, size_t,
                                                  const DropoutParams&, const SeluParams&);

}  // namespace selu
