// SPDX-License-Identifier: MIT
#pragma once
/// SNNSIM_CLONES before a function compiles it for AVX-512, AVX2 and the baseline, and the loader
/// picks the best this processor runs. For the simple loops that run once per population and
/// step or per trial (affine, counters): the same operations in the same order in each version.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SNNSIM_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define SNNSIM_CLONES
#endif
