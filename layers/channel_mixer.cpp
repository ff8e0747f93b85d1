// SPDX-License-Identifier: MIT
#include "layers/channel_mixer.hpp"

#include "layers/batch_norm.hpp"
#include "layers/conv1d.hpp"

namespace snnsim::layers {

sim::PopulationId build_channel_mixer(BuildContext& ctx, const std::string& prefix, sim::PopulationId z,
                                      std::size_t hidden) {
  const TensorSource& w = ctx.weights;
  const std::size_t dim = ctx.net.population(z).size;

  const sim::PopulationId g1 =
      add_spiking(ctx, prefix + ".fc1_lif", dim, prefix, as_affine(load_batch_norm(w, prefix + ".fc1_bn", dim)));
  ctx.net.connect(z, g1, {prefix + ".fc1_bn", 0, sim::Identity{}});

  sim::Conv1d fc1 = load_conv1d(w, prefix + ".fc1_conv", hidden, dim, 1, true);
  fold_batch_norm(load_batch_norm(w, prefix + ".fc2_bn", hidden), fc1);
  const sim::PopulationId g2 = add_spiking(ctx, prefix + ".fc2_lif", hidden, prefix);
  ctx.net.connect(g1, g2, {prefix + ".fc1_conv", 0, std::move(fc1)});

  const sim::PopulationId out = add_analog(ctx, prefix + ".out", dim, prefix);
  ctx.net.connect(z, out, {prefix + ".residual", 0, sim::Identity{}});
  ctx.net.connect(g2, out, {prefix + ".fc2_conv", 0, load_conv1d(w, prefix + ".fc2_conv", dim, hidden, 1, true)});
  return out;
}

sim::PopulationId ChannelMixerKind::build_example(BuildContext& ctx, RandomTensors&, const std::string& prefix,
                                  sim::PopulationId input) const {
  return build_channel_mixer(ctx, prefix, input, 4 * ctx.net.population(input).size);
}

}  // namespace snnsim::layers
