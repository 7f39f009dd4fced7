// The 16-bit ops (cpp/half/half_ops.h) against references, over all 65,536 inputs of each format:
// - SELU at every SIMD level (the level's conversions around its float32 kernel, which is what the
//   op runs): forward ≤ 1 ulp of the format and backward ≤ 2 ulp (gradOutput = 1 and random)
//   against long double, NaN kept, zeros with their sign; the op at the active level returns those bits;
// - alpha-dropout and the fused SELU form (all inputs, and 2^20 random ones): kept = a·v + b and dropped = a·α′ + b each rounded once
//   (references in long double, exact here: see kept_reference), the keep decisions those of
//   alphaDropoutMask; the backward forms equal the float32 path's rounded; the rounding-once helper on
//   sums placed next to midpoints of both formats;
// - moments and seluMoments bit-identical to the float32 moments of the widened data;
// - results independent of the thread count, of splitting a call, and in place equal to out of place.
// ctest runs it as detected and with SELU_KERNELS_SIMD=scalar.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "common/simd_level.h"
#include "common/thread_pool.h"
#include "dropout/dropout_ops.h"
#include "half/half_ops.h"
#include "half/half_rounding.h"
#include "half_levels.h"
#include "half_reference.h"
#include "moments/moments_ops.h"
#include "selu/selu_ops.h"
#include "tests/common/check.h"
#include "tests/common/float_bits.h"
#include "tests/common/rng.h"
#include "tests/selu/selu_reference.h"

using half_test::HalfFormat;
using selu_test::bits_of;

namespace {

const selu::SeluParams kSelu = selu_test::default_selu_params();

std::vector<uint16_t> all_patterns() {
  std::vector<uint16_t> all(65536);
  for (uint32_t h = 0; h < 65536; ++h) all[h] = static_cast<uint16_t>(h);
  return all;
}

// Finite random 16-bit values of moderate size (|v| < 2^8), seeded.
std::vector<uint16_t> random_values(HalfFormat f, size_t n, uint64_t seed) {
  selu_test::Rng rng(seed);
  std::vector<float> wide(n);
  for (float& v : wide) v = static_cast<float>(rng.uniform(-6, 6) * (rng.below(8) == 0 ? 20 : 1));
  std::vector<uint16_t> out(n);
  selu::from_float32(f, wide.data(), out.data(), n);
  return out;
}

std::vector<float> widen(HalfFormat f, const std::vector<uint16_t>& h) {
  std::vector<float> w(h.size());
  selu::to_float32(f, h.data(), w.data(), h.size());
  return w;
}
std::vector<uint16_t> narrow(HalfFormat f, const std::vector<float>& w) {
  std::vector<uint16_t> h(w.size());
  selu::from_float32(f, w.data(), h.data(), w.size());
  return h;
}

selu::WidenFn widen_of(const selu::HalfKernelTable& t, HalfFormat f) {
  return f == HalfFormat::kFloat16 ? t.widen_f16 : t.widen_bf16;
}
selu::NarrowFn narrow_of(const selu::HalfKernelTable& t, HalfFormat f) {
  return f == HalfFormat::kFloat16 ? t.narrow_f16 : t.narrow_bf16;
}

bool zero_sign_ok(HalfFormat f, uint16_t y, long double r) {
  return r != 0 || std::signbit(half_test::value_of(f, y)) == std::signbit(r);
}

void check_selu_accuracy(HalfFormat f) {
  const std::vector<uint16_t> x = all_patterns();
  const size_t n = x.size();
  const selu::SeluConstants<float> c = selu::make_selu_constants_f32(kSelu);
  selu_test::Rng rng(0x5e1u);
  std::vector<uint16_t> random_grad = random_values(f, n, 0x9a7u);
  const std::string active = selu::simd_level_name(selu::active_simd_level());
  for (const half_test::Level& level : half_test::levels_under_test()) {
    std::vector<float> xw(n), gw(n), r(n);
    std::vector<uint16_t> y(n);
    widen_of(*level.half, f)(x.data(), xw.data(), n);
    level.selu->forward_f32(xw.data(), r.data(), n, c, false);
    narrow_of(*level.half, f)(r.data(), y.data(), n);
    double worst = 0;
    for (size_t i = 0; i < n; ++i) {
      const long double ref = selu_test::selu_ref_f64(xw[i], kSelu);
      const double e = half_test::ulp_error(f, y[i], ref);
      worst = std::max(worst, e);
      CHECK(e <= 1 && zero_sign_ok(f, y[i], ref), "%s %s selu(0x%04zx) = 0x%04x: %.3g ulp", level.name.c_str(),
            half_test::name(f), i, y[i], e);
    }
    std::printf("%s %s selu: max %.3f ulp\n", level.name.c_str(), half_test::name(f), worst);
    if (level.name == active) {
      std::vector<uint16_t> op(n);
      selu::half::selu_forward(f, x.data(), op.data(), n, kSelu);
      CHECK(op == y, "%s %s selu16 differs from the level's conversions around its float32 kernel", level.name.c_str(),
            half_test::name(f));
    }
    for (int g = 0; g < 2; ++g) {
      std::vector<uint16_t> grad(n, f == HalfFormat::kFloat16 ? 0x3c00 : 0x3f80);  // 1
      if (g == 1) grad = random_grad;
      widen_of(*level.half, f)(grad.data(), gw.data(), n);
      level.selu->backward_f32(gw.data(), xw.data(), r.data(), n, c, false);
      narrow_of(*level.half, f)(r.data(), y.data(), n);
      worst = 0;
      for (size_t i = 0; i < n; ++i) {
        const long double ref = selu_test::selu_grad_ref_f64(gw[i], xw[i], kSelu);
        const double e = half_test::ulp_error(f, y[i], ref);
        worst = std::max(worst, e);
        CHECK(e <= 2, "%s %s seluBackward(g=0x%04x, x=0x%04zx) = 0x%04x: %.3g ulp", level.name.c_str(),
              half_test::name(f), grad[i], i, y[i], e);
      }
      std::printf("%s %s seluBackward (gradOutput %s): max %.3f ulp\n", level.name.c_str(), half_test::name(f),
                  g ? "random" : "1", worst);
      if (level.name == active) {
        std::vector<uint16_t> op(n);
        selu::half::selu_backward(f, grad.data(), x.data(), op.data(), n, kSelu);
        CHECK(op == y, "%s %s seluBackward16 differs from the level's composition", level.name.c_str(), half_test::name(f));
      }
    }
  }
}

// a, b and the dropped value: doubles whose float32 roundings end in a 1 bit, so that a32·v and b32
// are never 16-bit midpoints; a·v + b in long double (64 bits) is then either exact or, where the
// two terms are more than 2^29 apart, the larger term plus a sliver, which rounds as the exact value.
selu::DropoutParams dropout_params() {
  selu::DropoutParams p{0x5eed, 12345, 0.125, 0.9683869481086731, 0.08543729037046432, -1.6370948172360659};
  CHECK((bits_of(static_cast<float>(p.a)) & 1) && (bits_of(static_cast<float>(p.b)) & 1), "test parameters");
  return p;
}

long double kept_reference(const selu::DropoutParams& p, float v) {
  return static_cast<long double>(static_cast<float>(p.a)) * v + static_cast<long double>(static_cast<float>(p.b));
}

// The fused float16 SELU kernel of each level that has one (half_kernels.h) equals the level's
// conversions around its float32 kernel on every pattern, at every length 0 … 40 (the zero-padded
// tail) from unaligned starts, and in place.
void check_fused_selu_f16() {
  const std::vector<uint16_t> x = all_patterns();
  const selu::SeluConstants<float> c = selu::make_selu_constants_f32(kSelu);
  for (const half_test::Level& level : half_test::levels_under_test()) {
    const selu::SeluHalfFn fused = level.half->selu_f16;
    if (fused == nullptr) {
      std::printf("%s float16 selu: no fused kernel (blocked form)\n", level.name.c_str());
      continue;
    }
    auto composed = [&](const uint16_t* in, size_t n) {
      std::vector<float> w(n + 1), r(n + 1);
      std::vector<uint16_t> y(n);
      level.half->widen_f16(in, w.data(), n);
      level.selu->forward_f32(w.data(), r.data(), n, c, false);
      level.half->narrow_f16(r.data(), y.data(), n);
      return y;
    };
    std::vector<uint16_t> y(x.size());
    fused(x.data(), y.data(), x.size(), c);
    CHECK(y == composed(x.data(), x.size()), "%s fused float16 selu differs from the composition", level.name.c_str());
    for (size_t n = 0; n <= 40; ++n) {
      for (size_t start : {size_t{1}, size_t{3}, size_t{40000}}) {
        const std::vector<uint16_t> want = composed(x.data() + start, n);
        std::vector<uint16_t> got(n + 2, 0xabcd);
        fused(x.data() + start, got.data() + 1, n, c);
        CHECK(std::equal(want.begin(), want.end(), got.begin() + 1) && got[0] == 0xabcd && got[n + 1] == 0xabcd,
              "%s fused float16 selu, n = %zu from %zu: wrong values or a write outside [0, n)", level.name.c_str(), n, start);
        std::vector<uint16_t> in_place(x.begin() + start, x.begin() + start + n);
        fused(in_place.data(), in_place.data(), n, c);
        CHECK(in_place == want, "%s fused float16 selu in place, n = %zu", level.name.c_str(), n);
      }
    }
    std::printf("%s float16 selu: the fused kernel equals the composition\n", level.name.c_str());
  }
}

void check_dropout(HalfFormat f, const std::vector<uint16_t>& x) {
  const size_t n = x.size();
  const selu::DropoutParams p = dropout_params();
  std::vector<uint8_t> mask(n);
  selu::alpha_dropout_mask(mask.data(), n, p.seed, p.offset, p.rate);
  const std::vector<float> xw = widen(f, x);
  const long double dropped = half_test::round_to_format(f, p.dropped);
  std::vector<float> selu32(n);
  selu::selu_forward(xw.data(), selu32.data(), n, kSelu);

  for (int fused = 0; fused < 2; ++fused) {
    std::vector<uint16_t> out(n);
    if (fused) selu::half::selu_alpha_dropout_forward(f, x.data(), out.data(), n, p, kSelu);
    else selu::half::alpha_dropout_forward(f, x.data(), out.data(), n, p);
    // The float32 path, rounded: equal but where rounding twice differs from rounding once.
    std::vector<float> path32(n);
    if (fused) selu::selu_alpha_dropout_forward(xw.data(), path32.data(), n, p, kSelu);
    else selu::alpha_dropout_forward(xw.data(), path32.data(), n, p);
    const std::vector<uint16_t> path16 = narrow(f, path32);
    size_t twice_differs = 0;
    for (size_t i = 0; i < n; ++i) {
      const long double want = mask[i] ? half_test::round_to_format(f, kept_reference(p, fused ? selu32[i] : xw[i])) : dropped;
      const long double got = half_test::value_of(f, out[i]);
      const bool ok = (std::isnan(want) && std::isnan(got)) || (got == want && std::signbit(got) == std::signbit(want));
      CHECK(ok, "%s %s x=0x%04zx kept=%d: 0x%04x = %La, want %La", fused ? "seluAlphaDropout16" : "alphaDropout16",
            half_test::name(f), i, mask[i], out[i], got, want);
      twice_differs += out[i] != path16[i];
    }
    std::printf("%s %s: %zu of %zu results differ from the float32 path rounded (rounded twice there)\n",
                fused ? "seluAlphaDropout16" : "alphaDropout16", half_test::name(f), twice_differs, n);
  }
  // Backward: the float32 path's results rounded once; dropped elements +0.
  const std::vector<uint16_t> g = random_values(f, n, 0xb4c7);
  const std::vector<float> gw = widen(f, g);
  for (int fused = 0; fused < 2; ++fused) {
    std::vector<uint16_t> out(n);
    std::vector<float> path32(n);
    if (fused) {
      selu::half::selu_alpha_dropout_backward(f, g.data(), x.data(), out.data(), n, p, kSelu);
      selu::selu_alpha_dropout_backward(gw.data(), xw.data(), path32.data(), n, p, kSelu);
    } else {
      selu::half::alpha_dropout_backward(f, g.data(), out.data(), n, p);
      selu::alpha_dropout_backward(gw.data(), path32.data(), n, p);
    }
    CHECK(out == narrow(f, path32), "%s backward %s differs from the float32 path rounded", fused ? "seluAlphaDropout16" : "alphaDropout16",
          half_test::name(f));
    for (size_t i = 0; i < n; ++i) CHECK(mask[i] || out[i] == 0, "dropped gradient 0x%04x at %zu", out[i], i);
  }
}

// round_fma_once (half_rounding.h) where it matters: a·v + b within a float32 ulp of a 16-bit
// midpoint, for random a and v (b chosen to land there), against the long double reference where
// that sum is exact (checked), and against rounding twice to count the cases that differ.
void check_round_once(HalfFormat f) {
  selu_test::Rng rng(0x0dd);
  size_t checked = 0, twice_differs = 0;
  for (int i = 0; i < 200000; ++i) {
    const float a = static_cast<float>(rng.uniform(0.5, 2)), v = static_cast<float>(rng.uniform(-8, 8));
    const uint16_t h = static_cast<uint16_t>(rng.below(f == HalfFormat::kFloat16 ? 0x7800 : 0x4100));
    const long double m = (half_test::value_of(f, h) + half_test::value_of(f, static_cast<uint16_t>(h + 1))) / 2;
    const float b = static_cast<float>(m - static_cast<long double>(a) * v);
    const long double product = static_cast<long double>(a) * v, sum = product + b;
    if (sum - b != product) continue;  // not exact in long double
    ++checked;
    const uint16_t once = selu::round_fma_once(f, a, v, b);
    CHECK(half_test::value_of(f, once) == half_test::round_to_format(f, sum), "%s round_fma_once(%a, %a, %a) = 0x%04x",
          half_test::name(f), a, v, b, once);
    twice_differs += once != selu::narrow_scalar(f, std::fma(a, v, b));
  }
  std::printf("%s round_fma_once: %zu sums near midpoints checked, %zu differ from rounding twice\n", half_test::name(f),
              checked, twice_differs);
  CHECK(checked > 100000 && twice_differs > 1000, "too few cases exercised");
}

void check_moments(HalfFormat f) {
  struct Case { size_t rows, cols; selu::MomentsAxis axis; int correction; };
  for (const Case& s : {Case{1, 100003, selu::MomentsAxis::kAll, 0}, Case{300, 517, selu::MomentsAxis::kColumns, 1},
                        Case{517, 300, selu::MomentsAxis::kRows, 1}, Case{2, 70000, selu::MomentsAxis::kRows, 0}}) {
    const selu::MomentsShape shape{s.rows, s.cols, s.axis, s.correction};
    const size_t n = s.rows * s.cols, groups = selu::moments_groups(shape);
    const std::vector<uint16_t> x = random_values(f, n, n);
    std::vector<double> m16(groups), v16(groups), m32(groups), v32(groups);
    selu::half::moments(f, x.data(), shape, m16.data(), v16.data());
    selu::moments(widen(f, x).data(), shape, m32.data(), v32.data());
    CHECK(std::memcmp(m16.data(), m32.data(), groups * 8) == 0 && std::memcmp(v16.data(), v32.data(), groups * 8) == 0,
          "%s moments16 %zux%zu axis %d differ from moments of the widened data", half_test::name(f), s.rows, s.cols,
          static_cast<int>(s.axis));
    std::vector<uint16_t> out(n), y(n);
    selu::half::selu_moments(f, x.data(), out.data(), shape, kSelu, m16.data(), v16.data());
    selu::half::selu_forward(f, x.data(), y.data(), n, kSelu);
    selu::moments(widen(f, y).data(), shape, m32.data(), v32.data());
    CHECK(out == y && std::memcmp(m16.data(), m32.data(), groups * 8) == 0 &&
              std::memcmp(v16.data(), v32.data(), groups * 8) == 0,
          "%s seluMoments16 %zux%zu differs from selu16 then the moments of the widened output", half_test::name(f),
          s.rows, s.cols);
  }
}

// Every op: one thread against two, one call against two calls on halves (dropout: offset moved on),
// in place against out of place.
void check_splits(HalfFormat f) {
  const size_t n = 1000003, k = 333337;
  const std::vector<uint16_t> x = random_values(f, n, 1), g = random_values(f, n, 2);
  const selu::DropoutParams p = dropout_params();
  using Op = void (*)(HalfFormat, const uint16_t*, const uint16_t*, uint16_t*, size_t, uint64_t);
  static selu::DropoutParams params;
  params = p;
  const Op ops[] = {
      [](HalfFormat f, const uint16_t*, const uint16_t* x, uint16_t* o, size_t n, uint64_t) { selu::half::selu_forward(f, x, o, n, kSelu); },
      [](HalfFormat f, const uint16_t* g, const uint16_t* x, uint16_t* o, size_t n, uint64_t) { selu::half::selu_backward(f, g, x, o, n, kSelu); },
      [](HalfFormat f, const uint16_t*, const uint16_t* x, uint16_t* o, size_t n, uint64_t at) {
        selu::DropoutParams q = params; q.offset += at; selu::half::alpha_dropout_forward(f, x, o, n, q); },
      [](HalfFormat f, const uint16_t* g, const uint16_t*, uint16_t* o, size_t n, uint64_t at) {
        selu::DropoutParams q = params; q.offset += at; selu::half::alpha_dropout_backward(f, g, o, n, q); },
      [](HalfFormat f, const uint16_t*, const uint16_t* x, uint16_t* o, size_t n, uint64_t at) {
        selu::DropoutParams q = params; q.offset += at; selu::half::selu_alpha_dropout_forward(f, x, o, n, q, kSelu); },
      [](HalfFormat f, const uint16_t* g, const uint16_t* x, uint16_t* o, size_t n, uint64_t at) {
        selu::DropoutParams q = params; q.offset += at; selu::half::selu_alpha_dropout_backward(f, g, x, o, n, q, kSelu); },
  };
  selu::ThreadPool& pool = selu::ThreadPool::instance();
  const int threads = pool.threads();
  int index = 0;
  for (Op op : ops) {
    std::vector<uint16_t> whole(n), halves(n), single(n);
    op(f, g.data(), x.data(), whole.data(), n, 0);
    op(f, g.data(), x.data(), halves.data(), k, 0);
    op(f, g.data() + k, x.data() + k, halves.data() + k, n - k, k);
    pool.set_threads(threads == 1 ? 2 : 1);
    op(f, g.data(), x.data(), single.data(), n, 0);
    pool.set_threads(threads);
    std::vector<uint16_t> in_place = x;  // the op's last array argument is its output: x's copy
    op(f, g.data(), in_place.data(), in_place.data(), n, 0);
    CHECK(whole == halves && whole == single && whole == in_place, "%s op %d: results depend on the split, thread count or in-place use",
          half_test::name(f), index);
    ++index;
  }
}

}  // namespace

int main() {
  std::printf("ops at level %s\n", selu::simd_level_name(selu::active_simd_level()));
  check_fused_selu_f16();
  for (HalfFormat f : {HalfFormat::kFloat16, HalfFormat::kBFloat16}) {
    check_selu_accuracy(f);
    check_dropout(f, all_patterns());
    check_dropout(f, random_values(f, size_t{1} << 20, 0xd20u));
    check_round_once(f);
    check_moments(f);
    check_splits(f);
  }
  return native_test::finish("half_ops_test");
}
