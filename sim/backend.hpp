// SPDX-License-Identifier: MIT
#pragma once
/// The backend interface: query support -> compile a Network -> run trials. A CompiledNetwork is
/// immutable and shared by all threads; each thread owns a Workspace (the per-trial state).
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "sim/network.hpp"
#include "sim/record.hpp"
#include "sim/registry.hpp"

namespace snnsim::sim {

/// One trial's input: for each graded input population its values [steps][size] (row-major),
/// for each spiking input without fixed trains its spike trains. Indexed by PopulationId.
struct Stimulus {
  std::vector<std::span<const float>> values;
  std::vector<const SpikeTrains*> spikes;
  void resize(std::size_t populations) {
    values.assign(populations, {});
    spikes.assign(populations, nullptr);
  }
};

/// Whether a backend can run a network, and if not, why (named by population or projection).
struct Support {
  bool ok = true;
  std::string reason;
};

struct BackendOptions {
  /// Backend-specific settings (e.g. "chip" for the neuromorphic backend), from the CLI.
  std::map<std::string, std::string, std::less<>> settings;
};

class Workspace {
 public:
  virtual ~Workspace() = default;
};

class CompiledNetwork {
 public:
  virtual ~CompiledNetwork() = default;
  virtual std::unique_ptr<Workspace> make_workspace() const = 0;
  /// Simulates one trial from the initial state into `record` (which the caller has reset).
  /// Thread-safe for distinct workspaces.
  virtual void run_trial(Workspace& ws, const Stimulus& stimulus, const RecordOptions& options,
                         TrialRecord& record) const = 0;
  /// What the backend made of the network (for reports): at least {"backend": name}.
  virtual nlohmann::json describe() const;
  /// Whether run_trial fills TrialRecord::neuron_spikes itself when RecordOptions::neuron_counts;
  /// otherwise run_trials records the trial's raster and counts from it.
  virtual bool counts_neuron_spikes() const { return false; }
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view summary() const = 0;
  virtual Support supports(const Network& net) const = 0;
  /// How closely this backend reproduces dense_reference in the conformance suite: 0 means bit
  /// for bit (every float backend); a fixed-point backend states the largest relative difference
  /// of any population's spike total that its quantisation may cause.
  virtual double conformance_tolerance() const { return 0.0; }
  /// Throws Error when the network is not supported or an option is bad.
  virtual std::unique_ptr<CompiledNetwork> compile(const Network& net,
                                                   const BackendOptions& options) const = 0;
};

using BackendRegistry = Registry<Backend>;

}  // namespace snnsim::sim
