// SPDX-License-Identifier: MIT
#pragma once
/// Energy estimates from operation counts and a table of energy per operation (picojoules),
/// read from a TOML file that names its source (sim/energy_tables/*.toml ship with snnsim).
///
///   E = ACs x ac + MACs x mac + adds x add + neuron_updates x neuron_update + spikes x spike
///
/// The same model run as a dense ANN (every synaptic operation a MAC on every input, every
/// step; no neurons, no spikes) costs
///
///   E_dense = dense_synops x mac + dense_adds x add
///
/// with dense_synops the dense-equivalent operations of the weighted projections and dense_adds
/// those of the identity (residual) projections plus the bias additions.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "sim/record.hpp"

namespace snnsim::sim {

struct EnergyTable {
  std::string name;         ///< short key, e.g. "45nm"
  std::string description;  ///< one line for reports
  std::string source;       ///< the publication the figures come from
  std::string file;         ///< where it was read from
  double ac_pj = 0, mac_pj = 0, add_pj = 0, neuron_update_pj = 0, spike_pj = 0;
};

/// Energy of a set of counts, by category, in picojoules.
struct Energy {
  double ac = 0, mac = 0, add = 0, neuron_update = 0, spike = 0;
  double total() const { return ac + mac + add + neuron_update + spike; }
};

/// Parses a table (TOML text). Throws Error(source, field, expected, got) for a syntax error, a
/// missing or empty string (name, source), or a missing, non-numeric or negative energy.
EnergyTable parse_energy_table(std::string_view toml_text, const std::string& source);

/// Reads and parses a table file. Throws Error(path, "", "a readable energy table", ...) when
/// the file cannot be read.
EnergyTable load_energy_table(const std::filesystem::path& path);

/// The tables shipped with snnsim (45 nm Horowitz, Loihi 1), read from `dir`.
std::vector<EnergyTable> builtin_energy_tables(const std::filesystem::path& dir);

Energy energy_of(const OpCounts& counts, const EnergyTable& table);

/// Energy of the dense-ANN equivalent: dense_synops MACs plus dense_adds adds.
double dense_ann_energy(double dense_synops, double dense_adds, const EnergyTable& table);

}  // namespace snnsim::sim
