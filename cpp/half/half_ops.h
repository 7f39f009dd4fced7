// The ops on 16-bit arrays (float16, bfloat16) and the conversions, over whole arrays. Each op widens
// a block of a few thousand elements to float32 in an L1-resident buffer, runs the float32 kernel of
// the active SIMD level on it, and narrows the result once (round to nearest even): the results are
// those of the float32 path on the widened data, rounded once more, and do not depend on the thread
// count (the blocks and chunks only decide which thread converts an element). docs/HALF.md says what
// the results are and how close.
//
// Arrays are Half<F> (half_format.h: Float16 or BFloat16); the overloads below are picked over the
// float/double templates of selu_ops.h, dropout_ops.h and moments_ops.h by overload resolution, so
// code templated on the element type (the N-API glue) calls both the same way.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "../dropout/dropout_params.h"
#include "../moments/moments_ops.h"
#include "../selu/selu_params.h"
#include "half_format.h"

namespace selu {

// Exact widening and round-to-nearest-even narrowing of n elements (half_format.h).
void to_float32(HalfFormat format, const uint16_t* src, float* dst, size_t n);
void from_float32(HalfFormat format, const float* src, uint16_t* dst, size_t n);

// The 16-bit ops by format code; `out` may equal an input exactly, never overlap it partially.
namespace half {
void selu_forward(HalfFormat f, const uint16_t* x, uint16_t* out, size_t n, const SeluParams& s);
void selu_backward(HalfFormat f, const uint16_t* grad, const uint16_t* x, uint16_t* out, size_t n,
                   const SeluParams& s);
// Kept elements are a·v + b rounded once to the 16-bit format (v = x, or the float32 SELU of x for
// the fused form), dropped ones a·α′ + b rounded once from the double; the keep decisions are those
// of the float32 path (element i has stream index offset + i).
void alpha_dropout_forward(HalfFormat f, const uint16_t* x, uint16_t* out, size_t n, const DropoutParams& p);
void alpha_dropout_backward(HalfFormat f, const uint16_t* grad, uint16_t* out, size_t n, const DropoutParams& p);
void selu_alpha_dropout_forward(HalfFormat f, const uint16_t* x, uint16_t* out, size_t n, const DropoutParams& p,
                                const SeluParams& s);
void selu_alpha_dropout_backward(HalfFormat f, const uint16_t* grad, const uint16_t* x, uint16_t* out, size_t n,
                                 const DropoutParams& p, const SeluParams& s);
// Bit-identical to moments(widened x) and to selu_forward then moments(widened out).
void moments(HalfFormat f, const uint16_t* x, const MomentsShape& shape, double* mean, double* variance);
void selu_moments(HalfFormat f, const uint16_t* x, uint16_t* out, const MomentsShape& shape, const SeluParams& s,
                  double* mean, double* variance);
}  // namespace half

// The same over typed 16-bit arrays. Empty arrays may come as null pointers, so the bits are reached by a
// pointer conversion (Half is standard-layout with `bits` its only member), never by `&p->bits`.
template <HalfFormat F>
const uint16_t* bits(const Half<F>* p) { return reinterpret_cast<const uint16_t*>(p); }
template <HalfFormat F>
uint16_t* bits(Half<F>* p) { return reinterpret_cast<uint16_t*>(p); }

template <HalfFormat F>
void selu_forward(const Half<F>* x, Half<F>* out, size_t n, const SeluParams& s) {
  half::selu_forward(F, bits(x), bits(out), n, s);
}
template <HalfFormat F>
void selu_backward(const Half<F>* grad, const Half<F>* x, Half<F>* out, size_t n, const SeluParams& s) {
  half::selu_backward(F, bits(grad), bits(x), bits(out), n, s);
}
template <HalfFormat F>
void alpha_dropout_forward(const Half<F>* x, Half<F>* out, size_t n, const DropoutParams& p) {
  half::alpha_dropout_forward(F, bits(x), bits(out), n, p);
}
template <HalfFormat F>
void alpha_dropout_backward(const Half<F>* grad, Half<F>* out, size_t n, const DropoutParams& p) {
  half::alpha_dropout_backward(F, bits(grad), bits(out), n, p);
}
template <HalfFormat F>
void selu_alpha_dropout_forward(const Half<F>* x, Half<F>* out, size_t n, const DropoutParams& p, const SeluParams& s) {
  half::selu_alpha_dropout_forward(F, bits(x), bits(out), n, p, s);
}
template <HalfFormat F>
void selu_alpha_dropout_backward(const Half<F>* grad, const Half<F>* x, Half<F>* out, size_t n, const DropoutParams& p,
                                 const SeluParams& s) {
  half::selu_alpha_dropout_backward(F, bits(grad), bits(x), bits(out), n, p, s);
}
template <HalfFormat F>
void moments(const Half<F>* x, const MomentsShape& shape, double* mean, double* variance) {
  half::moments(F, bits(x), shape, mean, variance);
}
template <HalfFormat F>
void selu_moments(const Half<F>* x, Half<F>* out, const MomentsShape& shape, const SeluParams& s, double* mean,
                  double* variance) {
  half::selu_moments(F, bits(x), bits(out), shape, s, mean, variance);
}

}  // namespace selu
