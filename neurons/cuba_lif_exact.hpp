// SPDX-License-Identifier: MIT
#pragma once
/// "cuba_lif_exact": current-based leaky integrate-and-fire neuron with exponential synaptic
/// currents, integrated exactly in float64 (Brian2's CUBA benchmark, Vogels & Abbott 2005 as in
/// Brette et al. 2007).
///
/// Equations:  dv/dt = (ge + gi - (v - v_rest)) / tau_m,  dge/dt = -ge / tau_e,  dgi/dt = -gi / tau_i
///   (ge, gi in volts: the synaptic currents times the membrane resistance).
/// Discretisation: the exact solution of the linear system over one step dt (propagators):
///   P_vv = exp(-dt/tau_m), P_ee = exp(-dt/tau_e), P_ii = exp(-dt/tau_i),
///   P_ve = tau_e/(tau_m - tau_e) (P_vv - P_ee),  P_vi = tau_i/(tau_m - tau_i) (P_vv - P_ii).
///   Step n: if not refractory, v = v_rest + (v - v_rest) P_vv + ge P_ve + gi P_vi (old ge, gi,
///   in exactly this float64 order); then, refractory or not, ge *= P_ee, gi *= P_ii.
///   A file may give the propagators (P_* parameters) so that they match its simulator bit for
///   bit; otherwise they are computed from the time constants.
/// Threshold: strict, spike when v > v_threshold and the neuron is not refractory.
/// Refractory: absolute, while n - last_spike < refractory_steps = int((refractory + 1e-3 dt)/dt)
///   (Brian2's timestep()); v is held, ge and gi keep decaying.
/// Reset: v = v_reset at the step of the spike (after the deliveries of that step, which do not
///   read v, so resetting at once is equivalent).
/// Ports: ge (0) and gi (1) are persistent: deliveries add each synaptic weight into them, one
///   addition per synapse, before the next step's update (Brian2's on_pre "ge += w").
/// Source: ../shared/peers/brian2/README.md "Neuron and schedule"; Brian2 2.5 examples/CUBA.py.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "sim/cache_aligned.hpp"
#include "sim/neuron_model.hpp"

namespace snnsim::neurons {

class CubaLifExact final : public sim::NeuronModel {
 public:
  std::string_view name() const override { return "cuba_lif_exact"; }
  std::string_view summary() const override {
    return "current-based LIF, exponential synaptic currents ge/gi, exact float64 propagators, "
           "fire if v > v_threshold, absolute refractory, reset to v_reset (Brian2 CUBA)";
  }
  std::span<const sim::ParamSpec> params() const override;
  std::shared_ptr<const sim::NeuronDynamics> instantiate(const sim::ParamValues& values,
                                                         const sim::InitialState& initial,
                                                         std::size_t size, const std::string& source,
                                                         const std::string& where) const override;
};

/// The validated constants of one population.
struct CubaLifConstants {
  double v_rest = 0, v_reset = 0, v_threshold = 0;
  double p_vv = 0, p_ee = 0, p_ii = 0, p_ve = 0, p_vi = 0;
  std::int64_t refractory_steps = 0;
};

/// Per-neuron state, structure of arrays. refractory_until = last spike step + refractory_steps
/// (a neuron is refractory while n < refractory_until, i.e. n - last_spike < refractory_steps).
/// Cache-line aligned, so that threads stepping line-aligned neuron ranges share no line.
struct CubaLifArrays {
  sim::CacheAlignedVector<double> v, ge, gi;
  sim::CacheAlignedVector<double> refractory_until;
};

/// Steps neurons [begin, end) at step t; appends the spiking ones (ascending) to `spikes`.
void cuba_lif_step(const CubaLifConstants& c, CubaLifArrays& s, sim::TimeStep t, std::size_t begin,
                   std::size_t end, std::vector<std::uint32_t>& spikes);

}  // namespace snnsim::neurons
