// SPDX-License-Identifier: MIT
#pragma once
/// "if": the non-leaky integrate-and-fire neuron with delta-current (voltage-jump) synapses, float64.
///
/// Equations: dv/dt = sum_k w_k delta(t - t_k): every delivered synaptic event adds its weight (in
///   volts) to v; no leak.
/// Discretisation: exact (there is nothing to integrate between events): step n,
///   v = v + I_n where I_n is the sum of the weights delivered into port "current" for step n
///   (added one synapse at a time, in the canonical order), then the port is cleared.
/// Threshold: strict, spike when v > v_threshold and not refractory (as Brian2's "v > Vt").
/// Refractory: absolute, refractory_steps = int((refractory + 1e-3 dt)/dt) steps after a spike,
///   during which input is discarded and v is held at v_reset.
/// Reset: v = v_reset at the step of the spike.
/// Source: Brette et al. 2007 (J Comput Neurosci 23:349), benchmark 4's integrate-and-fire
///   neuron without leak; Brian2 docs "Models and neuron groups".
#include <memory>

#include "sim/neuron_model.hpp"

namespace snnsim::neurons {

class IfNeuron final : public sim::NeuronModel {
 public:
  std::string_view name() const override { return "if"; }
  std::string_view summary() const override {
    return "non-leaky integrate-and-fire (float64): v += input, fire if v > v_threshold, reset to v_reset";
  }
  std::span<const sim::ParamSpec> params() const override;
  std::shared_ptr<const sim::NeuronDynamics> instantiate(const sim::ParamValues& values,
                                                         const sim::InitialState& initial,
                                                         std::size_t size, const std::string& source,
                                                         const std::string& where) const override;
};

}  // namespace snnsim::neurons
