// SPDX-License-Identifier: MIT
#pragma once
/// Conv1d over time, as PyTorch's nn.Conv1d with stride 1 and zero padding (K - 1) / 2 on both
/// ends (cross-correlation): y_t[o] = bias[o] + sum_i sum_k W[o, i, k] x_{t + k - (K-1)/2}[i],
/// x outside [0, T) = 0. For K = 3 it reads one step ahead (non-causal look-ahead): the schedule
/// runs its target one step behind its source (sim::make_schedule), which is exact.
/// Source: PyTorch torch.nn.Conv1d; golden README section 2.
#include <string>

#include "layers/tensor_source.hpp"
#include "sim/network.hpp"
#include "layers/layer_kind.hpp"

namespace snnsim::layers {

/// Loads `<prefix>.weight` [out, in, kernel] (and `<prefix>.bias` [out] when `bias`).
sim::Conv1d load_conv1d(const TensorSource& src, const std::string& prefix, std::size_t out,
                        std::size_t in, std::size_t kernel, bool bias);

/// The projection of input channels [first, first + count) of `conv` (for a layer whose input is
/// a concatenation of populations); the bias stays with the part that starts at channel 0.
sim::Conv1d input_slice(const sim::Conv1d& conv, std::size_t first, std::size_t count);

/// The "conv1d" layer kind (registry entry; its example is used by the conformance suite).
class Conv1dKind final : public LayerKind {
 public:
  std::string_view name() const override { return "conv1d"; }
  std::string_view summary() const override { return "Conv1d over time, K = 1 or 3 (centred, one-step look-ahead)"; }
  sim::PopulationId build_example(BuildContext& ctx, RandomTensors& tensors, const std::string& prefix,
                                  sim::PopulationId input) const override;
};

}  // namespace snnsim::layers
