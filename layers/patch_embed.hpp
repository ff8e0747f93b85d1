// SPDX-License-Identifier: MIT
#pragma once
/// The LMUFormer's spiking patch embedding (module `patch_embed.`), input x_t in R^F:
///   e0 = Conv3(proj_conv, x)                 [D, F, 3], no bias; real-valued input (MACs)
///   s0 = LIF[proj_lif](BN(proj_bn, e0))
///   e1 = Conv3(proj_conv1, s0); s1 = LIF[proj_lif1](BN(proj_bn1, e1))
///   e2 = Conv3(proj_conv2, s1); s2 = LIF[proj_lif2](BN(proj_bn2, e2))
///   e3 = Conv3(proj_conv3, s2)               kept as a float stream
///   s3 = LIF[proj_lif3](BN(proj_bn3, e3))
///   z  = e3 + Conv3(rpe_conv, s3)            the float residual stream, D channels
/// BatchNorms after a convolution are folded into it; BN(proj_bn3) is applied to the stream e3.
/// Five stacked K = 3 convolutions: z_t depends on x up to t + 5 (the schedule's lag).
/// Source: LMUFormer (arXiv 2402.04882) ConvLMU patch embedding; golden README section 3.
#include <string>

#include "layers/build_context.hpp"
#include "layers/layer_kind.hpp"

namespace snnsim::layers {

/// Lowers the patch embedding after `input`; returns the stream z. `dim` = D.
sim::PopulationId build_patch_embed(BuildContext& ctx, const std::string& prefix, sim::PopulationId input,
                                    std::size_t dim);

/// The "patch_embed" layer kind (registry entry; its example is used by the conformance suite).
class PatchEmbedKind final : public LayerKind {
 public:
  std::string_view name() const override { return "patch_embed"; }
  std::string_view summary() const override { return "LMUFormer spiking patch embedding (4 Conv3+BN+LIF, RPE residual)"; }
  sim::PopulationId build_example(BuildContext& ctx, RandomTensors& tensors, const std::string& prefix,
                                  sim::PopulationId input) const override;
};

}  // namespace snnsim::layers
