// SPDX-License-Identifier: MIT
#include "layers/classifier_head.hpp"

#include "layers/batch_norm.hpp"
#include "layers/linear.hpp"

namespace snnsim::layers {

sim::PopulationId build_classifier_head(BuildContext& ctx, sim::PopulationId z, const std::string& bn,
                                        const std::string& lif, const std::string& linear) {
  const std::size_t dim = ctx.net.population(z).size;
  const Shape shape = ctx.weights.shape(linear + ".weight");
  const std::size_t classes = shape.empty() ? 0 : shape[0];
  const sim::PopulationId sh = add_spiking(ctx, lif, dim, lif, as_affine(load_batch_norm(ctx.weights, bn, dim)));
  ctx.net.connect(z, sh, {bn, 0, sim::Identity{}});
  const sim::PopulationId y = add_analog(ctx, linear, classes, linear);
  ctx.net.connect(sh, y, {linear, 0, load_linear(ctx.weights, linear, classes, dim, true)});
  ctx.net.add_output(y, "logits");
  return y;
}

sim::PopulationId ClassifierHeadKind::build_example(BuildContext& ctx, RandomTensors& tensors, const std::string& prefix,
                                  sim::PopulationId input) const {
  tensors.declare(prefix + ".weight", {5, ctx.net.population(input).size});
  return build_classifier_head(ctx, input, prefix + "_bn", prefix + "_lif", prefix);
}

}  // namespace snnsim::layers
