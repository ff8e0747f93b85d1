// SPDX-License-Identifier: MIT
#pragma once
/// How a Loihi synapse group stores and applies its weights, as Lava's bit-accurate Dense does
/// (lava-nc/lava src/lava/proc/dense/models.py PyDenseModelBitAcc.run_spk and
/// src/lava/utils/weightutils.py determine_sign_mode / clip_weights / truncate_weights):
///   - sign mode: excitatory when every weight >= 0, inhibitory when every weight <= 0 (and some
///     < 0), else mixed;
///   - clip (8 bits): mixed to [-256, 255], excitatory to [0, 255], inhibitory to [-255, 0]
///     (negated, clipped to [0, 255], negated back);
///   - truncate to num_weight_bits: drop (8 - num_weight_bits + [mixed]) low bits by an
///     arithmetic shift right then left (on the negated weights for inhibitory), so a mixed
///     8-bit group holds even values in [-256, 254]: 8 bits of mantissa;
///   - per step, the group's weights of the spiking inputs are summed, then the sum is shifted by
///     the weight exponent (left for e > 0, arithmetic right, i.e. floor, for e <= 0) and sent one
///     step later to the compartments, which shift it left by 6 more bits (neurons/loihi_cuba.hpp).
#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

namespace snnsim::hw_backends::loihi {

enum class SignMode { Mixed, Excitatory, Inhibitory };

inline SignMode sign_mode(std::span<const std::int64_t> w) {
  if (w.empty()) return SignMode::Excitatory;
  const auto [lo, hi] = std::minmax_element(w.begin(), w.end());
  if (*lo >= 0) return SignMode::Excitatory;
  if (*hi <= 0) return SignMode::Inhibitory;
  return SignMode::Mixed;
}

/// The weights a Lava Dense of `num_weight_bits` actually uses for the given integer weights.
inline std::vector<std::int64_t> effective_weights(std::span<const std::int64_t> w, int num_weight_bits) {
  const SignMode mode = sign_mode(w);
  const bool mixed = mode == SignMode::Mixed, inhibitory = mode == SignMode::Inhibitory;
  const int drop = 8 - num_weight_bits + (mixed ? 1 : 0);
  std::vector<std::int64_t> out(w.size());
  for (std::size_t i = 0; i < w.size(); ++i) {
    std::int64_t x = inhibitory ? -w[i] : w[i];
    x = std::clamp<std::int64_t>(x, mixed ? -256 : 0, 255);
    x = (x >> drop) * (std::int64_t{1} << drop);
    out[i] = inhibitory ? -x : x;
  }
  return out;
}

/// The dendritic sum scaled by the group's weight exponent (floor for a right shift).
constexpr std::int64_t apply_weight_exp(std::int64_t sum, int weight_exp) {
  return weight_exp > 0 ? sum * (std::int64_t{1} << weight_exp) : sum >> (-weight_exp);
}

}  // namespace snnsim::hw_backends::loihi
