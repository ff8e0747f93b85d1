// SPDX-License-Identifier: MIT
#pragma once
/// Linear (PyTorch nn.Linear): y_t = W x_t + b with W [out, in], applied at every time step; a
/// Conv1d of kernel 1. Source: PyTorch torch.nn.Linear; golden README section 2.
#include <string>

#include "layers/tensor_source.hpp"
#include "sim/network.hpp"
#include "layers/layer_kind.hpp"

namespace snnsim::layers {

/// Loads `<prefix>.weight` [out, in] (and `<prefix>.bias` [out] when `bias`).
sim::Conv1d load_linear(const TensorSource& src, const std::string& prefix, std::size_t out,
                        std::size_t in, bool bias);

/// The "linear" layer kind (registry entry; its example is used by the conformance suite).
class LinearKind final : public LayerKind {
 public:
  std::string_view name() const override { return "linear"; }
  std::string_view summary() const override { return "Linear y = W x + b at every time step"; }
  sim::PopulationId build_example(BuildContext& ctx, RandomTensors& tensors, const std::string& prefix,
                                  sim::PopulationId input) const override;
};

}  // namespace snnsim::layers
