// SPDX-License-Identifier: MIT
#include "layers/build_context.hpp"

#include <fmt/format.h>

#include "layers/batch_norm.hpp"

namespace snnsim::layers {

std::string shape_text(const Shape& s) {
  return fmt::format("[{}]", fmt::join(s, ", "));
}

sim::PopulationId add_spiking(BuildContext& ctx, const std::string& name, std::size_t size,
                              const std::string& layer, std::optional<sim::Affine> input_affine) {
  sim::Population p;
  p.name = name;
  p.size = size;
  p.kind = sim::PopulationKind::Spiking;
  p.neuron_model = ctx.neuron_model;
  p.params = ctx.neuron_params ? ctx.neuron_params(name) : sim::ParamValues{};
  p.layer = layer;
  p.input_affine = std::move(input_affine);
  const sim::NeuronModel& model = ctx.neurons.get(p.neuron_model, ctx.weights.origin(), name + ".model");
  p.dynamics = model.instantiate(p.params, p.initial, size, ctx.weights.origin(), name);
  return ctx.net.add_population(std::move(p));
}

sim::PopulationId add_analog(BuildContext& ctx, const std::string& name, std::size_t size,
                             const std::string& layer, std::optional<sim::Affine> input_affine) {
  sim::Population p;
  p.name = name;
  p.size = size;
  p.kind = sim::PopulationKind::Analog;
  p.layer = layer;
  p.input_affine = std::move(input_affine);
  return ctx.net.add_population(std::move(p));
}

sim::PopulationId add_conv_bn_lif(BuildContext& ctx, sim::PopulationId src, const std::string& projection,
                                  sim::Conv1d conv, const std::string& bn, const std::string& lif,
                                  const std::string& layer) {
  fold_batch_norm(load_batch_norm(ctx.weights, bn, conv.out), conv);
  const sim::PopulationId out = add_spiking(ctx, lif, conv.out, layer);
  ctx.net.connect(src, out, {projection, 0, std::move(conv)});
  return out;
}

}  // namespace snnsim::layers
