#include "half_ops.h"

#include <algorithm>
#include <cmath>

#include "../common/elementwise_split.h"
#include "../common/thread_pool.h"  // parallel_for
#include "../dropout/dropout_kernels.h"
#include "../dropout/dropout_ops.h"
#include "../random/philox4x32.h"
#include "../selu/selu_kernels.h"
#include "half_kernels.h"
#include "half_rounding.h"

namespace selu {

namespace {

// Elements per block: the float32 buffers of a block (at most three: two inputs, one result) take
// 24 KB, in L1 or close to it, on the stack of whichever thread runs the block.
constexpr size_t kBlock = 2048;

// One thread converts about an element per 0.2 ns (AVX2, in cache): a copy's cost, split like one.
constexpr OpCost kConvertCost{200};

struct Converter {
  WidenFn widen;
  NarrowFn narrow;
};

Converter converter(HalfFormat f) {
  const HalfKernelTable& t = half_kernels(active_simd_level());
  return f == HalfFormat::kFloat16 ? Converter{t.widen_f16, t.narrow_f16} : Converter{t.widen_bf16, t.narrow_bf16};
}

// Runs one 16-bit elementwise op over n elements: per block, widens each of the inputs, calls
// compute(inputs, result, count, begin) (begin: the block's first element), narrows the result into
// out, then calls fix(inputs, result, out_block, count, begin). Chunks go over the pool as the
// float32 ops' do; every element's value is independent of the split.
template <size_t kInputs, typename Compute, typename Fix>
void blocked(HalfFormat f, const uint16_t* const (&in)[kInputs], uint16_t* out, size_t n, OpCost cost,
             const Compute& compute, const Fix& fix) {
  const Converter cv = converter(f);
  parallel_for(n, elementwise_chunk(n, cost), [&](size_t begin, size_t end) {
    alignas(64) float inputs[kInputs][kBlock];
    alignas(64) float result[kBlock];
    const float* input_ptrs[kInputs];
    for (size_t k = 0; k < kInputs; ++k) input_ptrs[k] = inputs[k];
    for (size_t b = begin; b < end; b += kBlock) {
      const size_t count = std::min(kBlock, end - b);
      for (size_t k = 0; k < kInputs; ++k) cv.widen(in[k] + b, inputs[k], count);
      compute(input_ptrs, result, count, b);
      cv.narrow(result, out + b, count);
      fix(input_ptrs, result, out + b, count, b);
    }
  });
}

constexpr auto kNoFix = [](const float* const*, const float*, uint16_t*, size_t, size_t) {};

SeluConstants<float> selu_constants(const SeluParams& s) { return make_selu_constants_f32(s); }

DropoutConstants<float> dropout_constants(const DropoutParams& p) {
  return {static_cast<float>(p.a), static_cast<float>(p.b), static_cast<float>(p.dropped),
          philox::keep_threshold(p.rate), p.seed};
}

// The float32 dropout kernels return fma(a, v, b) rounded to float32 for kept elements and the
// dropped value rounded to float32; narrowing that rounds a second time, which differs from rounding
// a·v + b once only where the float32 result is exactly halfway between two 16-bit values (any
// value strictly between the exact result and its float32 rounding would be a closer float32).
// Those rare elements are recomputed here: the keep decision of that one element from the stream,
// then the exact value rounded once (half_rounding.h). value(i) is v for element i of the block.
template <typename Value>
void round_dropout_once(HalfFormat f, const float* result, uint16_t* out, size_t count, uint64_t first,
                        const DropoutConstants<float>& c, uint16_t dropped, const Value& value) {
  const DropoutMaskFn mask = dropout_kernels(active_simd_level()).mask;
  const uint32_t low_bits = midpoint_low_bits(f);
  constexpr size_t kGroup = 16;
  for (size_t g = 0; g < count; g += kGroup) {
    // Most groups hold no value whose low bits are all zero (a necessary condition for a midpoint):
    // this fixed-length test vectorises and rules them out.
    if (g + kGroup <= count) {
      uint32_t candidates = 0;
      for (size_t i = g; i < g + kGroup; ++i) candidates |= (half::bits_of(result[i]) & low_bits) == 0;
      if (candidates == 0) continue;
    }
    for (size_t i = g; i < std::min(count, g + kGroup); ++i) {
      if (!is_rounding_midpoint(f, result[i])) continue;
      uint8_t kept = 0;
      mask(&kept, 1, first + i, c.seed, c.threshold);
      out[i] = kept ? round_fma_once(f, c.a, value(i), c.b) : dropped;
    }
  }
}

}  // namespace

void to_float32(HalfFormat format, const uint16_t* src, float* dst, size_t n) {
  const WidenFn widen = converter(format).widen;
  parallel_for(n, elementwise_chunk(n, kConvertCost), [&](size_t begin, size_t end) {
    widen(src + begin, dst + begin, end - begin);
  });
}

void from_float32(HalfFormat format, const float* src, uint16_t* dst, size_t n) {
  const NarrowFn narrow = converter(format).narrow;
  parallel_for(n, elementwise_chunk(n, kConvertCost), [&](size_t begin, size_t end) {
    narrow(src + begin, dst + begin, end - begin);
  });
}

namespace half {

void selu_forward(HalfFormat f, const uint16_t* x, uint16_t* out, size_t n, const SeluParams& s) {
  const SeluConstants<float> c = selu_constants(s);
  const HalfKernelTable& t = half_kernels(active_simd_level());
  const SeluHalfFn fused = f == HalfFormat::kFloat16 ? t.selu_f16 : nullptr;  // see half_kernels.h
  if (fused != nullptr) {
    parallel_for(n, elementwise_chunk(n, op_cost::kSelu), [&](size_t begin, size_t end) {
      fused(x + begin, out + begin, end - begin, c);
    });
    return;
  }
  const SeluForwardFn<float> kernel = selu_kernels(active_simd_level()).forward_f32;
  blocked<1>(f, {x}, out, n, op_cost::kSelu, [&](const float* const* in, float* r, size_t count, size_t) {
    kernel(in[0], r, count, c, false);
  }, kNoFix);
}

void selu_backward(HalfFormat f, const uint16_t* grad, const uint16_t* x, uint16_t* out, size_t n,
                   const SeluParams& s) {
  const SeluConstants<float> c = selu_constants(s);
  const SeluBackwardFn<float> kernel = selu_kernels(active_simd_level()).backward_f32;
  blocked<2>(f, {grad, x}, out, n, op_cost::kSeluBackward, [&](const float* const* in, float* r, size_t count, size_t) {
    kernel(in[0], in[1], r, count, c, false);
  }, kNoFix);
}

void alpha_dropout_forward(HalfFormat f, const uint16_t* x, uint16_t* out, size_t n, const DropoutParams& p) {
  const DropoutConstants<float> c = dropout_constants(p);
  const uint16_t dropped = round_double_once(f, p.dropped);
  const DropoutForwardFn<float> kernel = dropout_kernels(active_simd_level()).forward_f32;
  blocked<1>(f, {x}, out, n, op_cost::kAlphaDropout, [&](const float* const* in, float* r, size_t count, size_t b) {
    kernel(in[0], r, count, p.offset + b, c, false);
  }, [&](const float* const* in, const float* r, uint16_t* o, size_t count, size_t b) {
    round_dropout_once(f, r, o, count, p.offset + b, c, dropped, [&](size_t i) { return in[0][i]; });
  });
}

void alpha_dropout_backward(HalfFormat f, const uint16_t* grad, uint16_t* out, size_t n, const DropoutParams& p) {
  const DropoutConstants<float> c = dropout_constants(p);
  const DropoutBackwardFn<float> kernel = dropout_kernels(active_simd_level()).backward_f32;
  blocked<1>(f, {grad}, out, n, op_cost::kAlphaDropout, [&](const float* const* in, float* r, size_t count, size_t b) {
    kernel(in[0], r, count, p.offset + b, c, false);
  }, kNoFix);
}

void selu_alpha_dropout_forward(HalfFormat f, const uint16_t* x, uint16_t* out, size_t n, const DropoutParams& p,
                                const SeluParams& s) {
  const DropoutConstants<float> c = dropout_constants(p);
  const SeluConstants<float> sc = selu_constants(s);
  const uint16_t dropped = round_double_once(f, p.dropped);
  const SeluDropoutForwardFn<float> kernel = dropout_kernels(active_simd_level()).selu_forward_f32;
  const SeluForwardFn<float> selu_kernel = selu_kernels(active_simd_level()).forward_f32;
  blocked<1>(f, {x}, out, n, op_cost::kSeluAlphaDropout, [&](const float* const* in, float* r, size_t count, size_t b) {
    kernel(in[0], r, count, p.offset + b, c, sc, false);
  }, [&](const float* const* in, const float* r, uint16_t* o, size_t count, size_t b) {
    // v = the SELU the fused kernel used: the SELU kernel of the same level, bit for bit.
    round_dropout_once(f, r, o, count, p.offset + b, c, dropped, [&](size_t i) {
      float v;
      selu_kernel(in[0] + i, &v, 1, sc, false);
      return v;
    });
  });
}

void selu_alpha_dropout_backward(HalfFormat f, const uint16_t* grad, const uint16_t* x, uint16_t* out, size_t n,
                                 const DropoutParams& p, const SeluParams& s) {
  const DropoutConstants<float> c = dropout_constants(p);
  const SeluConstants<float> sc = selu_constants(s);
  const SeluDropoutBackwardFn<float> kernel = dropout_kernels(active_simd_level()).selu_backward_f32;
  blocked<2>(f, {grad, x}, out, n, op_cost::kSeluAlphaDropout,
             [&](const float* const* in, float* r, size_t count, size_t b) {
               kernel(in[0], in[1], r, count, p.offset + b, c, sc, false);
             },
             kNoFix);
}

void moments(HalfFormat f, const uint16_t* x, const MomentsShape& shape, double* mean, double* variance) {
  moments_widened(converter(f).widen, x, shape, mean, variance);
}

void selu_moments(HalfFormat f, const uint16_t* x, uint16_t* out, const MomentsShape& shape, const SeluParams& s,
                  double* mean, double* variance) {
  selu_forward(f, x, out, shape.rows * shape.cols, s);
  moments(f, out, shape, mean, variance);
}

}  // namespace half
}  // namespace selu
