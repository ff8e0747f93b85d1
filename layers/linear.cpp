// SPDX-License-Identifier: MIT
#include "layers/linear.hpp"

#include "layers/build_context.hpp"

namespace snnsim::layers {

sim::Conv1d load_linear(const TensorSource& src, const std::string& prefix, std::size_t out,
                        std::size_t in, bool bias) {
  sim::Conv1d c;
  c.out = out;
  c.in = in;
  c.kernel = 1;
  c.first_offset = 0;
  c.weight = src.get(prefix + ".weight", {out, in}).values;
  if (bias) c.bias = src.get(prefix + ".bias", {out}).values;
  return c;
}

sim::PopulationId LinearKind::build_example(BuildContext& ctx, RandomTensors&, const std::string& prefix,
                                  sim::PopulationId input) const {
  const std::size_t in = ctx.net.population(input).size;
  constexpr std::size_t width = 12;
  const sim::PopulationId a = add_conv_bn_lif(ctx, input, prefix + ".a", load_linear(ctx.weights, prefix + ".a", width, in, true),
                                              prefix + ".a_bn", prefix + ".a_lif", prefix);
  return add_conv_bn_lif(ctx, a, prefix + ".b", load_linear(ctx.weights, prefix + ".b", width, width, true),
                         prefix + ".b_bn", prefix + ".b_lif", prefix);
}

}  // namespace snnsim::layers
