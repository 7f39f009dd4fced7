// Times the float32 alpha-dropout kernels of one instruction set on N elements against a memory copy
// of the same size: median nanoseconds per element over interleaved rounds (round r of every op
// before round r + 1 of any, so machine noise spreads over all ops alike).
//
//   dropout_kernels_bench [--level scalar|avx2|avx512] [--n 1e7] [--rounds 15] [--threads 1]
//                         [--rate 0.1] [--ops copy,selu,dropout,mask,selu_dropout,selu_dropout_backward]
//                         [--clock wall|cpu] [--misalign ELEMENTS]
//
// --threads 1 calls the kernels directly on the whole array (the compute cost per element, no pool);
// --threads k > 1 goes through the ops layer (dropout_ops.h) on a pool of k threads, as the addon does,
// with the level forced by SELU_KERNELS_SIMD. Streaming stores follow the ops layer's rule (≥ 8 MiB).
// --clock cpu times with this thread's CPU clock (--threads 1 only): on a machine shared with other
// work it leaves out the time the thread spends descheduled, which wall time would count.
// --misalign k starts the arrays k elements past a 64-byte boundary (Node's large ArrayBuffers are
// 16-byte aligned: --misalign 4), which changes the kernels' head and streaming alignment.
// Under `valgrind --tool=callgrind` use --rounds 1 and small N: it counts instructions, not time.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <time.h>
#include <vector>

#include "common/elementwise_split.h"
#include "common/simd_level.h"
#include "common/thread_pool.h"
#include "dropout/dropout_kernels.h"
#include "dropout/dropout_ops.h"
#include "random/philox4x32.h"
#include "selu/selu_kernels.h"
#include "selu/selu_ops.h"

namespace {

struct Options {
  std::string level = "best";
  size_t n = 10000000;
  int rounds = 15;
  int threads = 1;
  double rate = 0.1;  // bench/ops/dropout.js
  std::string ops = "copy,selu,dropout,selu_dropout,selu_dropout_backward";
  bool cpu_clock = false;
  size_t misalign = 0;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    const char* value = argv[i + 1];
    if (key == "--level") o.level = value;
    else if (key == "--n") o.n = static_cast<size_t>(std::atof(value));
    else if (key == "--rounds") o.rounds = std::atoi(value);
    else if (key == "--threads") o.threads = std::atoi(value);
    else if (key == "--rate") o.rate = std::atof(value);
    else if (key == "--ops") o.ops = value;
    else if (key == "--clock") o.cpu_clock = std::string(value) == "cpu";
    else if (key == "--misalign") o.misalign = static_cast<size_t>(std::atoi(value));
    else {
      std::fprintf(stderr, "unknown option %s\n", key.c_str());
      std::exit(2);
    }
  }
  return o;
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  size_t begin = 0;
  while (begin <= s.size()) {
    const size_t end = std::min(s.find(',', begin), s.size());
    if (end > begin) out.push_back(s.substr(begin, end - begin));
    begin = end + 1;
  }
  return out;
}

// Float storage `misalign` elements past a 64-byte boundary, so that runs do not differ by the
// allocator's alignment.
struct Buffer {
  float* base;
  float* p;
  Buffer(size_t n, size_t misalign)
      : base(static_cast<float*>(std::aligned_alloc(64, ((n + misalign) * sizeof(float) + 63) / 64 * 64))),
        p(base + misalign) {}
  ~Buffer() { std::free(base); }
};

double now_ns(bool cpu_clock) {
  timespec t;
  clock_gettime(cpu_clock ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &t);
  return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  selu::SimdLevel level = selu::detect_cpu_simd_level();
  if (o.level != "best" && !selu::parse_simd_level(o.level.c_str(), &level)) {
    std::fprintf(stderr, "unknown level %s\n", o.level.c_str());
    return 2;
  }
  if (level > selu::detect_cpu_simd_level()) {
    std::fprintf(stderr, "this CPU lacks %s\n", o.level.c_str());
    return 2;
  }
  if (o.threads > 1) {
    // The ops layer reads the level once, from the environment: it must be set before first use.
    setenv("SELU_KERNELS_SIMD", selu::simd_level_name(level), 1);
    if (selu::active_simd_level() != level) {
      std::fprintf(stderr, "could not force level %s\n", selu::simd_level_name(level));
      return 2;
    }
    selu::ThreadPool::instance().set_threads(o.threads);
  }

  const size_t n = o.n;
  std::vector<uint8_t> mask(n);
  if (o.cpu_clock && o.threads > 1) {
    std::fprintf(stderr, "--clock cpu needs --threads 1\n");
    return 2;
  }
  Buffer x(n, o.misalign), g(n, o.misalign), out(n, o.misalign);
  std::mt19937_64 rng(1);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (size_t i = 0; i < n; ++i) {
    x.p[i] = normal(rng);
    g.p[i] = normal(rng);
    out.p[i] = 0.0f;
  }

  // SELU01 (lib/constants.ts) and the alpha-dropout constants of bench/ops/dropout.js.
  const selu::SeluParams sp{1.0507009873554805, 3.9874847667154144e-17, 1.7580993408473768, 1.4153519380084446e-17};
  const selu::SeluConstants<float> sc = selu::make_selu_constants_f32(sp);
  const double q = 1 - o.rate, ap = -(sp.scale_alpha_hi + sp.scale_alpha_lo);
  const double a = 1 / std::sqrt(q + ap * ap * q * (1 - q)), b = -a * (1 - q) * ap;
  const selu::DropoutParams dp{42, 0, o.rate, a, b, a * ap + b};
  const selu::DropoutConstants<float> dc{static_cast<float>(a), static_cast<float>(b), static_cast<float>(a * ap + b),
                                         selu::philox::keep_threshold(o.rate), 42};
  const bool stream = selu::should_stream(n * sizeof(float));
  const selu::DropoutKernelTable& dt = selu::dropout_kernels(level);
  const selu::SeluKernelTable& st = selu::selu_kernels(level);
  const bool direct = o.threads <= 1;

  struct Op {
    std::string name;
    std::function<void()> run;
  };
  std::vector<Op> all = {
      {"copy", [&] { std::memcpy(out.p, x.p, n * sizeof(float)); }},
      {"selu",
       [&] {
         if (direct) st.forward_f32(x.p, out.p, n, sc, stream);
         else selu::selu_forward(x.p, out.p, n, sp);
       }},
      {"dropout",
       [&] {
         if (direct) dt.forward_f32(x.p, out.p, n, 0, dc, stream);
         else selu::alpha_dropout_forward(x.p, out.p, n, dp);
       }},
      {"mask",
       [&] {
         if (direct) dt.mask(mask.data(), n, 0, dc.seed, dc.threshold);
         else selu::alpha_dropout_mask(mask.data(), n, dc.seed, 0, o.rate);
       }},
      {"selu_dropout",
       [&] {
         if (direct) dt.selu_forward_f32(x.p, out.p, n, 0, dc, sc, stream);
         else selu::selu_alpha_dropout_forward(x.p, out.p, n, dp, sp);
       }},
      {"selu_dropout_backward",
       [&] {
         if (direct) dt.selu_backward_f32(g.p, x.p, out.p, n, 0, dc, sc, stream);
         else selu::selu_alpha_dropout_backward(g.p, x.p, out.p, n, dp, sp);
       }},
  };
  std::vector<Op> ops;
  for (const std::string& name : split_list(o.ops)) {
    auto it = std::find_if(all.begin(), all.end(), [&](const Op& op) { return op.name == name; });
    if (it == all.end()) {
      std::fprintf(stderr, "unknown op %s\n", name.c_str());
      return 2;
    }
    ops.push_back(*it);
  }

  std::vector<std::vector<double>> ns(ops.size());
  for (size_t k = 0; k < ops.size(); ++k) ops[k].run();  // warm-up: page faults, pool start
  for (int r = 0; r < o.rounds; ++r) {
    for (size_t k = 0; k < ops.size(); ++k) {
      const double t0 = now_ns(o.cpu_clock);
      ops[k].run();
      ns[k].push_back((now_ns(o.cpu_clock) - t0) / static_cast<double>(n));
    }
  }
  std::printf("level %s, n %zu, threads %d, rate %g, %d rounds, streaming %s, misalign %zu, %s clock\n",
              selu::simd_level_name(level), n, o.threads, o.rate, o.rounds, stream ? "on" : "off", o.misalign,
              o.cpu_clock ? "cpu" : "wall");
  double copy_ns = 0;
  for (size_t k = 0; k < ops.size(); ++k) {
    std::vector<double> v = ns[k];
    std::sort(v.begin(), v.end());
    const double median = v[v.size() / 2];
    if (ops[k].name == "copy") copy_ns = median;
    std::printf("%-24s median %7.3f ns/element  (min %7.3f, max %7.3f)", ops[k].name.c_str(), median, v.front(),
                v.back());
    if (copy_ns > 0 && ops[k].name != "copy") std::printf("  %5.1f%% of copy", 100.0 * copy_ns / median);
    std::printf("\n");
  }
  return 0;
}
