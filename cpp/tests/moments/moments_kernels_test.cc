// Every moments kernel table returns the same bits as the scalar one (moments_kernels.h fixes the
// order of operations): tiles of every length 1..kMomentsTile, column blocks of every height and many
// widths at odd strides, and the fused SELU tile against selu-then-tile of the same level. Then the
// ops layer: the same bits for 1, 2 and 3 threads, for every axis.
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "../../common/simd_level.h"
#include "../../common/thread_pool.h"
#include "../../moments/moments_kernels.h"
#include "../../moments/moments_ops.h"
#include "../../selu/selu_kernels.h"
#include "../common/check.h"

#if defined(SELU_TEST_EMULATED_AVX512)
namespace selu {
// The AVX-512 tables built in SIMDe emulation (see CMakeLists.txt).
extern const MomentsKernelTable kMomentsAvx512Emulated;
extern const SeluKernelTable kSeluAvx512Emulated;
}  // namespace selu
#endif

namespace {

using selu::MomentsKernelTable;
using selu::MomentsPartial;

struct Level {
  std::string name;
  const MomentsKernelTable* moments;
  const selu::SeluKernelTable* selu;
};

std::vector<Level> levels() {
  std::vector<Level> out = {{"scalar", &selu::kMomentsScalar, &selu::kSeluScalar}};
#if defined(SELU_KERNELS_HAVE_X86_SIMD)
  const selu::SimdLevel cpu = selu::detect_cpu_simd_level();
  if (cpu >= selu::SimdLevel::kAvx2) out.push_back({"avx2", &selu::kMomentsAvx2, &selu::kSeluAvx2});
  else std::printf("avx2: skipped (CPU lacks AVX2)\n");
  if (cpu >= selu::SimdLevel::kAvx512) out.push_back({"avx512", &selu::kMomentsAvx512, &selu::kSeluAvx512});
  else std::printf("avx512: skipped natively (CPU lacks AVX-512)\n");
#endif
#if defined(SELU_TEST_EMULATED_AVX512)
  out.push_back({"avx512 (emulated)", &selu::kMomentsAvx512Emulated, &selu::kSeluAvx512Emulated});
#else
  std::printf("avx512 (emulated): skipped (built without SIMDe)\n");
#endif
  return out;
}

bool same(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0 || (std::isnan(a) && std::isnan(b)); }
bool same(const MomentsPartial& a, const MomentsPartial& b) {
  return same(a.count, b.count) && same(a.mean, b.mean) && same(a.mean_lo, b.mean_lo) && same(a.m2, b.m2);
}

template <typename T>
const char* dtype_name() {
  return sizeof(T) == 4 ? "f32" : "f64";
}

template <typename T>
selu::SeluConstants<T> selu_constants() {
  const selu::SeluParams p{1.0507009873554805, 3.9874847667154144e-17, 1.7580993408473768, 1.4153519380084446e-17};
  if constexpr (sizeof(T) == 4) return selu::make_selu_constants_f32(p); else return selu::make_selu_constants_f64(p);
}

template <typename T>
std::vector<T> data(size_t n, double mean, double sd, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(mean, sd);
  std::vector<T> v(n);
  for (T& x : v) x = static_cast<T>(normal(rng));
  return v;
}

template <typename T>
void check_tables(const Level& ref, const Level& level) {
  // Tiles of every length, at every offset into the buffer modulo a vector.
  const std::vector<T> x = data<T>(selu::kMomentsTile + 64, 1e4, 3.0, 1);
  for (size_t n = 1; n <= selu::kMomentsTile; n += (n < 300 ? 1 : 37)) {
    const size_t shift = n % 16;
    const MomentsPartial a = selu::tile_kernel<T>(*ref.moments)(x.data() + shift, n);
    const MomentsPartial b = selu::tile_kernel<T>(*level.moments)(x.data() + shift, n);
    CHECK(same(a, b), "%s %s tile n=%zu: mean %.17g vs %.17g, m2 %.17g vs %.17g", level.name.c_str(), dtype_name<T>(), n,
          a.mean, b.mean, a.m2, b.m2);
  }
  // Column blocks: heights 1..64, widths around the vector and group sizes, strides > width.
  const std::vector<T> m = data<T>(64 * 700, -3e5, 1.0, 2);
  for (size_t rows : {size_t{1}, size_t{2}, size_t{3}, size_t{17}, size_t{63}, size_t{64}}) {
    for (size_t cols : {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 64, 100, 256}) {
      const size_t stride = cols + (cols * 7) % 13;
      std::vector<MomentsPartial> pa(cols), pb(cols);
      selu::columns_kernel<T>(*ref.moments)(m.data() + 3, rows, cols, stride, pa.data());
      selu::columns_kernel<T>(*level.moments)(m.data() + 3, rows, cols, stride, pb.data());
      for (size_t j = 0; j < cols; ++j) {
        CHECK(same(pa[j], pb[j]), "%s %s columns %zux%zu col %zu", level.name.c_str(), dtype_name<T>(), rows, cols, j);
      }
    }
  }
  // The fused tile: the level's own SELU, then the tile kernel.
  const std::vector<T> z = data<T>(selu::kMomentsTile + 16, 0.0, 2.0, 3);
  const selu::SeluConstants<T> s = selu_constants<T>();
  for (size_t n : {size_t{1}, size_t{5}, size_t{16}, size_t{33}, size_t{1000}, selu::kMomentsTile}) {
    for (bool stream : {false, true}) {
      std::vector<T> out(n + 16, T(7)), expect(n);
      const MomentsPartial got = selu::selu_tile_kernel<T>(*level.moments)(z.data() + 1, out.data() + 1, n, s, stream);
      selu::selu_forward_kernel<T>(*level.selu)(z.data() + 1, expect.data(), n, s, false);
      const MomentsPartial want = selu::tile_kernel<T>(*ref.moments)(expect.data(), n);
      CHECK(same(got, want), "%s %s selu tile n=%zu", level.name.c_str(), dtype_name<T>(), n);
      CHECK(std::memcmp(out.data() + 1, expect.data(), n * sizeof(T)) == 0, "%s selu tile output n=%zu", level.name.c_str(), n);
      CHECK(out[0] == T(7) && out[n + 1] == T(7), "%s selu tile wrote outside [0, n)", level.name.c_str());
    }
  }
}

template <typename T>
void check_thread_invariance() {
  struct Shape { size_t rows, cols; selu::MomentsAxis axis; };
  const Shape shapes[] = {
      {1, 3000017, selu::MomentsAxis::kAll},     {1000, 3001, selu::MomentsAxis::kAll},
      {3, 1000003, selu::MomentsAxis::kRows},    {5003, 211, selu::MomentsAxis::kRows},
      {100003, 7, selu::MomentsAxis::kColumns},  {3001, 700, selu::MomentsAxis::kColumns},
  };
  for (const Shape& sh : shapes) {
    const std::vector<T> x = data<T>(sh.rows * sh.cols, 5.0, 2.0, sh.rows);
    const selu::MomentsShape shape{sh.rows, sh.cols, sh.axis, 1};
    const size_t groups = selu::moments_groups(shape);
    std::vector<double> mean1(groups), var1(groups), mean(groups), var(groups);
    std::vector<T> out1(x.size()), out(x.size());
    const selu::SeluParams sp{1.0507009873554805, 3.9874847667154144e-17, 1.7580993408473768, 1.4153519380084446e-17};
    selu::ThreadPool::instance().set_threads(1);
    selu::moments(x.data(), shape, mean1.data(), var1.data());
    std::vector<double> smean1(groups), svar1(groups);
    selu::selu_moments(x.data(), out1.data(), shape, sp, smean1.data(), svar1.data());
    for (int threads : {2, 3}) {
      selu::ThreadPool::instance().set_threads(threads);
      selu::moments(x.data(), shape, mean.data(), var.data());
      CHECK(std::memcmp(mean.data(), mean1.data(), groups * 8) == 0 && std::memcmp(var.data(), var1.data(), groups * 8) == 0,
            "%s moments %zux%zu axis %d: threads %d differ from 1", dtype_name<T>(), sh.rows, sh.cols,
            static_cast<int>(sh.axis), threads);
      selu::selu_moments(x.data(), out.data(), shape, sp, mean.data(), var.data());
      CHECK(std::memcmp(mean.data(), smean1.data(), groups * 8) == 0 && std::memcmp(var.data(), svar1.data(), groups * 8) == 0 &&
                std::memcmp(out.data(), out1.data(), x.size() * sizeof(T)) == 0,
            "%s selu_moments %zux%zu axis %d: threads %d differ from 1", dtype_name<T>(), sh.rows, sh.cols,
            static_cast<int>(sh.axis), threads);
    }
  }
  selu::ThreadPool::instance().set_threads(2);
}

}  // namespace

int main() {
  const std::vector<Level> all = levels();
  for (const Level& level : all) {
    check_tables<float>(all[0], level);
    check_tables<double>(all[0], level);
  }
  check_thread_invariance<float>();
  check_thread_invariance<double>();
  return native_test::finish("moments_kernels_test");
}
