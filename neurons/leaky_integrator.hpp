// SPDX-License-Identifier: MIT
#pragma once
/// "leaky_integrator": a non-spiking leaky integrator (a readout or membrane probe), float64.
///
/// Equations: dv/dt = -(v - v_rest)/tau + sum_k w_k delta(t - t_k).
/// Discretisation: exact between steps: step n, v = v_rest + (v - v_rest) P + I_n with
///   P = exp(-dt/tau) and I_n the weights delivered into port "current" for step n (one addition
///   per synapse, canonical order); then the port is cleared.
/// Threshold: none (it never spikes). Reset: none.
/// Source: the exact integration of a linear ODE (Rotter & Diesmann 1999, Biol Cybern 81:381),
///   as NEST's iaf_psc_delta without threshold.
#include <memory>

#include "sim/neuron_model.hpp"

namespace snnsim::neurons {

class LeakyIntegrator final : public sim::NeuronModel {
 public:
  std::string_view name() const override { return "leaky_integrator"; }
  std::string_view summary() const override {
    return "non-spiking leaky integrator (float64): v = v_rest + (v - v_rest) exp(-dt/tau) + input";
  }
  std::span<const sim::ParamSpec> params() const override;
  std::shared_ptr<const sim::NeuronDynamics> instantiate(const sim::ParamValues& values,
                                                         const sim::InitialState& initial,
                                                         std::size_t size, const std::string& source,
                                                         const std::string& where) const override;
};

}  // namespace snnsim::neurons
