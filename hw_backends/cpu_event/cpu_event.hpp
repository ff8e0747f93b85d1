// SPDX-License-Identifier: MIT
#pragma once
/// cpu_event: the spike-driven CPU backend. Work is done only for events that occur: a spike
/// (or a non-zero graded value) walks its fan-out row, stored contiguously in target order, and
/// adds it into the target's input buffer. A causal filter such as the LMU memory is therefore
/// the sum of its impulse-response columns at the past spike times of its source. Trials run in
/// parallel over images (OpenMP, in sim::run_trials); results do not depend on the thread count.
#include "sim/backend.hpp"

namespace snnsim::hw_backends {

class CpuEventBackend final : public sim::Backend {
 public:
  std::string_view name() const override { return "cpu_event"; }
  std::string_view summary() const override {
    return "spike-driven CPU engine: work per spike (fan-out rows), OpenMP over trials";
  }
  sim::Support supports(const sim::Network& net) const override;
  std::unique_ptr<sim::CompiledNetwork> compile(const sim::Network& net,
                                                const sim::BackendOptions& options) const override;
};

}  // namespace snnsim::hw_backends
