// The SELU kernels give the same bits however an array is split into calls, and touch no memory
// outside the elements they are given. For every level and every kernel (forward and backward,
// float32 and float64):
//  - one call over a whole array (ordinary stores) is the reference; streaming stores give the same;
//  - every sub-range [o, o + len) with len = 0..40 at many offsets, and random longer ones, computed
//    alone, with the input and output placed against inaccessible guard pages on either side (a read
//    or write past the range crashes the test) at every element offset from an aligned address,
//    with streaming on and off, and in place (out == x, and for the backward out == grad);
//  - random partitions of the whole array into consecutive calls;
// all reproduce the reference bit for bit, and write nothing around the range (sentinels).
#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "selu_levels.h"
#include "selu_reference.h"
#include "tests/common/float_bits.h"
#include "tests/common/guarded_buffer.h"
#include "tests/common/rng.h"

namespace {

int failures = 0;

void fail(const std::string& what) {
  if (++failures <= 20) std::printf("  FAIL %s\n", what.c_str());
}

template <typename T>
T draw(selu_test::Rng& rng) {
  switch (rng.below(10)) {
    case 0: return static_cast<T>(rng.uniform(-1e-3, 1e-3));
    case 1: return static_cast<T>(rng.uniform(-100, 100));
    case 2: {
      const T special[] = {T(0), -T(0), INFINITY, -INFINITY, NAN, T(-1e30), T(1e30), T(-87.9), T(-745.2)};
      return special[rng.below(sizeof special / sizeof special[0])];
    }
    default: return static_cast<T>(rng.uniform(-6, 4));
  }
}

template <typename T>
struct Kernels;
template <>
struct Kernels<float> {
  static selu::SeluForwardFn<float> fwd(const selu::SeluKernelTable& t) { return t.forward_f32; }
  static selu::SeluBackwardFn<float> bwd(const selu::SeluKernelTable& t) { return t.backward_f32; }
  static selu::SeluConstants<float> constants() {
    return selu::make_selu_constants_f32(selu_test::default_selu_params());
  }
  static constexpr const char* kName = "f32";
};
template <>
struct Kernels<double> {
  static selu::SeluForwardFn<double> fwd(const selu::SeluKernelTable& t) { return t.forward_f64; }
  static selu::SeluBackwardFn<double> bwd(const selu::SeluKernelTable& t) { return t.backward_f64; }
  static selu::SeluConstants<double> constants() {
    return selu::make_selu_constants_f64(selu_test::default_selu_params());
  }
  static constexpr const char* kName = "f64";
};

// One kernel (forward, or backward with its gradient) as a call over a range.
template <typename T>
struct Op {
  bool backward;
  selu::SeluForwardFn<T> fwd;
  selu::SeluBackwardFn<T> bwd;
  selu::SeluConstants<T> c;
  void operator()(const T* g, const T* x, T* out, size_t n, bool stream) const {
    if (backward)
      bwd(g, x, out, n, c, stream);
    else
      fwd(x, out, n, c, stream);
  }
};

template <typename T>
bool same_bits(const T* a, const T* b, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (!selu_test::same_value(a[i], b[i])) return false;
  return true;
}

template <typename T>
void check_level(const selu_test::KernelLevel& level, bool backward, selu_test::Rng& rng) {
  const std::string name = level.name + " " + Kernels<T>::kName + (backward ? " backward" : " forward");
  const Op<T> op{backward, Kernels<T>::fwd(*level.table), Kernels<T>::bwd(*level.table), Kernels<T>::constants()};
  constexpr size_t kN = 2000;
  std::vector<T> x(kN), g(kN), ref(kN), out(kN);
  for (size_t i = 0; i < kN; ++i) {
    x[i] = draw<T>(rng);
    g[i] = backward ? draw<T>(rng) : T(1);
  }
  op(g.data(), x.data(), ref.data(), kN, false);
  op(g.data(), x.data(), out.data(), kN, true);
  if (!same_bits(out.data(), ref.data(), kN)) fail(name + ": streaming stores changed the result");

  // Sub-ranges against guard pages. Room for 64 + 40 elements plus a random length up to 600.
  selu_test::GuardedBuffer in_x(700 * sizeof(T)), in_g(700 * sizeof(T)), res(700 * sizeof(T));
  const T sentinel = static_cast<T>(12345.678);
  auto one_range = [&](size_t o, size_t len, size_t shift, bool at_end, bool stream, int in_place) {
    // Input and output at the trailing guard (at_end) or `shift` elements after the leading one.
    T* px = at_end ? in_x.at_end<T>(len) : in_x.at_start<T>() + shift;
    T* pg = at_end ? in_g.at_end<T>(len) : in_g.at_start<T>() + shift;
    T* po = at_end ? res.at_end<T>(len) : res.at_start<T>() + shift;
    std::memcpy(px, x.data() + o, len * sizeof(T));
    std::memcpy(pg, g.data() + o, len * sizeof(T));
    // Sentinels around the output (where the page allows).
    const size_t before = at_end ? 8 : shift, after = at_end ? 0 : 8;
    for (size_t i = 0; i < before; ++i) po[-static_cast<ptrdiff_t>(i) - 1] = sentinel;
    for (size_t i = 0; i < after; ++i) po[len + i] = sentinel;
    const T* src_x = px;
    const T* src_g = pg;
    if (in_place == 1) {  // out == x
      std::memcpy(po, x.data() + o, len * sizeof(T));
      src_x = po;
    } else if (in_place == 2) {  // out == grad
      std::memcpy(po, g.data() + o, len * sizeof(T));
      src_g = po;
    }
    op(src_g, src_x, po, len, stream);
    char what[200];
    if (!same_bits(po, ref.data() + o, len)) {
      std::snprintf(what, sizeof what, "%s: range [%zu, +%zu) shift %zu %s stream %d in-place %d differs",
                    name.c_str(), o, len, shift, at_end ? "at end" : "at start", stream, in_place);
      fail(what);
    }
    for (size_t i = 0; i < before; ++i)
      if (!selu_test::same_value(po[-static_cast<ptrdiff_t>(i) - 1], sentinel)) {
        std::snprintf(what, sizeof what, "%s: wrote before range [%zu, +%zu)", name.c_str(), o, len);
        fail(what);
      }
    for (size_t i = 0; i < after; ++i)
      if (!selu_test::same_value(po[len + i], sentinel)) {
        std::snprintf(what, sizeof what, "%s: wrote after range [%zu, +%zu)", name.c_str(), o, len);
        fail(what);
      }
  };
  for (size_t len = 0; len <= 40; ++len) {
    for (int trial = 0; trial < 24; ++trial) {
      const size_t o = rng.below(kN - len + 1);
      const size_t shift = static_cast<size_t>(trial % 16);
      const int in_place = backward ? trial % 3 : trial % 2;
      one_range(o, len, shift, trial % 2 == 0, (trial / 2) % 2 == 1, in_place);
    }
  }
  for (int trial = 0; trial < 300; ++trial) {
    const size_t len = rng.below(601);
    const size_t o = rng.below(kN - len + 1);
    one_range(o, len, rng.below(16), rng.below(2) == 0, rng.below(2) == 1, static_cast<int>(rng.below(backward ? 3 : 2)));
  }

  // Random partitions of the whole array into consecutive calls, into one output buffer.
  for (int trial = 0; trial < 50; ++trial) {
    std::fill(out.begin(), out.end(), sentinel);
    for (size_t begin = 0; begin < kN;) {
      const size_t len = std::min(kN - begin, static_cast<size_t>(rng.below(trial % 2 ? 70 : 700)));
      op(g.data() + begin, x.data() + begin, out.data() + begin, len, rng.below(2) == 1);
      begin += len;
    }
    if (!same_bits(out.data(), ref.data(), kN)) fail(name + ": a partition into calls changed the result");
  }
}

}  // namespace

int main() {
  const std::vector<selu_test::KernelLevel> levels = selu_test::levels_under_test();
  selu_test::Rng rng(20261127);
  for (const selu_test::KernelLevel& level : levels) {
    const int before = failures;
    for (bool backward : {false, true}) {
      check_level<float>(level, backward, rng);
      check_level<double>(level, backward, rng);
    }
    std::printf("  %-16s split invariance, guards and in-place: %s\n", level.name.c_str(),
                failures == before ? "ok" : "FAILED");
  }
  std::printf("%s\n", failures == 0 ? "PASS" : "FAIL");
  return failures == 0 ? 0 : 1;
}
