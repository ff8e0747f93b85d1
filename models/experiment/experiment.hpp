// SPDX-License-Identifier: MIT
#pragma once
/// snnsim's native network description: a TOML experiment file (format "snnsim-experiment-v1"),
/// with explicit arrays in an HDF5 file beside it that keeps the Brian2-layout names.
///
///   format = "snnsim-experiment-v1"
///   name = "balanced"      dt = "0.1 ms"      duration = "1 s"      seed = 1234
///   arrays = "cuba.h5"                           # optional, relative to the TOML file
///
///   [populations.exc]                            # populations in name order
///   size = 3200
///   model = "cuba_lif_exact"                     # a registered neuron model, "poisson" or "spike_source"
///   tau_m = "20 ms"  v_rest = "-49 mV"  ...      # the model's parameters, with units (or SI numbers)
///   initial.v = "-60 mV" | "h5:/populations/cuba/v0_V" | { uniform = ["-60 mV", "-50 mV"] }
///   rate = "20 Hz"                               # poisson: independent Poisson trains
///   spikes = "h5:/populations/input"             # spike_source: spike_neuron, spike_step datasets
///
///   [[projections]]                              # connected in file order
///   name = "ee"  source = "exc"  target = "exc"  port = "ge"
///   delay = "1.1 ms"                             # >= dt: a spike at s acts on the update of s + delay/dt
///   weight = "1.62 mV" | "h5:/projections/exc/weight_V"
///   connect = "all_to_all" | "one_to_one" | "h5:/projections/exc" (source_neuron, target_neuron)
///           | { rule = "fixed_probability", p = 0.02, self_connections = false }
///           | { rule = "fixed_indegree", n = 80, self_connections = false }
///
///   [record]
///   spikes = ["exc"]                             # populations `--spikes` writes (default: all)
///
/// Randomness (rule-based connectivity, Poisson trains, uniform initial values) comes from
/// counter-based Philox draws keyed by (seed, population or projection, neuron, step), so the
/// network does not depend on the thread count or the order of construction. Rule-based synapses
/// are ordered by source, then target.
#include "models/network_io.hpp"

namespace snnsim::models {

class ExperimentImporter final : public NetworkImporter {
 public:
  std::string_view name() const override { return "toml"; }
  std::string_view summary() const override {
    return "TOML experiment (snnsim-experiment-v1): populations, models with units, rule-based or HDF5 projections";
  }
  bool accepts(const std::filesystem::path& path) const override;
  ImportedNetwork load(const std::filesystem::path& path, const sim::NeuronRegistry& neurons) const override;
  ImportedNetwork load_seeded(const std::filesystem::path& path, const sim::NeuronRegistry& neurons,
                              std::uint64_t seed) const override;
};

/// A quantity "20 ms", "-49 mV", "20 Hz" (or a plain number, taken as SI) in the SI unit `unit`
/// ("s", "V", "Hz" or "" for dimensionless). Throws Error(source, field, ...) otherwise.
double parse_quantity(const std::string& text, const std::string& unit, const std::string& source,
                      const std::string& field);

}  // namespace snnsim::models
