// SPDX-License-Identifier: MIT
#pragma once
/// The x86-64 instruction sets the hot kernels are compiled for. Each kernel exists once per
/// instruction set with the same float operations in the same order in every lane, so results
/// are bit-identical on any machine; the best one this processor runs is used, and tests run
/// every one it runs (supported_isas()).
#include <vector>

/// SNNSIM_CLONES before a function compiles it for AVX-512, AVX2 and the baseline, and the loader
/// picks the best this processor runs: for simple loops (affine, counters) that need no
/// hand-written version.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SNNSIM_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#define SNNSIM_X86_ISAS 1
#else
#define SNNSIM_CLONES
#endif

namespace snnsim::sim {

enum class Isa { avx512, avx2, baseline };

/// The instruction sets this processor runs, best first; the last is always the baseline.
std::vector<Isa> supported_isas();

/// The first of supported_isas().
Isa best_isa();

}  // namespace snnsim::sim
