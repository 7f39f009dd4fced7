// Every dropout kernel table against the specification (docs/ALPHA-DROPOUT.md) evaluated element by element
// from philox4x32.h: kept = fma(a, x, b) in T, dropped = the dropped value, backward = a·g or +0, the
// fused kernels = the same rule applied to the SELU kernel of the same instruction set. Covers all
// lengths around the vector and group sizes, stream phases (offset mod 4), views at every alignment,
// streaming on and off, in place, offsets whose block index carries past 2^32 and offsets near 2^64,
// and checks that nothing outside [0, n) is written. Then the ops layer: chunking and thread-count
// invariance.
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "../../common/simd_level.h"
#include "../../common/thread_pool.h"
#include "../../dropout/dropout_kernels.h"
#include "../../dropout/dropout_ops.h"
#include "../../dropout/selu_dropout_blocked.h"
#include "../../random/philox4x32.h"
#include "../../selu/selu_kernels.h"
#include "../common/check.h"

#if defined(SELU_TEST_EMULATED_AVX512)
namespace selu {
// The AVX-512 tables built in SIMDe emulation (see CMakeLists.txt).
extern const DropoutKernelTable kDropoutAvx512Emulated;
extern const SeluKernelTable kSeluAvx512Emulated;
}  // namespace selu
#endif

namespace {

using selu::DropoutConstants;
using selu::DropoutKernelTable;
using selu::SeluKernelTable;

struct Level {
  std::string name;
  const DropoutKernelTable* dropout;
  const SeluKernelTable* selu;
};

std::vector<Level> levels() {
  std::vector<Level> out = {{"scalar", &selu::kDropoutScalar, &selu::kSeluScalar}};
#if defined(SELU_KERNELS_HAVE_X86_SIMD)
  const selu::SimdLevel cpu = selu::detect_cpu_simd_level();
  if (cpu >= selu::SimdLevel::kAvx2) out.push_back({"avx2", &selu::kDropoutAvx2, &selu::kSeluAvx2});
  else std::printf("avx2: skipped (CPU lacks AVX2)\n");
  if (cpu >= selu::SimdLevel::kAvx512) out.push_back({"avx512", &selu::kDropoutAvx512, &selu::kSeluAvx512});
  else std::printf("avx512: skipped natively (CPU lacks AVX-512)\n");
#endif
#if defined(SELU_TEST_EMULATED_AVX512)
  out.push_back({"avx512 (emulated)", &selu::kDropoutAvx512Emulated, &selu::kSeluAvx512Emulated});
#else
  std::printf("avx512 (emulated): skipped (built without SIMDe)\n");
#endif
  return out;
}

template <typename T>
bool same_bits(T a, T b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

template <typename T>
const char* dtype_name() {
  return sizeof(T) == 4 ? "f32" : "f64";
}

template <typename T>
selu::SeluConstants<T> selu_constants() {
  // λ01 and λ01·α01 as double-doubles (lib/constants.ts).
  const selu::SeluParams p{1.0507009873554805, 3.9874847667154144e-17, 1.7580993408473768, 1.4153519380084446e-17};
  if constexpr (sizeof(T) == 4) return selu::make_selu_constants_f32(p); else return selu::make_selu_constants_f64(p);
}

// One kernel call on a view at [shift, shift + n) of padded buffers whose outside is a sentinel.
template <typename T>
struct Case {
  size_t n, x_shift, out_shift;
  uint64_t first;
  double rate;
  bool stream, in_place;
};

constexpr size_t kPad = 16;

template <typename T>
void check_table(const Level& level, std::mt19937_64& rng) {
  std::normal_distribution<double> normal(0.0, 3.0);
  const double a_d = 0.9212843296527672, b_d = 0.16197305734437614, dropped_d = -1.4577475297727093;
  const std::vector<size_t> lengths = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 35, 63, 64, 65, 67,
                                       95, 96, 97, 127, 128, 129, 191, 192, 193, 200, 255, 256, 257, 1023, 1024, 1025, 2100, 4133};
  const std::vector<uint64_t> firsts = {0, 1, 2, 3, 4, 5, 6, 7, (uint64_t{1} << 34) - 37, (uint64_t{1} << 34) - 2,
                                        0x123456789abcdefull};
  const std::vector<double> rates = {0.0, 0.1, 0.5, 0.999};
  int cases = 0;
  for (size_t n : lengths) {
    for (uint64_t first0 : firsts) {
      for (double rate : rates) {
        for (int variant = 0; variant < 4; ++variant) {
          const bool stream = variant & 1;
          const bool in_place = variant & 2;
          const size_t x_shift = rng() % 9, out_shift = in_place ? x_shift : rng() % 9;
          // Also the very end of the index space: the last element has g = 2^64 − 2.
          const uint64_t first = (first0 == 0x123456789abcdefull) ? ~uint64_t{0} - 1 - n : first0;
          ++cases;
          const DropoutConstants<T> c{static_cast<T>(a_d), static_cast<T>(b_d), static_cast<T>(dropped_d),
                                      selu::philox::keep_threshold(rate), rng()};
          std::vector<T> x(n + 2 * kPad), out(n + 2 * kPad), ref(n), buf(n + 1);
          for (T& v : x) v = static_cast<T>(normal(rng));
          const T sentinel = static_cast<T>(12345.678);
          auto reset_out = [&] {
            if (in_place) {
              out = x;
            } else {
              std::fill(out.begin(), out.end(), sentinel);
            }
          };
          T* xp = x.data() + kPad - 8 + x_shift;  // shift in [0, 8]: every alignment of a 32-byte vector
          T* op = (in_place ? x.data() : out.data()) + kPad - 8 + out_shift;
          std::vector<T> x_copy(xp, xp + n);
          std::vector<uint32_t> words(n);
          selu::philox::stream_words(c.seed, first, n, words.data());
          auto kept = [&](size_t i) { return selu::philox::keep(words[i], c.threshold); };
          auto verify = [&](const char* what, const std::vector<T>& expect) {
            const T* result = op;
            for (size_t i = 0; i < n; ++i) {
              CHECK(same_bits(result[i], expect[i]), "%s %s %s n=%zu first=%" PRIu64 " rate=%g stream=%d inplace=%d i=%zu: %.9g vs %.9g",
                    level.name.c_str(), dtype_name<T>(), what, n, first, rate, stream, in_place, i,
                    static_cast<double>(result[i]), static_cast<double>(expect[i]));
              if (!same_bits(result[i], expect[i])) break;
            }
            if (!in_place) {
              const T* base = out.data();
              const size_t lo = kPad - 8 + out_shift;
              for (size_t i = 0; i < out.size(); ++i) {
                if (i < lo || i >= lo + n) CHECK(same_bits(base[i], sentinel), "%s %s wrote outside [0, n) at %zu", level.name.c_str(), what, i);
              }
            }
          };
          auto restore_x = [&] { std::copy(x_copy.begin(), x_copy.end(), xp); };

          // forward
          for (size_t i = 0; i < n; ++i) ref[i] = kept(i) ? std::fma(c.a, x_copy[i], c.b) : c.dropped;
          if (!in_place) reset_out();
          selu::dropout_forward_kernel<T>(*level.dropout)(xp, op, n, first, c, stream);
          verify("forward", ref);
          restore_x();

          // backward (x plays the gradient)
          for (size_t i = 0; i < n; ++i) ref[i] = kept(i) ? static_cast<T>(c.a * x_copy[i]) : T(0);
          if (!in_place) reset_out();
          selu::dropout_backward_kernel<T>(*level.dropout)(xp, op, n, first, c, stream);
          verify("backward", ref);
          restore_x();

          // fused forward = the rule applied to this level's SELU
          const selu::SeluConstants<T> s = selu_constants<T>();
          selu::selu_forward_kernel<T>(*level.selu)(x_copy.data(), buf.data(), n, s, false);
          for (size_t i = 0; i < n; ++i) ref[i] = kept(i) ? std::fma(c.a, buf[i], c.b) : c.dropped;
          if (!in_place) reset_out();
          selu::selu_dropout_forward_kernel<T>(*level.dropout)(xp, op, n, first, c, s, stream);
          verify("selu forward", ref);
          restore_x();

          // fused backward = the rule applied to this level's SELU backward; grad = reversed x
          if (!in_place) {
            std::vector<T> grad(x_copy.rbegin(), x_copy.rend());
            selu::selu_backward_kernel<T>(*level.selu)(grad.data(), x_copy.data(), buf.data(), n, s, false);
            for (size_t i = 0; i < n; ++i) ref[i] = kept(i) ? static_cast<T>(c.a * buf[i]) : T(0);
            reset_out();
            selu::selu_dropout_backward_kernel<T>(*level.dropout)(grad.data(), xp, op, n, first, c, s, stream);
            verify("selu backward", ref);
          }

          // mask
          if (sizeof(T) == 4 && !in_place) {
            std::vector<uint8_t> mask(n + 2 * kPad, 7);
            level.dropout->mask(mask.data() + kPad + out_shift, n, first, c.seed, c.threshold);
            for (size_t i = 0; i < mask.size(); ++i) {
              const bool inside = i >= kPad + out_shift && i < kPad + out_shift + n;
              const uint8_t want = inside ? (kept(i - kPad - out_shift) ? 1 : 0) : 7;
              CHECK(mask[i] == want, "%s mask n=%zu first=%" PRIu64 " rate=%g at %zu: %d vs %d", level.name.c_str(), n,
                    first, rate, i, mask[i], want);
            }
          }
        }
      }
    }
  }
  std::printf("%s %s: %d cases\n", level.name.c_str(), dtype_name<T>(), cases);
}

// The ops layer: two calls over [o, o + n) and [o + n, o + 2n) equal one call over [o, o + 2n), for
// any thread count, and the kept fraction is about 1 − rate.
template <typename T>
void check_ops() {
  const size_t n = (size_t{1} << 20) + 13;
  std::vector<T> x(2 * n), whole(2 * n), parts(2 * n);
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal;
  for (T& v : x) v = static_cast<T>(normal(rng));
  for (uint64_t offset : {uint64_t{0}, uint64_t{5}, (uint64_t{1} << 34) - 1000003, ~uint64_t{0} - 2 * n - 7}) {
    selu::DropoutParams p{0x9e3779b97f4a7c15ull, offset, 0.2, 0.9, 0.1, -1.5};
    for (int threads : {1, 2, 3}) {
      selu::ThreadPool::instance().set_threads(threads);
      selu::alpha_dropout_forward(x.data(), whole.data(), 2 * n, p);
      selu::DropoutParams p2 = p;
      selu::alpha_dropout_forward(x.data(), parts.data(), n, p);
      p2.offset = offset + n;
      selu::alpha_dropout_forward(x.data() + n, parts.data() + n, n, p2);
      CHECK(std::memcmp(whole.data(), parts.data(), 2 * n * sizeof(T)) == 0, "%s chunking, offset %" PRIu64 " threads %d",
            dtype_name<T>(), offset, threads);
      std::vector<T> single(2 * n);
      selu::ThreadPool::instance().set_threads(1);
      selu::alpha_dropout_forward(x.data(), single.data(), 2 * n, p);
      CHECK(std::memcmp(whole.data(), single.data(), 2 * n * sizeof(T)) == 0, "%s threads %d vs 1", dtype_name<T>(), threads);
      size_t dropped = 0;
      for (T v : whole) dropped += v == static_cast<T>(-1.5);
      const double frac = static_cast<double>(dropped) / (2.0 * n);
      const double sigma = std::sqrt(0.2 * 0.8 / (2.0 * n));
      CHECK(std::fabs(frac - 0.2) < 5 * sigma, "dropped fraction %.6f", frac);
    }
  }
  selu::ThreadPool::instance().set_threads(2);
}

}  // namespace

int main() {
  std::mt19937_64 rng(20261127);
  for (const Level& level : levels()) {
    check_table<float>(level, rng);
    check_table<double>(level, rng);
  }
  check_ops<float>();
  check_ops<double>();
  return native_test::finish("dropout_kernels_test");
}
