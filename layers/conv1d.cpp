// SPDX-License-Identifier: MIT
#include "layers/conv1d.hpp"

#include "layers/build_context.hpp"

namespace snnsim::layers {

sim::Conv1d load_conv1d(const TensorSource& src, const std::string& prefix, std::size_t out,
                        std::size_t in, std::size_t kernel, bool bias) {
  sim::Conv1d c;
  c.out = out;
  c.in = in;
  c.kernel = kernel;
  c.first_offset = -static_cast<int>((kernel - 1) / 2);
  c.weight = src.get(prefix + ".weight", {out, in, kernel}).values;
  if (bias) c.bias = src.get(prefix + ".bias", {out}).values;
  return c;
}

sim::Conv1d input_slice(const sim::Conv1d& conv, std::size_t first, std::size_t count) {
  sim::Conv1d c;
  c.out = conv.out;
  c.in = count;
  c.kernel = conv.kernel;
  c.first_offset = conv.first_offset;
  c.weight.resize(c.out * count * c.kernel);
  for (std::size_t o = 0; o < c.out; ++o)
    for (std::size_t i = 0; i < count; ++i)
      for (std::size_t k = 0; k < c.kernel; ++k)
        c.weight[(o * count + i) * c.kernel + k] = conv.weight[(o * conv.in + first + i) * conv.kernel + k];
  if (first == 0) c.bias = conv.bias;
  return c;
}

sim::PopulationId Conv1dKind::build_example(BuildContext& ctx, RandomTensors&, const std::string& prefix,
                                  sim::PopulationId input) const {
  const std::size_t in = ctx.net.population(input).size;
  constexpr std::size_t width = 12;
  // K = 3 on real values (MACs), then K = 3 and K = 1 on spikes (accumulates).
  const sim::PopulationId a = add_conv_bn_lif(ctx, input, prefix + ".k3a", load_conv1d(ctx.weights, prefix + ".k3a", width, in, 3, false),
                                              prefix + ".k3a_bn", prefix + ".k3a_lif", prefix);
  const sim::PopulationId b = add_conv_bn_lif(ctx, a, prefix + ".k3b", load_conv1d(ctx.weights, prefix + ".k3b", width, width, 3, true),
                                              prefix + ".k3b_bn", prefix + ".k3b_lif", prefix);
  return add_conv_bn_lif(ctx, b, prefix + ".k1", load_conv1d(ctx.weights, prefix + ".k1", width, width, 1, true),
                         prefix + ".k1_bn", prefix + ".k1_lif", prefix);
}

}  // namespace snnsim::layers
