// The AVX2 + FMA SELU kernels (compiled with -mavx2 -mfma only; called after the CPU check).
//
// The maths per vector is in selu_math_avx2.h; this file walks the arrays. Every element goes
// through the same vector code: full vectors with unaligned loads, and at most one masked head
// (streaming only) and one masked tail (vmaskmov: masked-out lanes neither read nor write memory,
// so nothing beyond n is touched). Results therefore never depend on how a caller splits an array.
//
// With `stream`, the body stores with non-temporal stores: the output is aligned first by a masked
// head, and a store fence ends the call so the caller may publish the results to other threads.
#include <cstddef>
#include <cstdint>

#include "selu_kernels.h"
#include "selu_math_avx2.h"

namespace selu {
namespace {

constexpr size_t kVectorBytes = 32;

// Masks for k of 8 (float) or 4 (double) lanes: an unaligned load from the middle of -1…-1 0…0.
alignas(64) constexpr int32_t kMaskTable32[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
alignas(64) constexpr int64_t kMaskTable64[8] = {-1, -1, -1, -1, 0, 0, 0, 0};

struct F32 {
  using T = float;
  using V = __m256;
  static constexpr size_t kLanes = 8;
  static __m256i mask(size_t k) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kMaskTable32 + 8 - k));
  }
  static V load(const T* p) { return _mm256_loadu_ps(p); }
  static V load(const T* p, __m256i m) { return _mm256_maskload_ps(p, m); }
  static void store(T* p, V v) { _mm256_storeu_ps(p, v); }
  static void store(T* p, V v, __m256i m) { _mm256_maskstore_ps(p, m, v); }
  static void stream(T* p, V v) { _mm256_stream_ps(p, v); }
};

struct F64 {
  using T = double;
  using V = __m256d;
  static constexpr size_t kLanes = 4;
  static __m256i mask(size_t k) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kMaskTable64 + 4 - k));
  }
  static V load(const T* p) { return _mm256_loadu_pd(p); }
  static V load(const T* p, __m256i m) { return _mm256_maskload_pd(p, m); }
  static void store(T* p, V v) { _mm256_storeu_pd(p, v); }
  static void store(T* p, V v, __m256i m) { _mm256_maskstore_pd(p, m, v); }
  static void stream(T* p, V v) { _mm256_stream_pd(p, v); }
};

// Elements before the first kVectorBytes-aligned output address (0 when out is not even aligned to
// its element size, which typed arrays always are: such an output is simply not streamed).
template <typename T>
size_t head_before_aligned(const T* out, size_t n, bool* can_stream) {
  const uintptr_t addr = reinterpret_cast<uintptr_t>(out);
  *can_stream = addr % sizeof(T) == 0;
  if (!*can_stream) return 0;
  const size_t head = ((kVectorBytes - addr % kVectorBytes) % kVectorBytes) / sizeof(T);
  return head < n ? head : n;
}

// out[i] = f(in0[i], in1[i]...) for i < n, over the arrays given as `in` pointers (one or two).
template <typename Ops, typename F, typename... In>
void for_each_vector(typename Ops::T* out, size_t n, bool stream, F f, const In*... in) {
  constexpr size_t W = Ops::kLanes;
  size_t i = 0;
  bool can_stream = false;
  if (stream) {
    const size_t head = head_before_aligned(out, n, &can_stream);
    if (can_stream) {
      if (head > 0) {
        const __m256i m = Ops::mask(head);
        Ops::store(out, f(Ops::load(in, m)...), m);
      }
      for (i = head; i + W <= n; i += W) Ops::stream(out + i, f(Ops::load(in + i)...));
    }
  }
  if (!can_stream) {
    for (; i + W <= n; i += W) Ops::store(out + i, f(Ops::load(in + i)...));
  }
  if (i < n) {
    const __m256i m = Ops::mask(n - i);
    Ops::store(out + i, f(Ops::load(in + i, m)...), m);
  }
  if (can_stream) _mm_sfence();
}

void forward_f32(const float* x, float* out, size_t n, const SeluConstants<float>& c, bool stream) {
  const avx2::SeluF32 k(c);
  for_each_vector<F32>(out, n, stream, [&k](__m256 v) { return avx2::selu_f32(v, k); }, x);
}

void forward_f64(const double* x, double* out, size_t n, const SeluConstants<double>& c, bool stream) {
  const avx2::SeluF64 k(c);
  for_each_vector<F64>(out, n, stream, [&k](__m256d v) { return avx2::selu_f64(v, k); }, x);
}

void backward_f32(const float* grad, const float* x, float* out, size_t n, const SeluConstants<float>& c,
                  bool stream) {
  const avx2::SeluF32 k(c);
  for_each_vector<F32>(out, n, stream, [&k](__m256 g, __m256 v) { return avx2::selu_grad_f32(g, v, k); },
                       grad, x);
}

void backward_f64(const double* grad, const double* x, double* out, size_t n, const SeluConstants<double>& c,
                  bool stream) {
  const avx2::SeluF64 k(c);
  for_each_vector<F64>(out, n, stream, [&k](__m256d g, __m256d v) { return avx2::selu_grad_f64(g, v, k); },
                       grad, x);
}

}  // namespace

const SeluKernelTable kSeluAvx2 = {forward_f32, forward_f64, backward_f32, backward_f64};

}  // namespace selu
