// Philox4x32-10 against the Random123 known-answer vectors, the keep threshold, and the vectorised
// generators against the scalar definition (including counters that carry into the high word).
#include <cinttypes>
#include <cstdint>
#include <vector>

#include "../../common/simd_level.h"
#include "../../random/philox4x32.h"
#include "../common/check.h"

#include "philox_probes.h"

using selu::philox::Block;

static void known_answers() {
  struct Kat {
    uint32_t ctr[4], key[2], expect[4];
  };
  // Random123 kat_vectors, philox4x32 10 rounds.
  const Kat kats[] = {
      {{0, 0, 0, 0}, {0, 0}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
      {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff},
       {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
      {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0},
       {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
  };
  for (const Kat& k : kats) {
    const Block b = selu::philox::philox4x32_10(k.ctr[0], k.ctr[1], k.ctr[2], k.ctr[3], k.key[0], k.key[1]);
    for (int j = 0; j < 4; ++j) {
      CHECK(b.w[j] == k.expect[j], "ctr %08x.. word %d: got %08x want %08x", k.ctr[0], j, b.w[j], k.expect[j]);
    }
  }
  // The stream's counter layout: block index in words 0 and 1, seed as the key.
  const Block b = selu::philox::stream_block(0x0123456789abcdefull, 0xfedcba9876543210ull);
  const Block r = selu::philox::philox4x32_10(0x76543210, 0xfedcba98, 0, 0, 0x89abcdef, 0x01234567);
  for (int j = 0; j < 4; ++j) CHECK(b.w[j] == r.w[j], "stream_block layout, word %d", j);
  const Block z = selu::philox::stream_block(0, 0);
  CHECK(z.w[0] == 0x6627e8d5 && z.w[1] == 0xe169c58d, "stream_block(0, 0)");
  CHECK(selu::philox::stream_word(0, 2) == 0xbc57ac4c, "element 2 of the stream is word 2 of block 0");
}

static void thresholds() {
  using selu::philox::keep;
  using selu::philox::keep_threshold;
  CHECK(keep_threshold(0.0) == (uint64_t{1} << 32), "rate 0 -> 2^32");
  CHECK(keep_threshold(0.5) == (uint64_t{1} << 31), "rate 0.5 -> 2^31");
  CHECK(keep_threshold(0.1) == 3865470566ull, "rate 0.1 -> floor(0.9 * 2^32) = %" PRIu64, keep_threshold(0.1));
  CHECK(keep_threshold(0.75) == (uint64_t{1} << 30), "rate 0.75");
  CHECK(keep(0xffffffffu, keep_threshold(0.0)), "rate 0 keeps the largest word");
  CHECK(!keep(0u, keep_threshold(1.0 - 0x1p-40)), "T = 0 keeps nothing");
  CHECK(keep(0x7fffffffu, uint64_t{1} << 31) && !keep(0x80000000u, uint64_t{1} << 31), "r < T strictly");
}

static void stream_words_match_blocks() {
  const uint64_t seed = 0x0123456789abcdefull;
  for (uint64_t first : {uint64_t{0}, uint64_t{1}, uint64_t{3}, uint64_t{5}, (uint64_t{1} << 34) - 3,
                         ~uint64_t{0} - 40}) {
    uint32_t w[37];
    selu::philox::stream_words(seed, first, 37, w);
    for (int i = 0; i < 37; ++i) CHECK(w[i] == selu::philox::stream_word(seed, first + i), "stream_words at %d", i);
  }
}

// Compares a vectorised generator (`words` fills `per_call` elements from block b on) with the
// scalar stream.
static void simd_matches_scalar(const char* name, void (*words_fn)(uint64_t, uint64_t, uint32_t*), int per_call) {
  const uint64_t seeds[] = {0, 1, 0xdeadbeefcafef00dull, ~uint64_t{0}};
  // Blocks around the 2^32 carry of the low counter word, and the largest block index (g < 2^64).
  std::vector<uint64_t> blocks = {0, 1, 7, 0xfffffff8ull, 0xfffffffaull, 0xffffffffull, 0x1fffffffdull,
                                  (uint64_t{1} << 62) - 32, 0x123456789ull};
  uint64_t s = 88172645463325252ull;
  for (int i = 0; i < 200; ++i) {
    s ^= s << 13, s ^= s >> 7, s ^= s << 17;
    blocks.push_back(s >> 3);
  }
  for (uint64_t seed : seeds) {
    for (uint64_t b : blocks) {
      uint32_t words[128];
      words_fn(b, seed, words);
      for (int e = 0; e < per_call; ++e) {
        const uint32_t want = selu::philox::stream_word(seed, 4 * b + e);
        CHECK(words[e] == want, "%s block %" PRIx64 " element %d: %08x vs %08x", name, b, e, words[e], want);
      }
    }
  }
}

int main() {
  known_answers();
  thresholds();
  stream_words_match_blocks();
#if defined(SELU_KERNELS_HAVE_X86_SIMD)
  if (selu::detect_cpu_simd_level() >= selu::SimdLevel::kAvx2) {
    simd_matches_scalar("avx2", philox_words_avx2_probe, 64);
  } else {
    std::printf("philox avx2: skipped (CPU lacks AVX2)\n");
  }
  if (selu::detect_cpu_simd_level() >= selu::SimdLevel::kAvx512) {
    simd_matches_scalar("avx512", philox_words_avx512_probe, 128);
  } else {
    std::printf("philox avx512: skipped natively (CPU lacks AVX-512)\n");
  }
#endif
#if defined(SELU_TEST_EMULATED_AVX512)
  simd_matches_scalar("avx512 (emulated)", philox_words_avx512_emulated_probe, 128);
#else
  std::printf("philox avx512 (emulated): skipped (built without SIMDe)\n");
#endif
  return native_test::finish("dropout_philox_test");
}
