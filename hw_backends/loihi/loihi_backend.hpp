// SPDX-License-Identifier: MIT
#pragma once
/// "loihi": the float network lowered (lowering.hpp), quantised (quantizer.hpp) and mapped
/// (mapper.hpp) onto a Loihi-class chip described by a TOML file (chip.hpp), then simulated bit
/// for bit by the event-driven engine (engine.hpp), with the host doing what is not on the chip
/// (the readout head; graded-input MACs on a chip without graded spikes).
///
/// Settings (sim::BackendOptions::settings, from `snnsim run --chip/--chips`):
///   chip        loihi1 | loihi2 (default) | path of a TOML chip file
///   chips       number of chips the mapper may use (default 1)
///   target_vth  preferred threshold mantissa (default 4096; see quantizer.hpp)
///   agreement   1 (default): also run the float network (cpu_event) on every trial and report
///               per-layer spike agreement; 0: skip it
///   input_rate_hz  time steps per second the input arrives at, for the real-time estimate
///               (default 1000)
/// Each trial's records hold the spikes of every spiking population at its own time step (the
/// chip runs group X `lag_X` steps late; the lag is undone when recording), the host readout's
/// values, and counters (spikes, compartment updates, synaptic ops). describe() reports the
/// lowering (on chip vs host), per-layer quantisation, cores and occupancy, and, accumulated over
/// every trial run so far, message traffic, energy, latency and float agreement.
#include "sim/backend.hpp"

namespace snnsim::hw_backends {

class LoihiBackend final : public sim::Backend {
 public:
  std::string_view name() const override { return "loihi"; }
  std::string_view summary() const override {
    return "Loihi-class neurochip: integer CUBA compartments (Lava bit-accurate), 8-bit weights, neurocore mapping, "
           "traffic/energy/latency (--chip, --chips)";
  }
  sim::Support supports(const sim::Network& net) const override;
  /// Quantised weights and integer membranes move spike totals: within 1 % on every conformance
  /// example and on the LMUFormer's layers over the 10k test set (largest 0.7 %, f_m); 2 % stated.
  double conformance_tolerance() const override { return 0.02; }
  std::unique_ptr<sim::CompiledNetwork> compile(const sim::Network& net,
                                                const sim::BackendOptions& options) const override;
};

}  // namespace snnsim::hw_backends
