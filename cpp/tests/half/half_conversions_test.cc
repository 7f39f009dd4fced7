// The conversions of every SIMD level (cpp/half), exhaustively where the input has 16 bits:
// - widening: all 65,536 bit patterns of each format give the exact value (NaNs: a NaN of the same
//   sign, quiet bit set, payload kept);
// - narrowing: every 16-bit value, every midpoint between neighbours and the float32s one ulp either
//   side of each, 10^6 random float32 bit patterns, ±0, ±∞, NaNs with payloads, float32 subnormals
//   and the overflow thresholds, against round_to_format (half_reference.h);
// - every level returns the scalar definitions' bits (half_format.h) for every one of those inputs,
//   at every alignment and tail length.
#include <cmath>
#include <cstdio>
#include <vector>

#include "half_levels.h"
#include "half_reference.h"
#include "tests/common/check.h"
#include "tests/common/float_bits.h"
#include "tests/common/rng.h"

using half_test::HalfFormat;
using selu_test::bits_of;
using selu_test::f32_from_bits;

namespace {

selu::WidenFn widen_of(const selu::HalfKernelTable& t, HalfFormat f) {
  return f == HalfFormat::kFloat16 ? t.widen_f16 : t.widen_bf16;
}
selu::NarrowFn narrow_of(const selu::HalfKernelTable& t, HalfFormat f) {
  return f == HalfFormat::kFloat16 ? t.narrow_f16 : t.narrow_bf16;
}

// The NaN a 16-bit NaN widens to, and the one a float32 NaN narrows to (sign kept, quieted, the
// payload's top bits kept).
uint32_t widened_nan(HalfFormat f, uint16_t h) {
  if (f == HalfFormat::kBFloat16) return static_cast<uint32_t>(h) << 16;
  return (static_cast<uint32_t>(h & 0x8000) << 16) | 0x7fc00000u | (static_cast<uint32_t>(h & 0x3ff) << 13);
}
uint16_t narrowed_nan(HalfFormat f, uint32_t u) {
  if (f == HalfFormat::kBFloat16) return static_cast<uint16_t>((u >> 16) | 0x40);
  return static_cast<uint16_t>(((u >> 16) & 0x8000) | 0x7e00 | ((u >> 13) & 0x3ff));
}

void check_widening(const half_test::Level& level, HalfFormat f) {
  std::vector<uint16_t> all(65536);
  for (uint32_t h = 0; h < 65536; ++h) all[h] = static_cast<uint16_t>(h);
  std::vector<float> wide(65536);
  widen_of(*level.half, f)(all.data(), wide.data(), all.size());
  for (uint32_t h = 0; h < 65536; ++h) {
    const long double v = half_test::value_of(f, static_cast<uint16_t>(h));
    const bool ok = std::isnan(v) ? bits_of(wide[h]) == widened_nan(f, static_cast<uint16_t>(h))
                                  : static_cast<long double>(wide[h]) == v && std::signbit(wide[h]) == std::signbit(v);
    CHECK(ok, "%s %s widen 0x%04x -> 0x%08x", level.name.c_str(), half_test::name(f), h, bits_of(wide[h]));
  }
}

// The float32 inputs narrowing is checked on.
std::vector<float> narrowing_inputs(HalfFormat f) {
  std::vector<float> in;
  const auto add_with_neighbours = [&in](float v) {
    in.push_back(v);
    in.push_back(std::nextafter(v, INFINITY));
    in.push_back(std::nextafter(v, -INFINITY));
  };
  for (uint32_t h = 0; h < 65536; ++h) {
    const long double v = half_test::value_of(f, static_cast<uint16_t>(h));
    if (std::isnan(v)) continue;
    add_with_neighbours(static_cast<float>(v));
    if (std::isinf(v)) continue;
    // The midpoint to the next value away from zero (past the largest finite one: the overflow threshold).
    const long double next = half_test::value_of(f, static_cast<uint16_t>(h + 1));
    const long double far = std::isinf(next) ? std::copysign(half_test::info(f).overflow(), v) : next;
    add_with_neighbours(static_cast<float>((v + far) / 2));  // exact: a float32 with a few more bits
  }
  selu_test::Rng rng(0x16b175);
  for (int i = 0; i < 1000000; ++i) in.push_back(f32_from_bits(static_cast<uint32_t>(rng.next())));
  for (uint32_t u : {0x00000000u, 0x80000000u, 0x7f800000u, 0xff800000u, 0x7fc00000u, 0xffc00000u, 0x7f800001u,
                     0xff800001u, 0x7fbfffffu, 0x7fffffffu, 0x7fa12345u, 0xffe54321u, 0x00000001u, 0x80000001u,
                     0x007fffffu, 0x807fffffu, 0x00400000u, 0x7f7fffffu, 0xff7fffffu, 0x7f7f8000u, 0x7f7f7fffu,
                     0x477ff000u, 0x477fefffu, 0xc77ff000u, 0x33000000u, 0x33000001u, 0x32ffffffu, 0xb3000000u}) {
    in.push_back(f32_from_bits(u));
  }
  return in;
}

void check_narrowing(const half_test::Level& level, HalfFormat f, const std::vector<float>& in) {
  std::vector<uint16_t> out(in.size());
  narrow_of(*level.half, f)(in.data(), out.data(), in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const float x = in[i];
    if (std::isnan(x)) {
      CHECK(out[i] == narrowed_nan(f, bits_of(x)), "%s %s narrow NaN 0x%08x -> 0x%04x", level.name.c_str(),
            half_test::name(f), bits_of(x), out[i]);
      continue;
    }
    const long double want = half_test::round_to_format(f, x);
    const long double got = half_test::value_of(f, out[i]);
    CHECK(got == want && std::signbit(got) == std::signbit(want), "%s %s narrow %a (0x%08x) -> 0x%04x = %La, want %La",
          level.name.c_str(), half_test::name(f), static_cast<double>(x), bits_of(x), out[i], got, want);
  }
}

// Every level returns the scalar bits, whatever the start and the length (heads and tails).
void check_against_scalar(const half_test::Level& level, HalfFormat f, const std::vector<float>& in) {
  const size_t n = 70000;
  std::vector<uint16_t> halves(n + 64);
  for (size_t i = 0; i < halves.size(); ++i) halves[i] = static_cast<uint16_t>(i * 40503u);
  for (size_t start : {0, 1, 3, 7, 13}) {
    for (size_t len : {n, n - 1, size_t{15}, size_t{17}, size_t{1}}) {
      std::vector<float> a(len), b(len);
      widen_of(*level.half, f)(halves.data() + start, a.data(), len);
      widen_of(selu::kHalfScalar, f)(halves.data() + start, b.data(), len);
      size_t bad = 0;
      for (size_t i = 0; i < len; ++i) bad += bits_of(a[i]) != bits_of(b[i]);
      CHECK(bad == 0, "%s %s widen start %zu length %zu: %zu differ from scalar", level.name.c_str(),
            half_test::name(f), start, len, bad);
      std::vector<uint16_t> c(len), d(len);
      narrow_of(*level.half, f)(in.data() + start, c.data(), len);
      narrow_of(selu::kHalfScalar, f)(in.data() + start, d.data(), len);
      bad = 0;
      for (size_t i = 0; i < len; ++i) bad += c[i] != d[i];
      CHECK(bad == 0, "%s %s narrow start %zu length %zu: %zu differ from scalar", level.name.c_str(),
            half_test::name(f), start, len, bad);
    }
  }
}

}  // namespace

int main() {
  for (HalfFormat f : {HalfFormat::kFloat16, HalfFormat::kBFloat16}) {
    const std::vector<float> in = narrowing_inputs(f);
    for (const half_test::Level& level : half_test::levels_under_test()) {
      std::printf("%s %s: widening 65536, narrowing %zu values\n", level.name.c_str(), half_test::name(f), in.size());
      check_widening(level, f);
      check_narrowing(level, f, in);
      check_against_scalar(level, f, in);
    }
  }
  return native_test::finish("half_conversions_test");
}
