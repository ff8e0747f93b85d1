// SPDX-License-Identifier: MIT
#pragma once
/// BatchNorm in eval mode, per channel c, the same at every step (eps = 1e-5):
///   BN(z)_c = (z_c - mu_c) / sqrt(var_c + eps) * gamma_c + beta_c = z_c * a_c + b_c,
///   a_c = gamma_c / sqrt(var_c + eps), b_c = beta_c - mu_c * a_c   (float32, PyTorch's order).
/// Folded into the weight layer right before it when there is one (W'[o] = a_o W[o],
/// bias'_o = (bias_o - mu_o) a_o + beta_o); otherwise applied to a stream as an affine.
/// Source: PyTorch batch_norm eval; golden README section 2.
#include <string>
#include <vector>

#include "layers/tensor_source.hpp"
#include "sim/network.hpp"
#include "layers/layer_kind.hpp"

namespace snnsim::layers {

struct BatchNorm {
  std::vector<float> mean, scale;  ///< mu and a
  std::vector<float> beta;         ///< beta (the bias parameter)
  std::vector<float> shift;        ///< b = beta - mu * a
};

/// Loads `<prefix>.{running_mean, running_var, weight, bias}` [channels]; running_var must be >= 0.
BatchNorm load_batch_norm(const TensorSource& src, const std::string& prefix, std::size_t channels);

/// Folds the BatchNorm that follows `conv` into its weights and bias.
void fold_batch_norm(const BatchNorm& bn, sim::Conv1d& conv);

/// The BatchNorm as an affine transform of a stream (for a population's input).
sim::Affine as_affine(const BatchNorm& bn);

/// The "batch_norm" layer kind (registry entry; its example is used by the conformance suite).
class BatchNormKind final : public LayerKind {
 public:
  std::string_view name() const override { return "batch_norm"; }
  std::string_view summary() const override { return "eval BatchNorm: folded into a weight layer, or an affine on a stream"; }
  sim::PopulationId build_example(BuildContext& ctx, RandomTensors& tensors, const std::string& prefix,
                                  sim::PopulationId input) const override;
};

}  // namespace snnsim::layers
