#include "dropout_ops.h"

#include <tuple>

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

const DropoutKernelTable& active_table() { return dropout_kernels(active_simd_level()); }

// Runs fn(begin, end, first) over the chunks of [0, n); first = offset + begin is the chunk's global
// stream index, which is all a kernel needs to produce the same decisions as an unsplit call.
template <typename Fn>
void split(size_t n, uint64_t offset, OpCost cost, const Fn& fn) {
  parallel_for(n, elementwise_chunk(n, cost), [&](size_t begin, size_t end) { fn(begin, end, offset + begin); });
}

// kernel(in + begin..., out + begin, end − begin, first, constants..., stream) over the chunks of
// [0, n), for the element-wise kernels (all but the mask): streamed when the output is large.
template <typename Kernel, typename Inputs, typename T, typename... Constants>
void run_chunks(Kernel kernel, OpCost float32_cost, Inputs in, T* out, size_t n, uint64_t offset,
                const Constants&... constants) {
  const bool stream = should_stream(n * sizeof(T));
  split(n, offset, cost_of(float32_cost, sizeof(T)), [&](size_t begin, size_t end, uint64_t first) {
    std::apply([&](auto... p) { kernel(p + begin..., out + begin, end - begin, first, constants..., stream); }, in);
  });
}

}  // namespace

template <typename T>
void alpha_dropout_forward(const T* x, T* out, size_t n, const DropoutParams& p) {
  run_chunks(dropout_forward_kernel<T>(active_table()), op_cost::kAlphaDropout, std::make_tuple(x), out, n, p.offset,
             constants_for<T>(p));
}

template <typename T>
void alpha_dropout_backward(const T* grad, T* out, size_t n, const DropoutParams& p) {
  run_chunks(dropout_backward_kernel<T>(active_table()), op_cost::kAlphaDropout, std::make_tuple(grad), out, n,
             p.offset, constants_for<T>(p));
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
  run_chunks(selu_dropout_forward_kernel<T>(active_table()), op_cost::kSeluAlphaDropout, std::make_tuple(x), out, n,
             p.offset, constants_for<T>(p), make_selu_constants<T>(s));
}

template <typename T>
void selu_alpha_dropout_backward(const T* grad, const T* x, T* out, size_t n, const DropoutParams& p,
                                 const SeluParams& s) {
  run_chunks(selu_dropout_backward_kernel<T>(active_table()), op_cost::kSeluAlphaDropout, std::make_tuple(grad, x),
             out, n, p.offset, constants_for<T>(p), make_selu_constants<T>(s));
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
