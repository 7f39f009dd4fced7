// The vectorised Philox generators behind plain functions, each compiled in its own file with its
// ISA's flags, so the test driver itself needs none.
#pragma once

#include <cstdint>

// Words of elements 4·block .. 4·block + 63 (AVX2, four sets of 4 blocks) into out[0 .. 64).
void philox_words_avx2_probe(uint64_t block, uint64_t seed, uint32_t* out);

// Words of elements 4·block .. 4·block + 127 (AVX-512, four sets of 8 blocks) into out[0 .. 128):
// natively (call only where the CPU has AVX-512) and in SIMDe emulation.
void philox_words_avx512_probe(uint64_t block, uint64_t seed, uint32_t* out);
void philox_words_avx512_emulated_probe(uint64_t block, uint64_t seed, uint32_t* out);
