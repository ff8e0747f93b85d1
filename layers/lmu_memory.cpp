// SPDX-License-Identifier: MIT
#include "layers/lmu_memory.hpp"

#include "layers/linear.hpp"

#include "layers/build_context.hpp"

#include "layers/batch_norm.hpp"

#include "sim/error.hpp"

namespace snnsim::layers {

sim::Conv1d load_lmu_memory(const TensorSource& src, const std::string& prefix, std::size_t memory) {
  const std::string name = prefix + ".H";
  const Shape shape = src.shape(name);
  if (shape.size() != 2 || shape[0] != memory || shape[1] == 0)
    throw Error(src.origin(), name, "shape [" + std::to_string(memory) + ", L] with L >= 1",
                "shape " + shape_text(shape));
  const std::size_t length = shape[1];
  const Tensor h = src.get(name, shape);
  sim::Conv1d c;
  c.out = memory;
  c.in = 1;
  c.kernel = length;
  c.first_offset = -static_cast<int>(length - 1);
  c.weight.resize(memory * length);
  // Tap k reads u_{t - (L - 1) + k}, i.e. the spike k' = L - 1 - k steps ago: weight H[:, k'].
  for (std::size_t i = 0; i < memory; ++i)
    for (std::size_t k = 0; k < length; ++k) c.weight[i * length + k] = h.values[i * length + (length - 1 - k)];
  return c;
}

sim::PopulationId LmuMemoryKind::build_example(BuildContext& ctx, RandomTensors& tensors, const std::string& prefix,
                                  sim::PopulationId input) const {
  const std::size_t in = ctx.net.population(input).size, memory = 24;
  // A strong BatchNorm gain, so that the one-neuron train u fires on some steps and drives m.
  tensors.set(prefix + ".W_u_bn.weight", {{4.0}, {1}});
  const sim::PopulationId u = add_conv_bn_lif(ctx, input, prefix + ".W_u", load_linear(ctx.weights, prefix + ".W_u", 1, in, true),
                                              prefix + ".W_u_bn", prefix + ".W_u_lif", prefix);
  tensors.declare(prefix + ".H", {memory, static_cast<std::size_t>(ctx.net.steps())});
  const sim::PopulationId m = add_analog(ctx, prefix + ".memory", memory, prefix);
  ctx.net.connect(u, m, {prefix + ".H", 0, load_lmu_memory(ctx.weights, prefix, memory)});
  const sim::PopulationId q =
      add_spiking(ctx, prefix + ".f_m", memory, prefix, as_affine(load_batch_norm(ctx.weights, prefix + ".bn_m", memory)));
  ctx.net.connect(m, q, {prefix + ".bn_m", 0, sim::Identity{}});
  return q;
}

}  // namespace snnsim::layers
