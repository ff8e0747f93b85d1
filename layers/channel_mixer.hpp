// SPDX-License-Identifier: MIT
#pragma once
/// The LMUFormer's spiking channel mixer (module `block.j.mlp.`), on stream z:
///   g1 = LIF[fc1_lif](BN(fc1_bn, z))          D neurons
///   f1 = Conv1(fc1_conv, g1)                  [H, D, 1] + bias, fc2_bn folded in
///   g2 = LIF[fc2_lif](BN(fc2_bn, f1))         H = 4D neurons in the shipped model
///   z' = z + Conv1(fc2_conv, g2)              [D, H, 1] + bias; returned
/// Source: LMUFormer (arXiv 2402.04882) MLP block; golden README section 3.
#include <string>

#include "layers/build_context.hpp"
#include "layers/layer_kind.hpp"

namespace snnsim::layers {

sim::PopulationId build_channel_mixer(BuildContext& ctx, const std::string& prefix, sim::PopulationId z,
                                      std::size_t hidden);

/// The "channel_mixer" layer kind (registry entry; its example is used by the conformance suite).
class ChannelMixerKind final : public LayerKind {
 public:
  std::string_view name() const override { return "channel_mixer"; }
  std::string_view summary() const override { return "LMUFormer spiking channel mixer (MLP, 4x hidden), residual"; }
  sim::PopulationId build_example(BuildContext& ctx, RandomTensors& tensors, const std::string& prefix,
                                  sim::PopulationId input) const override;
};

}  // namespace snnsim::layers
