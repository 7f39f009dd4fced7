// The SELU kernels for one SIMD instruction set, written once over the ISA trait Isa of
// selu_math_simd.h (avx2::Isa, avx512::Isa). Included by selu_avx2.cc and selu_avx512.cc after their
// maths header (which provides the intrinsics), so that each instantiation is compiled with its own
// ISA's flags; everything here is in an unnamed namespace so that the linker never merges code built
// for one ISA into another's (or the emulated AVX-512 build into the native).
//
// The maths per register is selu_math_simd.h's; this walks the arrays. Every element goes through
// the same vector code: full registers with unaligned loads, and at most one masked head (streaming
// only) and one masked tail (Isa::Io: masked-out lanes neither read nor write memory, so nothing
// beyond n is touched). Results therefore never depend on how a caller splits an array. With
// `stream`, the body stores with non-temporal stores: the output is aligned to the register width
// first by the masked head, and a store fence ends the call so the caller may publish the results
// to other threads.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "selu_kernels.h"

namespace selu {
namespace {

template <typename Isa>
struct SeluSimd {
  using Io = typename Isa::Io;

  // Elements before the first register-aligned output address (0 when out is not even aligned to
  // its element size, which typed arrays always are: such an output is simply not streamed).
  template <typename T>
  static size_t head_before_aligned(const T* out, size_t n, bool* can_stream) {
    constexpr size_t kBytes = sizeof(simd::Vec<Isa, T>);
    const uintptr_t addr = reinterpret_cast<uintptr_t>(out);
    *can_stream = addr % sizeof(T) == 0;
    if (!*can_stream) return 0;
    const size_t head = ((kBytes - addr % kBytes) % kBytes) / sizeof(T);
    return head < n ? head : n;
  }

  // out[i] = f(in0[i], in1[i]...) for i < n, over the arrays given as `in` pointers (one or two).
  template <typename T, typename F, typename... In>
  static void for_each_vector(T* out, size_t n, bool stream, F f, const In*... in) {
    constexpr size_t W = sizeof(simd::Vec<Isa, T>) / sizeof(T);
    size_t i = 0;
    bool can_stream = false;
    if (stream) {
      const size_t head = head_before_aligned(out, n, &can_stream);
      if (can_stream) {
        if (head > 0) {
          const auto m = Io::template first_lanes<T>(head);
          Io::store(out, m, f(Io::load(in, m)...));
        }
        for (i = head; i + W <= n; i += W) Io::stream(out + i, f(Io::load(in + i)...));
      }
    }
    if (!can_stream) {
      for (; i + W <= n; i += W) Io::store(out + i, f(Io::load(in + i)...));
    }
    if (i < n) {
      const auto m = Io::template first_lanes<T>(n - i);
      Io::store(out + i, m, f(Io::load(in + i, m)...));
    }
    if (can_stream) _mm_sfence();
  }

  template <typename T>
  static void forward(const T* x, T* out, size_t n, const SeluConstants<T>& c, bool stream) {
    using V = simd::Vec<Isa, T>;
    const simd::SeluVec<Isa, T> k(c);
    for_each_vector(out, n, stream, [&k](V v) { return simd::selu_forward<Isa, T>(v, k); }, x);
  }

  static void backward_f32(const float* grad, const float* x, float* out, size_t n, const SeluConstants<float>& c,
                           bool stream) {
    using F = typename Isa::F;
    const simd::SeluVec<Isa, float> k(c);
    for_each_vector(out, n, stream, [&k](F g, F v) { return simd::selu_grad_f32<Isa>(g, v, k); }, grad, x);
  }

  static void backward_f64(const double* grad, const double* x, double* out, size_t n,
                           const SeluConstants<double>& c, bool stream) {
    using D = typename Isa::D;
    const simd::SeluVec<Isa, double> k(c);
    for_each_vector(out, n, stream, [&k](D g, D v) { return simd::selu_grad_f64<Isa>(g, v, k); }, grad, x);
  }

  static constexpr SeluKernelTable kTable = {forward<float>, forward<double>, backward_f32, backward_f64};
};

}  // namespace
}  // namespace selu
