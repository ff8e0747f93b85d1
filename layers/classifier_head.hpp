// SPDX-License-Identifier: MIT
#pragma once
/// The LMUFormer classifier head, on stream z:
///   sh     = LIF[head_lif](BN(head_bn, z))                 D neurons
///   y_t    = W_head sh_t + b_head                          head [classes, D]
///   logits = (1/T) sum_t y_t                               (sim output "logits": mean over steps)
/// Source: LMUFormer (arXiv 2402.04882) ConvLMU head; golden README section 3.
#include <string>

#include "layers/build_context.hpp"
#include "layers/layer_kind.hpp"

namespace snnsim::layers {

/// Names: `<bn>`, `<lif>`, `<linear>` are the PyTorch module names (head_bn, head_lif, head).
/// Returns the analog population y (registered as the network output "logits").
sim::PopulationId build_classifier_head(BuildContext& ctx, sim::PopulationId z, const std::string& bn,
                                        const std::string& lif, const std::string& linear);

/// The "classifier_head" layer kind (registry entry; its example is used by the conformance suite).
class ClassifierHeadKind final : public LayerKind {
 public:
  std::string_view name() const override { return "classifier_head"; }
  std::string_view summary() const override { return "BN + LIF + Linear readout, logits = mean over steps"; }
  sim::PopulationId build_example(BuildContext& ctx, RandomTensors& tensors, const std::string& prefix,
                                  sim::PopulationId input) const override;
};

}  // namespace snnsim::layers
