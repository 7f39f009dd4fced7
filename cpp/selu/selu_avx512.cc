// The AVX-512 SELU kernels (compiled with the AVX-512 flags only; called after the CPU check).
//
// The maths per vector is in selu_math_avx512.h; this file walks the arrays exactly as
// selu_avx2.cc does, with 64-byte vectors and opmask heads and tails: masked-out lanes are neither
// read nor written, every element goes through the same vector code, and results never depend on
// how a caller splits an array. With `stream`, the aligned body uses non-temporal stores and the
// call ends with a store fence.
//
// Built a second time by the native tests with SELU_KERNELS_EMULATE_AVX512 (SIMDe on AVX2; see
// selu_math_avx512.h) on CPUs without AVX-512; the table is then named kSeluAvx512Emulated.
#include <cstddef>
#include <cstdint>

#include "selu_kernels.h"
#include "selu_math_avx512.h"

namespace selu {
namespace {

constexpr size_t kVectorBytes = 64;

template <typename T>
struct Lanes;
template <>
struct Lanes<float> {
  static constexpr size_t kCount = 16;
  using Mask = __mmask16;
};
template <>
struct Lanes<double> {
  static constexpr size_t kCount = 8;
  using Mask = __mmask8;
};

template <typename T>
typename Lanes<T>::Mask first_lanes(size_t k) {
  return static_cast<typename Lanes<T>::Mask>((1u << k) - 1u);
}

// Elements before the first 64-byte-aligned output address (streaming only when out is aligned to
// its element size, as typed arrays always are).
template <typename T>
size_t head_before_aligned(const T* out, size_t n, bool* can_stream) {
  const uintptr_t addr = reinterpret_cast<uintptr_t>(out);
  *can_stream = addr % sizeof(T) == 0;
  if (!*can_stream) return 0;
  const size_t head = ((kVectorBytes - addr % kVectorBytes) % kVectorBytes) / sizeof(T);
  return head < n ? head : n;
}

// out[i] = f(in0[i], in1[i]...) for i < n.
template <typename T, typename F, typename... In>
void for_each_vector(T* out, size_t n, bool stream, F f, const In*... in) {
  constexpr size_t W = Lanes<T>::kCount;
  size_t i = 0;
  bool can_stream = false;
  if (stream) {
    const size_t head = head_before_aligned(out, n, &can_stream);
    if (can_stream) {
      if (head > 0) {
        const auto m = first_lanes<T>(head);
        avx512::io::store(out, m, f(avx512::io::load(in, m)...));
      }
      for (i = head; i + W <= n; i += W) avx512::io::stream(out + i, f(avx512::io::load(in + i)...));
    }
  }
  if (!can_stream) {
    for (; i + W <= n; i += W) avx512::io::store(out + i, f(avx512::io::load(in + i)...));
  }
  if (i < n) {
    const auto m = first_lanes<T>(n - i);
    avx512::io::store(out + i, m, f(avx512::io::load(in + i, m)...));
  }
  if (can_stream) _mm_sfence();
}

void forward_f32(const float* x, float* out, size_t n, const SeluConstants<float>& c, bool stream) {
  const avx512::SeluF32 k(c);
  for_each_vector(out, n, stream, [&k](__m512 v) { return avx512::selu_f32(v, k); }, x);
}

void forward_f64(const double* x, double* out, size_t n, const SeluConstants<double>& c, bool stream) {
  const avx512::SeluF64 k(c);
  for_each_vector(out, n, stream, [&k](__m512d v) { return avx512::selu_f64(v, k); }, x);
}

void backward_f32(const float* grad, const float* x, float* out, size_t n, const SeluConstants<float>& c,
                  bool stream) {
  const avx512::SeluF32 k(c);
  for_each_vector(out, n, stream, [&k](__m512 g, __m512 v) { return avx512::selu_grad_f32(g, v, k); },
                  grad, x);
}

void backward_f64(const double* grad, const double* x, double* out, size_t n, const SeluConstants<double>& c,
                  bool stream) {
  const avx512::SeluF64 k(c);
  for_each_vector(out, n, stream, [&k](__m512d g, __m512d v) { return avx512::selu_grad_f64(g, v, k); },
                  grad, x);
}

}  // namespace

#if defined(SELU_KERNELS_EMULATE_AVX512)
extern const SeluKernelTable kSeluAvx512Emulated;
const SeluKernelTable kSeluAvx512Emulated = {forward_f32, forward_f64, backward_f32, backward_f64};
#else
const SeluKernelTable kSeluAvx512 = {forward_f32, forward_f64, backward_f32, backward_f64};
#endif

}  // namespace selu
