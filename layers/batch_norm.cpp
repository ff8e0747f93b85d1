// SPDX-License-Identifier: MIT
#include "layers/batch_norm.hpp"

#include "layers/build_context.hpp"

#include <cmath>

#include <fmt/format.h>

#include "sim/error.hpp"

namespace snnsim::layers {

BatchNorm load_batch_norm(const TensorSource& src, const std::string& prefix, std::size_t channels) {
  const Tensor mean = src.get(prefix + ".running_mean", {channels});
  const Tensor var = src.get(prefix + ".running_var", {channels});
  const Tensor gamma = src.get(prefix + ".weight", {channels});
  const Tensor beta = src.get(prefix + ".bias", {channels});
  BatchNorm bn;
  constexpr float eps = 1e-5f;
  for (std::size_t c = 0; c < channels; ++c) {
    if (var.values[c] < 0)
      throw Error(src.origin(), prefix + ".running_var", "values >= 0",
                  fmt::format("{:g} at index {}", var.values[c], c));
    const float invstd = 1.0f / std::sqrt(static_cast<float>(var.values[c]) + eps);
    const float a = invstd * static_cast<float>(gamma.values[c]);
    bn.mean.push_back(static_cast<float>(mean.values[c]));
    bn.scale.push_back(a);
    bn.beta.push_back(static_cast<float>(beta.values[c]));
    bn.shift.push_back(static_cast<float>(beta.values[c]) - static_cast<float>(mean.values[c]) * a);
  }
  return bn;
}

void fold_batch_norm(const BatchNorm& bn, sim::Conv1d& conv) {
  const std::size_t row = conv.in * conv.kernel;
  for (std::size_t o = 0; o < conv.out; ++o)
    for (std::size_t j = 0; j < row; ++j)
      conv.weight[o * row + j] = static_cast<float>(conv.weight[o * row + j]) * bn.scale[o];
  const bool had_bias = !conv.bias.empty();
  conv.bias.resize(conv.out);
  for (std::size_t o = 0; o < conv.out; ++o) {
    const float b = had_bias ? static_cast<float>(conv.bias[o]) : 0.0f;
    conv.bias[o] = (b - bn.mean[o]) * bn.scale[o] + bn.beta[o];
  }
}

sim::Affine as_affine(const BatchNorm& bn) {
  sim::Affine a;
  a.scale.assign(bn.scale.begin(), bn.scale.end());
  a.shift.assign(bn.shift.begin(), bn.shift.end());
  return a;
}

sim::PopulationId BatchNormKind::build_example(BuildContext& ctx, RandomTensors&, const std::string& prefix,
                                  sim::PopulationId input) const {
  const std::size_t n = ctx.net.population(input).size;
  const sim::PopulationId s = add_spiking(ctx, prefix + ".lif", n, prefix, as_affine(load_batch_norm(ctx.weights, prefix + ".bn", n)));
  ctx.net.connect(input, s, {prefix + ".bn", 0, sim::Identity{}});
  return s;
}

}  // namespace snnsim::layers
