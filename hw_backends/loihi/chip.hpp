// SPDX-License-Identifier: MIT
#pragma once
/// A neuromorphic chip described as data (TOML, hw_backends/loihi/chips/*.toml): per-core
/// limits, number formats, mesh layout and per-operation energy and latency. Every figure in a
/// shipped file carries its source; figures that could not be sourced are marked as assumptions.
///
/// File layout: tables [chip], [limits], [formats], [mesh], [energy_pj], [latency_ns]; each
/// figure is either a plain number or { value = ..., source = "...", assumption = true|false }.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace snnsim::hw_backends::loihi {

struct ChipSpec {
  std::string name, description, file;

  // [limits] per neurocore
  std::int64_t cores_per_chip = 0;
  std::int64_t compartments_per_core = 0;
  std::int64_t fanin_axons_per_core = 0;
  std::int64_t fanout_axons_per_core = 0;
  std::int64_t synapse_memory_bits_per_core = 0;

  // [formats]
  int weight_bits = 8;             ///< mantissa bits of a mixed-sign weight (Lava: 8 incl. the sign)
  int weight_exp_min = -8, weight_exp_max = 7;
  int max_synaptic_delay = 62;     ///< steps of delay on top of the one-step spike delivery
  int delay_bits = 6;              ///< synapse memory bits per weight spent on the delay field
  bool graded_spikes = false;      ///< spikes may carry an integer payload (Loihi 2)
  int graded_payload_bits = 8;

  // [mesh]
  std::int64_t cores_per_tile = 4;
  std::int64_t tiles_x = 8, tiles_y = 4;  ///< tile mesh of one chip; chips are placed side by side in x

  // [energy_pj]
  double synop_pj = 0, neuron_update_active_pj = 0, neuron_update_inactive_pj = 0;
  double spike_in_tile_pj = 0, hop_ew_pj = 0, hop_ns_pj = 0, host_mac_pj = 0;
  // [latency_ns]
  double synop_ns = 0, neuron_update_active_ns = 0, neuron_update_inactive_ns = 0;
  double spike_in_tile_ns = 0, hop_ew_ns = 0, hop_ns_ns = 0;
  double barrier_min_ns = 0, barrier_max_ns = 0;  ///< barrier sync over 1 .. barrier_max_tiles tiles
  std::int64_t barrier_max_tiles = 32;

  /// Every figure with its source and assumption flag, for reports.
  std::map<std::string, nlohmann::json> provenance;

  /// Barrier synchronisation time for `tiles` active tiles (linear between the two figures).
  double barrier_ns(std::int64_t tiles) const;
};

/// Parses a chip description; throws Error(file, field, expected, got) for a missing or
/// non-positive limit, a wrong type or a malformed file.
ChipSpec parse_chip(const std::string& toml_text, const std::string& file);

/// "loihi1", "loihi2" (shipped files in `chip_dir`) or a path to a TOML file.
ChipSpec load_chip(const std::string& name_or_path, const std::filesystem::path& chip_dir);

/// The directory of the shipped chip files (compiled in; SNNSIM_LOIHI_CHIP_DIR overrides).
std::filesystem::path default_chip_dir();

}  // namespace snnsim::hw_backends::loihi
