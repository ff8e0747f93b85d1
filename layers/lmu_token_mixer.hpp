// SPDX-License-Identifier: MIT
#pragma once
/// The LMUFormer token mixer with its spiking LMU cell (module `block.j.attn.`), on stream z:
///   p   = LIF[prev_lif](BN(prev_bn, z))                  threshold 0.5 in the shipped model
///   a_t = W_u p_t + b_u                                   lmu.W_u [1, D]: one scalar per step
///   u   = LIF[lmu.f_u](BN(lmu.bn_u, a))                   one neuron
///   m_t = sum_k H[:, k] u_{t-k}                           the LMU memory (layers/lmu_memory)
///   q   = LIF[lmu.f_m](BN(lmu.bn_m, m))                   M neurons
///   c_t = W_h [q_t ; p_t] + b_h                           lmu.W_h [D, M + D]
///   h   = LIF[lmu.f_h](BN(lmu.bn_h, c))                   D neurons
///   z'  = z + BN(proj_bn, Conv1(proj_conv, h))            returned
/// W_h becomes two projections (from q, then from p: the order of the concatenation), each with
/// bn_h folded in. Source: LMUFormer (arXiv 2402.04882) SLMUMs; golden README sections 3-4.
#include <string>

#include "layers/build_context.hpp"
#include "layers/layer_kind.hpp"

namespace snnsim::layers {

sim::PopulationId build_lmu_token_mixer(BuildContext& ctx, const std::string& prefix, sim::PopulationId z,
                                        std::size_t memory);

/// The "lmu_token_mixer" layer kind (registry entry; its example is used by the conformance suite).
class LmuTokenMixerKind final : public LayerKind {
 public:
  std::string_view name() const override { return "lmu_token_mixer"; }
  std::string_view summary() const override { return "LMUFormer token mixer: spiking LMU cell + projection, residual"; }
  sim::PopulationId build_example(BuildContext& ctx, RandomTensors& tensors, const std::string& prefix,
                                  sim::PopulationId input) const override;
};

}  // namespace snnsim::layers
