// The scalar reference kernels: plain C++ that any CPU runs, and the baseline the SIMD variants are
// tested against bit for bit. Keep decisions come a batch at a time from philox::stream_words.
#include <algorithm>
#include <cmath>

#include "../random/philox4x32.h"
#include "../selu/selu_kernels.h"
#include "dropout_kernels.h"
#include "selu_dropout_blocked.h"

namespace selu {
namespace {

constexpr size_t kBatch = 256;  // words generated per batch (a multiple of 4: whole blocks after the first)

// Calls fn(i, kept) for i in [0, n) in order.
template <typename Fn>
void for_each_decision(size_t n, uint64_t first, uint64_t seed, uint64_t threshold, Fn fn) {
  uint32_t words[kBatch];
  for (size_t begin = 0; begin < n; begin += kBatch) {
    const size_t count = std::min(kBatch, n - begin);
    philox::stream_words(seed, first + begin, count, words);
    for (size_t j = 0; j < count; ++j) fn(begin + j, philox::keep(words[j], threshold));
  }
}

template <typename T>
void forward(const T* x, T* out, size_t n, uint64_t first, const DropoutConstants<T>& c, bool /*stream*/) {
  for_each_decision(n, first, c.seed, c.threshold,
                    [&](size_t i, bool kept) { out[i] = kept ? std::fma(c.a, x[i], c.b) : c.dropped; });
}

template <typename T>
void backward(const T* grad, T* out, size_t n, uint64_t first, const DropoutConstants<T>& c, bool /*stream*/) {
  for_each_decision(n, first, c.seed, c.threshold,
                    [&](size_t i, bool kept) { out[i] = kept ? c.a * grad[i] : T(0); });
}

void mask(uint8_t* out, size_t n, uint64_t first, uint64_t seed, uint64_t threshold) {
  for_each_decision(n, first, seed, threshold, [&](size_t i, bool kept) { out[i] = kept ? 1 : 0; });
}

template <typename T>
void selu_forward(const T* x, T* out, size_t n, uint64_t first, const DropoutConstants<T>& c,
                  const SeluConstants<T>& s, bool stream) {
  selu_dropout_forward_blocked<T>(selu_forward_kernel<T>(kSeluScalar), forward<T>, x, out, n, first, c, s, stream);
}

template <typename T>
void selu_backward(const T* grad, const T* x, T* out, size_t n, uint64_t first, const DropoutConstants<T>& c,
                   const SeluConstants<T>& s, bool stream) {
  selu_dropout_backward_blocked<T>(selu_backward_kernel<T>(kSeluScalar), backward<T>, grad, x, out, n, first, c, s,
                                   stream);
}

}  // namespace

const DropoutKernelTable kDropoutScalar = {
    forward<float>,       forward<double>,       backward<float>,       backward<double>,       mask,
    selu_forward<float>,  selu_forward<double>,  selu_backward<float>,  selu_backward<double>,
};

}  // namespace selu
