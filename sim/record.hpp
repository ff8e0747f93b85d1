// SPDX-License-Identifier: MIT
#pragma once
/// What a backend records while it simulates one trial: spike counts per population and step,
/// optional full rasters, the output populations' values, and operation counters. What depends on
/// the activity (spikes, synaptic events, MACs) is counted by the backend where it does the work,
/// never derived afterwards. Only a trial split over threads or ranks fills in, after merging,
/// what every step does whatever the activity: neuron updates (the population size) and dense ops.
#include <cstdint>
#include <span>
#include <vector>

#include "sim/network.hpp"

namespace snnsim::sim {

/// Operation counts of one population or projection at one time step.
struct OpCounts {
  std::int64_t spikes = 0;          ///< spikes emitted (population)
  std::int64_t neuron_updates = 0;  ///< neuron state updates performed (population)
  /// Values of a real-valued stream computed (Analog population: one per channel per step),
  /// e.g. the LMU memory m_t, the residual stream.
  std::int64_t state_updates = 0;
  std::int64_t acs = 0;     ///< accumulates driven by binary spikes: one per spike per target touched
  std::int64_t macs = 0;    ///< multiply-accumulates driven by real-valued (graded) inputs
  std::int64_t adds = 0;    ///< bias and residual (identity) additions
  std::int64_t dense_ops = 0;     ///< what a dense time-stepped engine performs for the same step
  std::int64_t executed_ops = 0;  ///< arithmetic this backend itself executed
  std::int64_t synops() const { return acs + macs; }
  /// Every field appended to a flat integer buffer in one fixed order (e.g. to sum over MPI
  /// ranks); read_flat() is the inverse and returns the values it consumed.
  void append_flat(std::vector<std::int64_t>& out) const;
  std::size_t read_flat(std::span<const std::int64_t> in);
  OpCounts& operator+=(const OpCounts& o) {
    spikes += o.spikes;
    neuron_updates += o.neuron_updates;
    state_updates += o.state_updates;
    acs += o.acs;
    macs += o.macs;
    adds += o.adds;
    dense_ops += o.dense_ops;
    executed_ops += o.executed_ops;
    return *this;
  }
  friend bool operator==(const OpCounts&, const OpCounts&) = default;
};

/// Counters for every population and every projection (in connection order) at every step.
class OpCounters {
 public:
  OpCounters() = default;
  OpCounters(std::size_t populations, std::size_t projections, TimeStep steps)
      : steps_(steps),
        populations_(populations * static_cast<std::size_t>(steps)),
        projections_(projections * static_cast<std::size_t>(steps)) {}
  OpCounts& population(PopulationId p, TimeStep t) { return populations_[p * steps_ + t]; }
  OpCounts& projection(std::size_t index, TimeStep t) { return projections_[index * steps_ + t]; }
  const OpCounts& population(PopulationId p, TimeStep t) const { return populations_[p * steps_ + t]; }
  const OpCounts& projection(std::size_t index, TimeStep t) const { return projections_[index * steps_ + t]; }
  TimeStep steps() const { return steps_; }
  std::size_t population_count() const { return steps_ ? populations_.size() / steps_ : 0; }
  std::size_t projection_count() const { return steps_ ? projections_.size() / steps_ : 0; }
  void clear();
  OpCounters& operator+=(const OpCounters& o);
  /// Sum over all steps of one population / projection, and over everything.
  OpCounts population_total(PopulationId p) const;
  OpCounts projection_total(std::size_t index) const;
  OpCounts total() const;
  /// Every count appended to one flat integer buffer (populations then projections, by step,
  /// field by field), e.g. to sum counters over MPI ranks; read_flat() is the inverse and returns
  /// the values it consumed.
  void append_flat(std::vector<std::int64_t>& out) const;
  std::size_t read_flat(std::span<const std::int64_t> in);
  friend bool operator==(const OpCounters&, const OpCounters&) = default;

 private:
  std::size_t steps_ = 0;
  std::vector<OpCounts> populations_, projections_;
};

struct SpikeEvent {
  TimeStep step;
  std::uint32_t neuron;
  friend bool operator==(const SpikeEvent&, const SpikeEvent&) = default;
};

struct RecordOptions {
  bool raster = false;    ///< keep every spike (step, neuron) of every population
  /// Count each neuron's spikes (TrialRecord::neuron_spikes): what silent-neuron statistics
  /// need, without keeping a raster of every trial.
  bool neuron_counts = false;
  bool counters = true;   ///< fill the operation counters
  /// false: TrialRecord::reset() keeps the counters, so that they add up over the trials a worker
  /// runs, for callers that read only the run's totals (run_trials then sums once per worker).
  /// Clearing and summing the whole table (populations and projections x steps x 8 counts) after
  /// every trial took about 9 % of an LMUFormer image. The sum is the same because backends only
  /// ever add into the counters; a callback then sees the worker's sum so far, not one trial's.
  bool counters_per_trial = true;
};

/// One trial's recording. Reused across trials by a worker: reset() keeps the allocations.
struct TrialRecord {
  TimeStep steps = 0;
  std::size_t populations = 0;
  std::vector<std::int32_t> spike_counts;           ///< [population][step]
  std::vector<std::vector<SpikeEvent>> raster;      ///< [population] when RecordOptions::raster
  std::vector<std::vector<std::int32_t>> neuron_spikes;  ///< [population][neuron] when RecordOptions::neuron_counts
  std::vector<std::vector<double>> outputs;         ///< [output][step * size + channel]
  OpCounters counters;

  void reset(const Network& net, const RecordOptions& options);
  std::int32_t& spikes(PopulationId p, TimeStep t) { return spike_counts[p * steps + t]; }
  std::int32_t spikes(PopulationId p, TimeStep t) const { return spike_counts[p * steps + t]; }
  std::int64_t total_spikes(PopulationId p) const;
  /// neuron_spikes from the raster (for backends that record rasters, not per-neuron counts).
  void count_neuron_spikes_from_raster();
};

}  // namespace snnsim::sim
