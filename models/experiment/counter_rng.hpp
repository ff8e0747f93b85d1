// SPDX-License-Identifier: MIT
#pragma once
/// Counter-based random numbers (Random123's Philox4x32-10, Salmon et al. SC'11): every draw is a
/// pure function of (seed, stream, a, b, c), so a value never depends on how many other values
/// were drawn before it, in which order, or by how many threads. Streams separate the uses:
/// Poisson source p draws (stream = poisson + p, neuron, step), projection j draws
/// (stream = connectivity + j, source or target, index).
#include <Random123/philox.h>

#include <cstdint>

namespace snnsim::models {

enum class RngStream : std::uint32_t { poisson = 0x10000000u, connectivity = 0x20000000u };

/// A uniform double in [0, 1) with 53 random bits.
inline double uniform01(std::uint64_t seed, RngStream stream, std::uint32_t index, std::uint32_t a, std::uint64_t b) {
  r123::Philox4x32 philox;
  const r123::Philox4x32::ctr_type counter = {{static_cast<std::uint32_t>(stream) + index, a,
                                               static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(b >> 32)}};
  const r123::Philox4x32::key_type key = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  const r123::Philox4x32::ctr_type r = philox(counter, key);
  const std::uint64_t bits = (static_cast<std::uint64_t>(r.v[0]) << 21) ^ (r.v[1] >> 11);  // 53 bits
  return static_cast<double>(bits & ((std::uint64_t{1} << 53) - 1)) * 0x1.0p-53;
}

}  // namespace snnsim::models
