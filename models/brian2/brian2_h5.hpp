// SPDX-License-Identifier: MIT
#pragma once
/// Importer of the `snnsim-peer-network-v1` HDF5 layout (../shared/peers/brian2/README.md): a
/// network Brian2 simulates, written out as explicit arrays.
///
///   /@format = "snnsim-peer-network-v1", /@dt_s, /@steps, /@seed (optional)
///   /populations/<name>@size, @model (one group or more): a registered neuron model, or
///       "spike_source" (datasets spike_neuron int, spike_step int: input neuron k fires at
///       step n); neuron parameters are attributes named <parameter>_<unit> (e.g. tau_m_s,
///       v_rest_V) or <parameter> when dimensionless (P_vv); v0_V: initial membrane potentials.
///   /projections/<name>@source, @target, @target_var (a port of the target's model),
///       @delay_steps (1 to 2^31 - 2); datasets source_neuron, target_neuron (int), weight_V (float64).
///
/// Brian2's step n is: state update, threshold, delivery of the spikes of step n - D, reset. A
/// delivery at step n therefore first acts on the update of step n + 1, which is snnsim's
/// Sparse::delay = D + 1 (a spike of step s reaches the port before the update of s + D + 1).
/// Synapses keep the file's order, which is Brian2's synapse order (its spike queue adds the
/// synapses of each spiking source, sources ascending, in synapse-index order).
#include <filesystem>

#include "models/network_io.hpp"

namespace snnsim::models {

class Brian2H5Importer final : public NetworkImporter {
 public:
  std::string_view name() const override { return "brian2-h5"; }
  std::string_view summary() const override {
    return "HDF5 network arrays in Brian2's terms (snnsim-peer-network-v1: populations, projections, delays)";
  }
  bool accepts(const std::filesystem::path& path) const override;
  ImportedNetwork load(const std::filesystem::path& path, const sim::NeuronRegistry& neurons) const override;
};

/// Reads the spike raster a file may carry under /reference_spikes/<population>/{neuron,step},
/// sorted by step then neuron (for tests and the comparison tools).
std::vector<sim::SpikeEvent> read_reference_spikes(const std::filesystem::path& path,
                                                   const std::string& population);

}  // namespace snnsim::models
