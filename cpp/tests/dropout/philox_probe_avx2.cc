// Compiled with -mavx2 -mfma (see CMakeLists.txt).
#include <immintrin.h>

#include "../../random/philox4x32_avx2.h"
#include "philox_probes.h"

void philox_words_avx2_probe(uint64_t block, uint64_t seed, uint32_t* out) {
  using selu::philox::Avx2;
  const auto keys = selu::philox::round_keys_simd<Avx2>(seed);
  __m256i words[8];
  selu::philox::philox_words_simd<Avx2, 4>(block, keys, words);
  for (int j = 0; j < 8; ++j) _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 8 * j), words[j]);
}
