// SPDX-License-Identifier: MIT
#pragma once
/// What a layer needs to lower itself onto the network graph.
#include <functional>
#include <optional>
#include <string>

#include "layers/tensor_source.hpp"
#include "sim/network.hpp"

namespace snnsim::layers {

struct BuildContext {
  sim::Network& net;
  const TensorSource& weights;
  const sim::NeuronRegistry& neurons;
  /// The neuron model and its parameters for the spiking layer `name` (a PyTorch module path).
  std::string neuron_model = "lif";
  std::function<sim::ParamValues(const std::string& name)> neuron_params;
};

/// Adds a spiking population `name` of `size` neurons of the context's model; `input_affine`
/// transforms its summed input (an unfolded BatchNorm).
sim::PopulationId add_spiking(BuildContext& ctx, const std::string& name, std::size_t size,
                              const std::string& layer, std::optional<sim::Affine> input_affine = {});

/// A projection `conv` (named `projection`) with the BatchNorm `<bn>` folded into it, feeding a new
/// spiking population `lif`: the "Conv + BN + LIF" unit of the LMUFormer.
sim::PopulationId add_conv_bn_lif(BuildContext& ctx, sim::PopulationId src, const std::string& projection,
                                  sim::Conv1d conv, const std::string& bn, const std::string& lif,
                                  const std::string& layer);

/// Adds a real-valued stream population (a sum of projections, optionally affine-transformed).
sim::PopulationId add_analog(BuildContext& ctx, const std::string& name, std::size_t size,
                             const std::string& layer, std::optional<sim::Affine> input_affine = {});

}  // namespace snnsim::layers
