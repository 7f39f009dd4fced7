// The CUDA kernels' arithmetic and work layout, run on the host (no GPU needed).
//
// cuda/selu, cuda/dropout, cuda/moments and cuda/kernels/elementwise.h are SELU_HD code: the kernels
// call exactly these functions. This program, compiled by the host compiler with the CUDA headers,
// checks them against the CPU kernels (cpp/):
// 1. SELU forward/backward element functions, float32 (every 101st input by default, every one
//    with SELU_CUDA_EXHAUSTIVE=1; =ff or =wide for one of the two float32 paths) and float64 (random samples): within 1 ulp of the CPU scalar kernels,
//    and their own error against a long double reference (printed).
// 2. The element-wise kernel body run for every (block, thread) of the grid the launcher would use, for
//    every op and dtype, lengths around the vector and block sizes, offsets of every phase mod 4, in
//    place and not: dropout masks and values bit-identical to the CPU kernels (float32/float64), fused
//    ops bit-identical to the composition of the unfused GPU ops, float16/bfloat16 element for element
//    equal to the element functions, and nothing written outside [0, n).
// 3. The moments pipeline (tiles, columns, pairwise and block-tree merges) emulated in the kernels'
//    order: within 1e-12 (relative to the data's scale) of the CPU kernels, on adversarial data.
// What this cannot check: that the device compiler and hardware execute this code as the host does
// (IEEE float32/float64 with --fmad=false: they should), and the CUDA mechanics (launch geometry,
// shuffles, shared memory, streams): those are covered by test/gpu on a machine with a GPU.
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "../../cpp/dropout/dropout_kernels.h"
#include "../../cpp/moments/moments_ops.h"
#include "../../cpp/random/philox4x32.h"
#include "../../cpp/selu/selu_kernels.h"
#include "../../cpp/selu/selu_params.h"
#include "../../cpp/tests/common/check.h"
#include "../kernels/elementwise.h"
#include "../moments/moments_math.h"

namespace {

using namespace selu_cuda;

const selu::SeluParams kDefault{1.0507009873554805, 3.9874847667154144e-17, 1.7580993408473768, 1.4153519380084446e-17};

template <typename C>
SeluK<C> selu_k(const selu::SeluParams& p) {
  if constexpr (sizeof(C) == 4) {
    const auto c = selu::make_selu_constants_f32(p);
    return {c.scale.hi, c.scale.lo, c.scale_alpha.hi, c.scale_alpha.lo,
            static_cast<double>(c.scale_alpha.hi) + static_cast<double>(c.scale_alpha.lo)};
  } else {
    const auto c = selu::make_selu_constants_f64(p);
    return {c.scale.hi, c.scale.lo, c.scale_alpha.hi, c.scale_alpha.lo, c.scale_alpha.hi};
  }
}

template <typename T>
bool same_bits(T a, T b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

// Distance in representable values (0 for equal, and for two NaNs; ±0 are 0 apart).
template <typename T>
uint64_t ulp_distance(T a, T b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b) ? 0 : UINT64_MAX;
  if (a == b) return 0;
  auto ordered = [](T v) -> int64_t {
    if constexpr (sizeof(T) == 4) {
      int32_t i;
      std::memcpy(&i, &v, 4);
      return i < 0 ? -static_cast<int64_t>(i & 0x7fffffff) : i;
    } else {
      int64_t i;
      std::memcpy(&i, &v, 8);
      return i < 0 ? -(i & 0x7fffffffffffffffll) : i;
    }
  };
  const int64_t d = ordered(a) - ordered(b);
  return static_cast<uint64_t>(d < 0 ? -d : d);
}

// Error in ulps of the output type against a long double reference.
template <typename T>
double ulp_error(T y, long double ref) {
  if (std::isnan(y) && std::isnan(static_cast<double>(ref))) return 0;
  if (std::isinf(static_cast<double>(ref)) || std::isinf(y)) return y == static_cast<T>(ref) ? 0 : INFINITY;
  int e;
  std::frexp(static_cast<double>(std::fabs(ref)), &e);
  constexpr int kMant = sizeof(T) == 4 ? 24 : 53, kMin = sizeof(T) == 4 ? -149 : -1074;
  const long double ulp = std::ldexp(1.0L, std::max(e - kMant, kMin));
  return static_cast<double>(std::fabs(static_cast<long double>(y) - ref) / ulp);
}

template <typename T>
T* aligned_buffer(std::vector<unsigned char>& storage, size_t n) {
  storage.assign(n * sizeof(T) + 64, 0);
  uintptr_t p = reinterpret_cast<uintptr_t>(storage.data());
  p = (p + 63) & ~uintptr_t{63};
  return reinterpret_cast<T*>(p);
}

// ---- 1. element functions -------------------------------------------------------------------------

struct SeluStats {
  double fwd_max = 0, bwd_max = 0;
  uint64_t fwd_cpu_far = 0, bwd_cpu_far = 0, fwd_cpu_diff = 0, bwd_cpu_diff = 0, count = 0;
  float fwd_worst = 0, bwd_worst = 0;
};

// kWide: the float64 path (sm_80/sm_90) instead of the float-float one.
template <bool kWide>
void selu_f32_range(uint64_t begin, uint64_t end, uint64_t step, SeluStats* st) {
  const SeluK<float> k = selu_k<float>(kDefault);
  const selu::SeluConstants<float> c = selu::make_selu_constants_f32(kDefault);
  const long double sa = static_cast<long double>(k.scale_alpha_hi) + k.scale_alpha_lo;
  const long double sc = static_cast<long double>(k.scale_hi) + k.scale_lo;
  constexpr size_t kBatch = 4096;
  float xs[kBatch], cpu[kBatch], gs[kBatch], cpub[kBatch];
  uint64_t u = begin;
  while (u < end) {
    size_t m = 0;
    for (; m < kBatch && u < end; ++m, u += step) {
      uint32_t bits32 = static_cast<uint32_t>(u);
      std::memcpy(&xs[m], &bits32, 4);
      gs[m] = (m & 1) ? 0.7f : -3.25e-3f;
    }
    selu::kSeluScalar.forward_f32(xs, cpu, m, c, false);
    selu::kSeluScalar.backward_f32(gs, xs, cpub, m, c, false);
    for (size_t i = 0; i < m; ++i) {
      const float x = xs[i];
      const float y = selu_forward<float, kWide>(x, k);
      const long double ref = x > 0 ? sc * x : sa * std::expm1(static_cast<long double>(x));
      const double e = ulp_error(y, ref);
      if (e > st->fwd_max) st->fwd_max = e, st->fwd_worst = x;
      const uint64_t d = ulp_distance(y, cpu[i]);
      if (d > 1) ++st->fwd_cpu_far;
      if (d != 0 || (y == 0 && !same_bits(y, cpu[i]))) ++st->fwd_cpu_diff;
      const float yb = selu_backward<float, kWide>(gs[i], x, k);
      const long double refb = static_cast<long double>(gs[i]) * (x > 0 ? sc : sa * std::exp(static_cast<long double>(x)));
      const double eb = ulp_error(yb, refb);
      if (eb > st->bwd_max) st->bwd_max = eb, st->bwd_worst = x;
      const uint64_t db = ulp_distance(yb, cpub[i]);
      if (db > 1) ++st->bwd_cpu_far;
      if (db != 0) ++st->bwd_cpu_diff;
    }
    st->count += m;
  }
}

template <bool kWide>
void check_selu_f32(bool exhaustive) {
  const uint64_t step = exhaustive ? 1 : 101;
  // All bit patterns: both signs (positive ones are one fma, cheap to cover too).
  const unsigned nthreads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<SeluStats> stats(nthreads);
  std::vector<std::thread> threads;
  const uint64_t total = uint64_t{1} << 32, per = (total / nthreads / step + 1) * step;
  for (unsigned t = 0; t < nthreads; ++t) {
    const uint64_t b = t * per, e = std::min(total, (t + 1) * per);
    threads.emplace_back(selu_f32_range<kWide>, b, e, step, &stats[t]);
  }
  for (auto& th : threads) th.join();
  SeluStats s;
  for (const auto& t : stats) {
    if (t.fwd_max > s.fwd_max) s.fwd_max = t.fwd_max, s.fwd_worst = t.fwd_worst;
    if (t.bwd_max > s.bwd_max) s.bwd_max = t.bwd_max, s.bwd_worst = t.bwd_worst;
    s.fwd_cpu_far += t.fwd_cpu_far, s.bwd_cpu_far += t.bwd_cpu_far, s.count += t.count;
    s.fwd_cpu_diff += t.fwd_cpu_diff, s.bwd_cpu_diff += t.bwd_cpu_diff;
  }
  std::printf("selu f32, %s path (%s, %" PRIu64 " inputs): forward max %.4f ulp (x = %a), backward max %.4f ulp (x = %a);\n"
              "  differing from the CPU kernel: forward %" PRIu64 ", backward %" PRIu64 " (by more than 1 ulp: %" PRIu64
              ", %" PRIu64 ")\n",
              kWide ? "float64 (sm_80/sm_90)" : "float-float", exhaustive ? "every bit pattern" : "every 101st bit pattern", s.count, s.fwd_max, s.fwd_worst, s.bwd_max,
              s.bwd_worst, s.fwd_cpu_diff, s.bwd_cpu_diff, s.fwd_cpu_far, s.bwd_cpu_far);
  CHECK(s.fwd_max < 1.0, "forward f32 not faithful: %.4f ulp at %a", s.fwd_max, s.fwd_worst);
  CHECK(s.bwd_max < 1.0, "backward f32 not faithful: %.4f ulp at %a", s.bwd_max, s.bwd_worst);
  CHECK(s.fwd_cpu_far == 0, "forward f32: %" PRIu64 " results more than 1 ulp from the CPU", s.fwd_cpu_far);
  CHECK(s.bwd_cpu_far == 0, "backward f32: %" PRIu64 " results more than 1 ulp from the CPU", s.bwd_cpu_far);
}

void check_selu_f64() {
  const SeluK<double> k = selu_k<double>(kDefault);
  const selu::SeluConstants<double> c = selu::make_selu_constants_f64(kDefault);
  std::mt19937_64 rng(11);
  constexpr size_t kN = 1 << 20;
  std::vector<double> x(kN), g(kN), cpu(kN), cpub(kN);
  double fwd_max = 0, bwd_max = 0;
  uint64_t far = 0, farb = 0;
  for (int round = 0; round < 8; ++round) {
    for (size_t i = 0; i < kN; ++i) {
      switch (i % 5) {
        case 0: x[i] = -std::uniform_real_distribution<double>(0, 40)(rng); break;
        case 1: x[i] = -std::ldexp(std::uniform_real_distribution<double>(1, 2)(rng), std::uniform_int_distribution<int>(-1074, 6)(rng)); break;
        case 2: x[i] = -std::uniform_real_distribution<double>(0, 1)(rng); break;
        case 3: x[i] = -std::uniform_real_distribution<double>(0, 1400)(rng); break;
        default: x[i] = std::normal_distribution<double>(0, 3)(rng); break;
      }
      g[i] = std::normal_distribution<double>(0, 1)(rng);
    }
    selu::kSeluScalar.forward_f64(x.data(), cpu.data(), kN, c, false);
    selu::kSeluScalar.backward_f64(g.data(), x.data(), cpub.data(), kN, c, false);
    const long double sa = static_cast<long double>(k.scale_alpha_hi) + k.scale_alpha_lo;
    const long double sc = static_cast<long double>(k.scale_hi) + k.scale_lo;
    for (size_t i = 0; i < kN; ++i) {
      const double y = selu_forward(x[i], k), yb = selu_backward(g[i], x[i], k);
      const long double v = x[i];
      fwd_max = std::max(fwd_max, ulp_error(y, v > 0 ? sc * v : sa * std::expm1(v)));
      bwd_max = std::max(bwd_max, ulp_error(yb, static_cast<long double>(g[i]) * (v > 0 ? sc : sa * std::exp(v))));
      if (ulp_distance(y, cpu[i]) > 1) ++far;
      if (ulp_distance(yb, cpub[i]) > 1) ++farb;
    }
  }
  std::printf("selu f64 (%zu samples): forward max %.4f ulp, backward max %.4f ulp; more than 1 ulp from the CPU: %" PRIu64
              ", %" PRIu64 "\n",
              8 * kN, fwd_max, bwd_max, far, farb);
  CHECK(fwd_max < 1.0 && bwd_max < 1.0, "f64 not faithful: %.4f %.4f", fwd_max, bwd_max);
  CHECK(far == 0 && farb == 0, "f64 differs from the CPU by more than 1 ulp: %" PRIu64 " %" PRIu64, far, farb);
}

template <typename T, bool kWide = false>
void check_special_values() {
  const SeluK<T> k = selu_k<T>(kDefault);
  const selu::SeluConstants<T> c = [] {
    if constexpr (sizeof(T) == 4) return selu::make_selu_constants_f32(kDefault); else return selu::make_selu_constants_f64(kDefault);
  }();
  const T inf = std::numeric_limits<T>::infinity(), nan = std::numeric_limits<T>::quiet_NaN();
  const T xs[] = {T(0), -T(0), inf, -inf, nan, T(-1e-30), T(1e-30), std::numeric_limits<T>::denorm_min(),
                  -std::numeric_limits<T>::denorm_min(), std::numeric_limits<T>::max(), -std::numeric_limits<T>::max(),
                  T(-17.5), T(-87.5), T(-103.9), T(-150), T(-745.2), T(-800), T(-2000)};
  const T gs[] = {T(1), -T(0), T(0), inf, -inf, nan, std::numeric_limits<T>::max(), T(1e-30), T(-3)};
  for (T x : xs) {
    T cpu;
    if constexpr (sizeof(T) == 4) selu::kSeluScalar.forward_f32(&x, &cpu, 1, c, false);
    else selu::kSeluScalar.forward_f64(&x, &cpu, 1, c, false);
    const T y = selu_forward<T, kWide>(x, k);
    CHECK(ulp_distance(y, cpu) <= 1 && std::signbit(y) == std::signbit(cpu), "selu special %s x=%a: %a vs CPU %a",
          sizeof(T) == 4 ? "f32" : "f64", static_cast<double>(x), static_cast<double>(y), static_cast<double>(cpu));
    for (T g : gs) {
      T cpub;
      if constexpr (sizeof(T) == 4) selu::kSeluScalar.backward_f32(&g, &x, &cpub, 1, c, false);
      else selu::kSeluScalar.backward_f64(&g, &x, &cpub, 1, c, false);
      const T yb = selu_backward<T, kWide>(g, x, k);
      // The CPU evaluates e^x in a wider type whose exp underflows to 0 earlier or later than the exact
      // value does; only x = −Inf has a zero slope here (Inf·0 = NaN there).
      const bool cpu_underflow_artifact = std::isinf(g) && std::isnan(cpub) && std::isfinite(x);
      CHECK(cpu_underflow_artifact || (ulp_distance(yb, cpub) <= 1 && (std::isnan(yb) || std::signbit(yb) == std::signbit(cpub))),
            "selu backward special %s x=%a g=%a: %a vs CPU %a", sizeof(T) == 4 ? "f32" : "f64", static_cast<double>(x),
            static_cast<double>(g), static_cast<double>(yb), static_cast<double>(cpub));
    }
  }
}

// ---- 2. the element-wise kernel body ---------------------------------------------------------------

template <typename S, typename Op>
void run_grid(const Op& op, const S* a, const S* b, S* out, size_t n, bool aligned) {
  if (n == 0) return;
  const size_t blocks = elementwise_blocks<S>(n);
  for (size_t blk = 0; blk < blocks; ++blk) {
    for (unsigned t = 0; t < kThreads; ++t) {
      if (!Op::kRandom || aligned) elementwise_thread<S, Op, true>(op, a, b, out, n, blk, t, blocks);
      else elementwise_thread<S, Op, false>(op, a, b, out, n, blk, t, blocks);
    }
  }
}

template <typename S>
S from_f(double v) {
  return from_double<S>(v);
}

template <typename S>
double to_d(S v) {
  return static_cast<double>(Storage<S>::load(v));
}

template <typename S>
const char* name() {
  switch (Storage<S>::kDtype) {
    case Dtype::kFloat32: return "float32";
    case Dtype::kFloat64: return "float64";
    case Dtype::kFloat16: return "float16";
    default: return "bfloat16";
  }
}

template <typename S>
void check_elementwise(std::mt19937_64& rng) {
  using C = typename Storage<S>::C;
  constexpr size_t kV = Vec16<S>::kN;
  const size_t block_elems = kVectorsPerBlock * kV;
  const std::vector<size_t> lengths = {0, 1, 2, 3, kV - 1, kV, kV + 1, 2 * kV + 3, 255, 256, 257, 1000,
                                       block_elems - 1, block_elems, block_elems + 1, block_elems + kV + 3,
                                       2 * block_elems + 7, 3 * block_elems + 2 * kV};
  const std::vector<uint64_t> offsets = {0, 1, 2, 3, 4, 6, 7, (uint64_t{1} << 34) - 2, ~uint64_t{0} - (uint64_t{1} << 20)};
  const std::vector<double> rates = {0.0, 0.1, 0.5, 0.999};
  const double a_d = 0.9212843296527672, b_d = 0.16197305734437614, dropped_d = -1.4577475297727093;
  const SeluK<C> k = selu_k<C>(kDefault);
  const selu::SeluConstants<C> cpu_k = [] {
    if constexpr (sizeof(C) == 4) return selu::make_selu_constants_f32(kDefault); else return selu::make_selu_constants_f64(kDefault);
  }();
  constexpr bool kNative = std::is_same<S, C>::value;  // float32, float64: compare with the CPU kernels
  std::normal_distribution<double> normal(0.0, 3.0);
  const S sentinel = from_f<S>(12345.0);
  size_t cases = 0;
  for (size_t n : lengths) {
    std::vector<unsigned char> sa, sb, so;
    S* x = aligned_buffer<S>(sa, n + 64);
    S* g = aligned_buffer<S>(sb, n + 64);
    S* out = aligned_buffer<S>(so, n + 64);
    for (size_t i = 0; i < n + 64; ++i) {
      x[i] = from_f<S>(i % 97 == 5 ? -0.0 : normal(rng));
      g[i] = from_f<S>(normal(rng));
    }
    auto reset = [&] {
      for (size_t i = 0; i < n + 64; ++i) out[i] = sentinel;
    };
    auto outside_untouched = [&](const char* what) {
      for (size_t i = n; i < n + 64; ++i) {
        CHECK(same_bits(out[i], sentinel), "%s %s n=%zu wrote past the end at %zu", name<S>(), what, n, i);
      }
    };
    // SELU forward/backward
    reset();
    run_grid<S>(SeluForwardOp<S>{k}, x, nullptr, out, n, true);
    outside_untouched("selu");
    std::vector<S> cpu(n);
    for (size_t i = 0; i < n; ++i) {
      const S want = Storage<S>::store(selu_forward(Storage<S>::load(x[i]), k));
      CHECK(same_bits(out[i], want), "%s selu n=%zu i=%zu", name<S>(), n, i);
    }
    if constexpr (kNative) {
      if (n > 0) selu::selu_forward_kernel<C>(selu::kSeluScalar)(x, cpu.data(), n, cpu_k, false);
      for (size_t i = 0; i < n; ++i) CHECK(ulp_distance(out[i], cpu[i]) <= 1, "%s selu vs CPU n=%zu i=%zu", name<S>(), n, i);
    }
    reset();
    run_grid<S>(SeluBackwardOp<S>{k}, g, x, out, n, true);
    outside_untouched("selu backward");
    for (size_t i = 0; i < n; ++i) {
      const S want = Storage<S>::store(selu_backward(Storage<S>::load(g[i]), Storage<S>::load(x[i]), k));
      CHECK(same_bits(out[i], want), "%s selu backward n=%zu i=%zu", name<S>(), n, i);
    }
    if constexpr (kNative) {
      if (n > 0) selu::selu_backward_kernel<C>(selu::kSeluScalar)(g, x, cpu.data(), n, cpu_k, false);
      for (size_t i = 0; i < n; ++i) CHECK(ulp_distance(out[i], cpu[i]) <= 1, "%s selu backward vs CPU n=%zu i=%zu", name<S>(), n, i);
    }
    // in place
    {
      std::vector<S> copy(x, x + n), expect(n);
      for (size_t i = 0; i < n; ++i) expect[i] = Storage<S>::store(selu_forward(Storage<S>::load(x[i]), k));
      run_grid<S>(SeluForwardOp<S>{k}, x, nullptr, x, n, true);
      for (size_t i = 0; i < n; ++i) CHECK(same_bits(x[i], expect[i]), "%s selu in place n=%zu i=%zu", name<S>(), n, i);
      std::copy(copy.begin(), copy.end(), x);
    }
    for (uint64_t offset : offsets) {
      for (double rate : rates) {
        ++cases;
        const uint64_t seed = rng();
        const DropoutK<C> d{static_cast<C>(a_d), static_cast<C>(b_d), selu::philox::keep_threshold(rate), seed, offset};
        const S dropped = from_double<S>(dropped_d);
        const bool aligned = offset % 4 == 0;
        std::vector<uint8_t> mask(n);
        if (n > 0) selu::kDropoutScalar.mask(mask.data(), n, offset, seed, d.threshold);
        std::vector<S> fwd(n), bwd(n), sel(n), selb(n);
        // forward
        reset();
        run_grid<S>(DropoutForwardOp<S>{d, dropped}, x, nullptr, out, n, aligned);
        outside_untouched("dropout");
        std::copy(out, out + n, fwd.begin());
        // backward with grad = 1 gives the mask as a and 0
        std::vector<S> ones(n + 8, from_f<S>(1.0));
        std::vector<unsigned char> so2;
        S* ones_al = aligned_buffer<S>(so2, n + 8);
        std::copy(ones.begin(), ones.end(), ones_al);
        reset();
        run_grid<S>(DropoutBackwardOp<S>{d}, ones_al, nullptr, out, n, aligned);
        for (size_t i = 0; i < n; ++i) {
          const bool kept_gpu = to_d(out[i]) != 0;
          CHECK(kept_gpu == (mask[i] == 1), "%s mask n=%zu offset=%" PRIu64 " rate=%g i=%zu", name<S>(), n, offset, rate, i);
          if (kept_gpu != (mask[i] == 1)) break;
        }
        reset();
        run_grid<S>(DropoutBackwardOp<S>{d}, g, nullptr, out, n, aligned);
        outside_untouched("dropout backward");
        std::copy(out, out + n, bwd.begin());
        for (size_t i = 0; i < n; ++i) {
          const S want_f = mask[i] ? Storage<S>::store(fma_(d.a, Storage<S>::load(x[i]), d.b)) : dropped;
          const S want_b = Storage<S>::store(mask[i] ? d.a * Storage<S>::load(g[i]) : C(0));
          CHECK(same_bits(fwd[i], want_f), "%s dropout n=%zu offset=%" PRIu64 " rate=%g i=%zu", name<S>(), n, offset, rate, i);
          CHECK(same_bits(bwd[i], want_b), "%s dropout backward n=%zu offset=%" PRIu64 " i=%zu", name<S>(), n, offset, i);
        }
        if constexpr (kNative) {
          if (n > 0) {
            const selu::DropoutConstants<C> cc{static_cast<C>(a_d), static_cast<C>(b_d), static_cast<C>(dropped_d),
                                               d.threshold, seed};
            std::vector<C> ref(n);
            if constexpr (sizeof(C) == 4) selu::kDropoutScalar.forward_f32(x, ref.data(), n, offset, cc, false);
            else selu::kDropoutScalar.forward_f64(x, ref.data(), n, offset, cc, false);
            for (size_t i = 0; i < n; ++i) CHECK(same_bits(fwd[i], ref[i]), "%s dropout vs CPU n=%zu offset=%" PRIu64 " i=%zu", name<S>(), n, offset, i);
            if constexpr (sizeof(C) == 4) selu::kDropoutScalar.backward_f32(g, ref.data(), n, offset, cc, false);
            else selu::kDropoutScalar.backward_f64(g, ref.data(), n, offset, cc, false);
            for (size_t i = 0; i < n; ++i) CHECK(same_bits(bwd[i], ref[i]), "%s dropout backward vs CPU n=%zu offset=%" PRIu64 " i=%zu", name<S>(), n, offset, i);
          }
        }
        // fused = composition of the unfused GPU ops, bit for bit
        reset();
        run_grid<S>(SeluDropoutForwardOp<S>{k, d, dropped}, x, nullptr, out, n, aligned);
        outside_untouched("selu dropout");
        std::copy(out, out + n, sel.begin());
        reset();
        run_grid<S>(SeluDropoutBackwardOp<S>{k, d}, g, x, out, n, aligned);
        outside_untouched("selu dropout backward");
        std::copy(out, out + n, selb.begin());
        {
          std::vector<unsigned char> s1, s2;
          S* y = aligned_buffer<S>(s1, n + 8);
          S* t = aligned_buffer<S>(s2, n + 8);
          run_grid<S>(SeluForwardOp<S>{k}, x, nullptr, y, n, true);
          run_grid<S>(DropoutForwardOp<S>{d, dropped}, y, nullptr, y, n, aligned);  // in place
          run_grid<S>(SeluBackwardOp<S>{k}, g, x, t, n, true);
          run_grid<S>(DropoutBackwardOp<S>{d}, t, nullptr, t, n, aligned);
          for (size_t i = 0; i < n; ++i) {
            CHECK(same_bits(sel[i], y[i]), "%s fused forward != composition n=%zu offset=%" PRIu64 " i=%zu", name<S>(), n, offset, i);
            CHECK(same_bits(selb[i], t[i]), "%s fused backward != composition n=%zu offset=%" PRIu64 " i=%zu", name<S>(), n, offset, i);
          }
        }
      }
    }
  }
  std::printf("element-wise kernel body, %s: %zu dropout cases over %zu lengths, all ops\n", name<S>(), cases, lengths.size());
}

// ---- 3. moments ------------------------------------------------------------------------------------

template <typename S, bool kSelu>
void emulate_moments(const S* x, S* out, size_t rows, size_t cols, int axis, int correction,
                     const SeluK<typename Storage<S>::C>& k, std::vector<double>& mean, std::vector<double>& variance) {
  const MomentsPlan plan = moments_plan(rows, cols, axis);
  const size_t P = plan.partials_per_group;
  std::vector<Partial> partials(plan.groups * P);
  if (plan.columns) {
    for (size_t rb = 0; rb < P; ++rb) {
      const size_t r0 = rb * kColumnRows;
      const unsigned nr = static_cast<unsigned>(std::min<size_t>(kColumnRows, rows - r0));
      for (size_t c = 0; c < cols; ++c) partials[partial_index(plan, c, rb)] = column_partial<S, kSelu>(x, out, cols, r0, nr, c, k);
    }
  } else {
    const bool vp = moments_vector_path<S>(plan);
    static double vals[kMomentsThreads][kValuesPerThread];
    static bool valid[kMomentsThreads][kValuesPerThread];
    double sums[kMomentsThreads], es[kMomentsThreads], qs[kMomentsThreads];
    for (size_t g = 0; g < plan.groups; ++g) {
      for (size_t p = 0; p < P; ++p) {
        const size_t begin = g * plan.group_stride + p * kTileValues;
        const size_t n_tile = std::min(kTileValues, plan.count - p * kTileValues);
        for (unsigned t = 0; t < kMomentsThreads; ++t) {
          tile_load<S, kSelu>(x + begin, kSelu ? out + begin : nullptr, n_tile, t, vp, k, vals[t], valid[t]);
          sums[t] = thread_sum(vals[t]);
        }
        const double total = block_tree(sums, [](double a, double b) { return a + b; });
        const double m = total / static_cast<double>(n_tile);
        for (unsigned t = 0; t < kMomentsThreads; ++t) {
          const Sums2 s = thread_deviations(vals[t], valid[t], m);
          es[t] = s.e;
          qs[t] = s.q;
        }
        const double e = block_tree(es, [](double a, double b) { return a + b; });
        const double q = block_tree(qs, [](double a, double b) { return a + b; });
        partials[partial_index(plan, g, p)] = partial_from_sums(static_cast<double>(n_tile), m, e, q);
      }
    }
  }
  mean.assign(plan.groups, 0);
  variance.assign(plan.groups, 0);
  // Merge levels, then the last merge: exactly the kernels' order (moments.cu).
  std::vector<Partial> cur = partials;
  PartialLayout l = first_layout(plan);
  while (l.P > kMergeChunk) {
    const size_t chunks = next_level(l.P);
    std::vector<Partial> next(plan.groups * chunks);
    for (size_t g = 0; g < plan.groups; ++g) {
      for (size_t chunk = 0; chunk < chunks; ++chunk) {
        Partial per[kMomentsThreads];
        for (unsigned t = 0; t < kMomentsThreads; ++t) {
          const size_t p0 = chunk * kMergeChunk + t * kMergePerThread;
          const size_t p1 = std::min(p0 + kMergePerThread, l.P);
          per[t] = merge_range(cur.data() + l.index(g, 0), l.stride(), std::min(p0, l.P), p1);
        }
        next[g * chunks + chunk] = block_tree(per, [](const Partial& a, const Partial& b) { return merge(a, b); });
      }
    }
    cur.swap(next);
    l = PartialLayout{plan.groups, chunks, false};
  }
  for (size_t g = 0; g < plan.groups; ++g) {
    const Partial* base = cur.data() + l.index(g, 0);
    Partial r;
    if (block_merge_last(l)) {
      Partial per[kMomentsThreads];
      for (unsigned t = 0; t < kMomentsThreads; ++t) per[t] = merge_range(base, l.stride(), merge_split(l.P, t), merge_split(l.P, t + 1));
      r = block_tree(per, [](const Partial& a, const Partial& b) { return merge(a, b); });
    } else {
      r = merge_range(base, l.stride(), 0, l.P);
    }
    finish(r, correction, &mean[g], &variance[g]);
  }
}

double worst_moments = 0;

// |got − want| relative to the scale of the data: |mean| + std for the mean, the variance itself for it.
void compare_moments(const char* what, const std::vector<double>& m, const std::vector<double>& v, const std::vector<double>& cm,
                     const std::vector<double>& cv) {
  for (size_t g = 0; g < m.size(); ++g) {
    const double scale = std::fabs(cm[g]) + std::sqrt(cv[g]);
    const double em = scale == 0 ? std::fabs(m[g] - cm[g]) : std::fabs(m[g] - cm[g]) / scale;
    const double ev = cv[g] == 0 ? std::fabs(v[g]) : std::fabs(v[g] - cv[g]) / cv[g];
    worst_moments = std::max({worst_moments, em, ev});
    CHECK(em <= 1e-12 && ev <= 1e-12, "%s group %zu: mean %.17g vs CPU %.17g, variance %.17g vs CPU %.17g", what, g, m[g], cm[g],
          v[g], cv[g]);
    if (!(em <= 1e-12 && ev <= 1e-12)) return;
  }
}

template <typename T>
void check_moments() {
  struct Shape {
    size_t rows, cols;
  };
  const std::vector<Shape> shapes = {{1, 1}, {1, 3}, {1, 4095}, {1, 4096}, {1, 4097}, {1, 70001}, {1, (1u << 18) + 5},
                                     {1, 64 * 4096 + 1}, {7, 5}, {33, 17}, {100, 1000}, {1000, 3}, {3, 100003},
                                     {65, 4099}, {2049, 2}, {1, (size_t{2048} * 4096) * 2 + 4097}, {70000, 3}};
  const std::vector<std::pair<double, double>> data = {{0, 1}, {1e4, 1e-2}, {-3e5, 1}};
  std::mt19937_64 rng(5);
  const SeluK<T> k = selu_k<T>(kDefault);
  const selu::SeluParams sp = kDefault;
  size_t cases = 0;
  for (const Shape& sh : shapes) {
    const size_t n = sh.rows * sh.cols;
    for (const auto& [mu, sd] : data) {
      std::normal_distribution<double> normal(mu, sd);
      std::vector<unsigned char> sx, so;
      T* x = aligned_buffer<T>(sx, n);
      T* out = aligned_buffer<T>(so, n);
      for (size_t i = 0; i < n; ++i) x[i] = static_cast<T>(normal(rng));
      for (int axis : {-1, 0, 1}) {
        if (axis != -1 && sh.rows == 1) continue;
        const int correction = (n > 1 && axis != 0) || (axis == 0 && sh.rows > 1) ? 1 : 0;
        const selu::MomentsShape shape{sh.rows, sh.cols, static_cast<selu::MomentsAxis>(axis), correction};
        const size_t groups = selu::moments_groups(shape);
        std::vector<double> cm(groups), cv(groups), m, v, m2, v2;
        selu::moments(x, shape, cm.data(), cv.data());
        emulate_moments<T, false>(x, nullptr, sh.rows, sh.cols, axis, correction, k, m, v);
        char what[160];
        std::snprintf(what, sizeof what, "moments %s %zux%zu axis %d data (%g, %g)", sizeof(T) == 4 ? "f32" : "f64", sh.rows,
                      sh.cols, axis, mu, sd);
        compare_moments(what, m, v, cm, cv);
        emulate_moments<T, false>(x, nullptr, sh.rows, sh.cols, axis, correction, k, m2, v2);
        CHECK(m == m2 && v == v2, "%s: not reproducible", what);
        // Fused: out = selu(x) element for element as the SELU kernel, moments = those of out.
        if (mu == 0) {
          emulate_moments<T, true>(x, out, sh.rows, sh.cols, axis, correction, k, m, v);
          for (size_t i = 0; i < n; ++i) CHECK(same_bits(out[i], selu_forward(x[i], k)), "%s fused out i=%zu", what, i);
          selu::moments(out, shape, cm.data(), cv.data());
          std::snprintf(what, sizeof what, "seluMoments %s %zux%zu axis %d", sizeof(T) == 4 ? "f32" : "f64", sh.rows, sh.cols, axis);
          compare_moments(what, m, v, cm, cv);
          (void)sp;
        }
        ++cases;
      }
    }
  }
  std::printf("moments %s: %zu cases, largest scaled error against the CPU kernels %.3g\n", sizeof(T) == 4 ? "f32" : "f64", cases,
              worst_moments);
}

}  // namespace

int main() {
  // SELU_CUDA_EXHAUSTIVE=1: every float32 input for both paths; =ff or =wide: for that path only.
  const std::string exh = std::getenv("SELU_CUDA_EXHAUSTIVE") != nullptr ? std::getenv("SELU_CUDA_EXHAUSTIVE") : "";
  check_special_values<float>();
  check_special_values<float, true>();
  check_special_values<double>();
  check_selu_f32<false>(exh == "1" || exh == "ff");
  check_selu_f32<true>(exh == "1" || exh == "wide");
  check_selu_f64();
  std::mt19937_64 rng(3);
  check_elementwise<float>(rng);
  check_elementwise<double>(rng);
  check_elementwise<__half>(rng);
  check_elementwise<__nv_bfloat16>(rng);
  check_moments<float>();
  check_moments<double>();
  return native_test::finish("cuda_host_test");
}
