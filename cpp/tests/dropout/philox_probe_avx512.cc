// The AVX-512 generator behind a plain function, compiled twice (see CMakeLists.txt): natively with
// the AVX-512 flags (philox_words_avx512_probe, called only on CPUs with AVX-512), and in SIMDe
// emulation with the AVX2 flags (philox_words_avx512_emulated_probe, any x86-64 CPU).
#include "../../selu/selu_math_avx512.h"  // the intrinsics, native or emulated
#include "../../random/philox4x32_avx512.h"
#include "philox_probes.h"

#if defined(SELU_KERNELS_EMULATE_AVX512)
void philox_words_avx512_emulated_probe(uint64_t block, uint64_t seed, uint32_t* out) {
#else
void philox_words_avx512_probe(uint64_t block, uint64_t seed, uint32_t* out) {
#endif
  using selu::philox::Avx512;
  const auto keys = selu::philox::round_keys_simd<Avx512>(seed);
  __m512i words[8];
  selu::philox::philox_words_simd<Avx512, 4>(block, keys, words);
  for (int j = 0; j < 8; ++j) _mm512_storeu_si512(out + 16 * j, words[j]);
}
