// SPDX-License-Identifier: MIT
#pragma once
/// The Legendre Memory Unit's memory driven by a one-neuron spike train u:
///   m_t = sum_{k=0..t} H[:, k] u_{t-k}   (the recurrence m_t = A m_{t-1} + B u_t, unrolled),
/// with the stored impulse response H [M, L] (H[:, k] = A^k B, zero-order-hold discretisation of
/// the LMU's continuous system, theta = window). Lowered to a causal Conv1d of kernel L with
/// first_offset -(L - 1), so an event backend adds the column H[:, t - j] for each past spike
/// time j (the sum of impulse-response columns), earliest spike first. The stored H is used as
/// is: recomputing it in float32 differs by up to 7e-7 (golden README section 4).
/// Source: Voelker et al., NeurIPS 2019; LMUFormer (arXiv 2402.04882); golden README section 4.
#include <string>

#include "layers/tensor_source.hpp"
#include "sim/network.hpp"
#include "layers/layer_kind.hpp"

namespace snnsim::layers {

/// Loads `<prefix>.H` [memory, L] as a causal filter from one input channel to `memory` outputs.
sim::Conv1d load_lmu_memory(const TensorSource& src, const std::string& prefix, std::size_t memory);

/// The "lmu_memory" layer kind (registry entry; its example is used by the conformance suite).
class LmuMemoryKind final : public LayerKind {
 public:
  std::string_view name() const override { return "lmu_memory"; }
  std::string_view summary() const override { return "LMU memory m_t = sum_k H[:,k] u_{t-k} of a one-neuron spike train"; }
  sim::PopulationId build_example(BuildContext& ctx, RandomTensors& tensors, const std::string& prefix,
                                  sim::PopulationId input) const override;
};

}  // namespace snnsim::layers
