// SPDX-License-Identifier: MIT
#include "layers/patch_embed.hpp"

#include "layers/batch_norm.hpp"
#include "layers/conv1d.hpp"

namespace snnsim::layers {

namespace {

/// Conv3 with its BatchNorm folded in, feeding a new LIF population.
sim::PopulationId conv_bn_lif(BuildContext& ctx, const std::string& prefix, sim::PopulationId src,
                              const std::string& conv, const std::string& bn, const std::string& lif,
                              std::size_t dim) {
  const std::size_t in = ctx.net.population(src).size;
  return add_conv_bn_lif(ctx, src, prefix + "." + conv, load_conv1d(ctx.weights, prefix + "." + conv, dim, in, 3, false),
                         prefix + "." + bn, prefix + "." + lif, prefix);
}

}  // namespace

sim::PopulationId build_patch_embed(BuildContext& ctx, const std::string& prefix, sim::PopulationId input,
                                    std::size_t dim) {
  const sim::PopulationId s0 = conv_bn_lif(ctx, prefix, input, "proj_conv", "proj_bn", "proj_lif", dim);
  const sim::PopulationId s1 = conv_bn_lif(ctx, prefix, s0, "proj_conv1", "proj_bn1", "proj_lif1", dim);
  const sim::PopulationId s2 = conv_bn_lif(ctx, prefix, s1, "proj_conv2", "proj_bn2", "proj_lif2", dim);

  const sim::PopulationId e3 = add_analog(ctx, prefix + ".proj_conv3", dim, prefix);
  ctx.net.connect(s2, e3, {prefix + ".proj_conv3", 0, load_conv1d(ctx.weights, prefix + ".proj_conv3", dim, dim, 3, false)});

  // e3 is used raw by the residual and through BN by proj_lif3: the BN is the LIF's input affine.
  const sim::PopulationId s3 = add_spiking(ctx, prefix + ".proj_lif3", dim, prefix,
                                           as_affine(load_batch_norm(ctx.weights, prefix + ".proj_bn3", dim)));
  ctx.net.connect(e3, s3, {prefix + ".proj_bn3", 0, sim::Identity{}});

  const sim::PopulationId z = add_analog(ctx, prefix + ".out", dim, prefix);
  ctx.net.connect(e3, z, {prefix + ".residual", 0, sim::Identity{}});
  ctx.net.connect(s3, z, {prefix + ".rpe_conv", 0, load_conv1d(ctx.weights, prefix + ".rpe_conv", dim, dim, 3, false)});
  return z;
}

sim::PopulationId PatchEmbedKind::build_example(BuildContext& ctx, RandomTensors&, const std::string& prefix,
                                  sim::PopulationId input) const {
  return build_patch_embed(ctx, prefix, input, 12);
}

}  // namespace snnsim::layers
