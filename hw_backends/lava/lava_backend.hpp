// SPDX-License-Identifier: MIT
#pragma once
/// "lava": runs a network through Intel's Lava (lava-nc) with its bit-accurate CPU simulation,
/// Loihi2SimCfg(select_tag="fixed_pt"), by embedding CPython (python_runtime.hpp) and calling
/// hw_backends/lava/snnsim_lava.py. Built with -DSNNSIM_WITH_LAVA=ON against Debian's
/// python3-dev; Lava itself is not in Debian and is looked for at compile() time: without it the
/// backend stops with one line saying how to install it.
///
/// The network is quantised by the Loihi backend's quantiser (Loihi 2 chip description) and must
/// be a chain Lava builds as processes: spike input -> Dense -> LIF -> Dense -> LIF ..., each
/// Dense the only synapse group of its layer with one tap and no extra delay, and no bias (Lava's
/// LIF has no core enable, so a bias would act during the layer's first lag steps while snnsim's
/// Loihi backend keeps the core idle). Spikes come back per layer with the chain's timing (layer i
/// computes step t at tick t + i) and are recorded at snnsim's steps.
///
/// Option "engine": "lava" (default) or "numpy", the same integer arithmetic in numpy, which tests
/// the embedding where Lava is not installed.
#include "sim/backend.hpp"

namespace snnsim::hw_backends::lava {

class LavaBackend final : public sim::Backend {
 public:
  std::string_view name() const override { return "lava"; }
  std::string_view summary() const override {
    return "Lava (lava-nc) bit-accurate CPU simulation via embedded CPython: Dense + LIF chains, Loihi 2 quantiser";
  }
  sim::Support supports(const sim::Network& net) const override;
  /// The Loihi backend's quantiser and, bit for bit, its spikes: the same tolerance.
  double conformance_tolerance() const override;
  std::unique_ptr<sim::CompiledNetwork> compile(const sim::Network& net, const sim::BackendOptions& options) const override;
};

}  // namespace snnsim::hw_backends::lava
