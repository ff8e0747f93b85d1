// SPDX-License-Identifier: MIT
#pragma once
/// The LMUFormer classifier head, on stream z:
///   sh     = LIF[head_lif](BN(head_bn, z))                 D neurons
///   y_t    = W_head sh_t + b_head                          head [classes, D]
///   logits = (1/T) sum_t y_t                               (sim output "logits": mean over steps)
/// Source: LMUFormer (arXiv 2402.04882) ConvLMU head; golden README section 3.
#include <string>

#include "layers/build_context.hpp"

namespace snnsim::layers {

/// Names: `<bn>`, `<lif>`, `<linear>` are the PyTorch module names (head_bn, head_lif, head).
/// Returns the analog population y (registered as the network output "logits").
sim::PopulationId build_classifier_head(BuildContext& ctx, sim::PopulationId z, const std::string& bn,
                                        const std::string& lif, const std::string& linear);

}  // namespace snnsim::layers
