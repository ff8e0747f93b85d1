// SPDX-License-Identifier: MIT
#pragma once
/// "lif": the leaky integrate-and-fire neuron of spikingjelly's MultiStepLIFNode, in float32.
///
/// Equations (per neuron, input current I_t, membrane V, V_{-1} = v_reset = 0 at trial start):
///   decay_input = 1:  H_t = V_{t-1} + (I_t - (V_{t-1} - v_reset)) / tau
///                     (v_reset = 0: d = I - V; d = d / tau; H = V + d, in that float32 order)
///   decay_input = 0:  H_t = V_{t-1} - (V_{t-1} - v_reset) / tau + I_t
/// Discretisation: the forward-Euler step of tau dV/dt = -(V - v_reset) + I with dt = 1, as
///   spikingjelly computes it (a division by tau, not a multiplication by 1/tau).
/// Threshold: S_t = 1 if H_t >= v_threshold (inclusive: H equal to the threshold fires).
/// Reset: hard, V_t = v_reset if S_t = 1, else V_t = H_t. No refractory period, no bias.
/// Source: spikingjelly (commit 1171f524) neuron.py LIFNode.neuronal_charge_decay_input*,
///   golden README section 2 (../shared/golden/README.md).
#include <cstddef>
#include <cstdint>
#include <memory>

#include "sim/isa.hpp"
#include "sim/neuron_model.hpp"

namespace snnsim::neurons {

class Lif final : public sim::NeuronModel {
 public:
  std::string_view name() const override { return "lif"; }
  std::string_view summary() const override {
    return "spikingjelly LIF (float32): H = V + (I - (V - v_reset))/tau, fire if H >= v_threshold, hard reset";
  }
  std::span<const sim::ParamSpec> params() const override;
  std::shared_ptr<const sim::NeuronDynamics> instantiate(const sim::ParamValues& values,
                                                         const sim::InitialState& initial,
                                                         std::size_t size, const std::string& source,
                                                         const std::string& where) const override;
};

/// The validated constants of one LIF population (exposed for tests and other backends).
struct LifConstants {
  float tau = 2.0f;
  float v_threshold = 1.0f;
  float v_reset = 0.0f;
  bool decay_input = true;
};

/// One LIF update of one neuron: returns whether it fires and leaves the new membrane in v.
inline bool lif_step(const LifConstants& c, float input, float& v) {
  float h;
  if (c.decay_input) {
    if (c.v_reset == 0.0f) {
      float d = input - v;
      d = d / c.tau;
      h = v + d;
    } else {
      h = v + (input - (v - c.v_reset)) / c.tau;
    }
  } else {
    h = c.v_reset == 0.0f ? v - v / c.tau + input : v - (v - c.v_reset) / c.tau + input;
  }
  const bool fire = h >= c.v_threshold;
  v = fire ? c.v_reset : h;
  return fire;
}

/// Room lif_step_reset0() needs in `fired` past the population size (a whole vector of indices).
inline constexpr std::size_t kLifFiredSlack = 16;

/// One step of n neurons on the fast path (decay_input, v_reset = 0) with the kernel of
/// instruction set `isa` (one of sim::supported_isas()): updates v, clears input, and writes the
/// indices of the neurons that fire, ascending, to `fired` (room for n + kLifFiredSlack); returns
/// how many fired. Every version gives lif_step()'s bits. The population state uses the best
/// instruction set; tests run every one.
std::size_t lif_step_reset0(sim::Isa isa, const LifConstants& c, float* v, float* input, std::size_t n,
                            std::uint32_t* fired);

}  // namespace snnsim::neurons
