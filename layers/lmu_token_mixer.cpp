// SPDX-License-Identifier: MIT
#include "layers/lmu_token_mixer.hpp"

#include "layers/batch_norm.hpp"
#include "layers/conv1d.hpp"
#include "layers/linear.hpp"
#include "layers/lmu_memory.hpp"

namespace snnsim::layers {

sim::PopulationId build_lmu_token_mixer(BuildContext& ctx, const std::string& prefix, sim::PopulationId z,
                                        std::size_t memory) {
  const TensorSource& w = ctx.weights;
  const std::size_t dim = ctx.net.population(z).size;
  const std::string lmu = prefix + ".lmu";

  const sim::PopulationId p =
      add_spiking(ctx, prefix + ".prev_lif", dim, prefix, as_affine(load_batch_norm(w, prefix + ".prev_bn", dim)));
  ctx.net.connect(z, p, {prefix + ".prev_bn", 0, sim::Identity{}});

  sim::Conv1d wu = load_linear(w, lmu + ".W_u", 1, dim, true);
  fold_batch_norm(load_batch_norm(w, lmu + ".bn_u", 1), wu);
  const sim::PopulationId u = add_spiking(ctx, lmu + ".f_u", 1, prefix);
  ctx.net.connect(p, u, {lmu + ".W_u", 0, std::move(wu)});

  const sim::PopulationId m = add_analog(ctx, lmu + ".memory", memory, prefix);
  ctx.net.connect(u, m, {lmu + ".H", 0, load_lmu_memory(w, lmu, memory)});

  const sim::PopulationId q =
      add_spiking(ctx, lmu + ".f_m", memory, prefix, as_affine(load_batch_norm(w, lmu + ".bn_m", memory)));
  ctx.net.connect(m, q, {lmu + ".bn_m", 0, sim::Identity{}});

  sim::Conv1d wh = load_linear(w, lmu + ".W_h", dim, memory + dim, true);
  fold_batch_norm(load_batch_norm(w, lmu + ".bn_h", dim), wh);
  const sim::PopulationId h = add_spiking(ctx, lmu + ".f_h", dim, prefix);
  ctx.net.connect(q, h, {lmu + ".W_h[memory]", 0, input_slice(wh, 0, memory)});
  ctx.net.connect(p, h, {lmu + ".W_h[input]", 0, input_slice(wh, memory, dim)});

  sim::Conv1d proj = load_conv1d(w, prefix + ".proj_conv", dim, dim, 1, true);
  fold_batch_norm(load_batch_norm(w, prefix + ".proj_bn", dim), proj);
  const sim::PopulationId out = add_analog(ctx, prefix + ".out", dim, prefix);
  ctx.net.connect(z, out, {prefix + ".residual", 0, sim::Identity{}});
  ctx.net.connect(h, out, {prefix + ".proj_conv", 0, std::move(proj)});
  return out;
}

sim::PopulationId LmuTokenMixerKind::build_example(BuildContext& ctx, RandomTensors& tensors, const std::string& prefix,
                                  sim::PopulationId input) const {
  const std::size_t memory = 2 * ctx.net.population(input).size;
  tensors.declare(prefix + ".lmu.H", {memory, static_cast<std::size_t>(ctx.net.steps())});
  return build_lmu_token_mixer(ctx, prefix, input, memory);
}

}  // namespace snnsim::layers
