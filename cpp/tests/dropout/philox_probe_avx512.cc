// Compiled only in SIMDe emulation (see CMakeLists.txt): the AVX-512 generator on any x86-64 CPU.
#include "../../selu/selu_math_avx512.h"  // the intrinsics, emulated
#include "../../random/philox4x32_avx512.h"
#include "philox_probes.h"

void philox_words_avx512_emulated_probe(uint64_t block, uint64_t seed, uint32_t* out) {
  const selu::philox::RoundKeysAvx512 keys = selu::philox::round_keys_avx512(seed);
  __m512i words[8];
  selu::philox::philox_words_avx512<2>(block, keys, words);
  for (int j = 0; j < 8; ++j) _mm512_storeu_si512(out + 16 * j, words[j]);
}
