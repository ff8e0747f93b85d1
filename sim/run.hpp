// SPDX-License-Identifier: MIT
#pragma once
/// Runs many independent trials (images) of one compiled network, in parallel over trials with
/// OpenMP. Results do not depend on the thread count: each trial is simulated alone from the
/// initial state, and totals are integer sums.
#include <cstddef>
#include <functional>
#include <vector>

#include "sim/backend.hpp"

namespace snnsim::sim {

/// Supplies trial inputs. fill() is called from worker threads with a per-thread buffer that the
/// stimulus may point into.
class TrialSource {
 public:
  virtual ~TrialSource() = default;
  virtual std::size_t count() const = 0;
  virtual void fill(std::size_t trial, Stimulus& stimulus, std::vector<float>& buffer) const = 0;
};

struct RunOptions {
  int threads = 1;
  RecordOptions record;
  /// With record.raster: only trials [0, raster_trials) keep their raster (the report's few).
  std::size_t raster_trials = static_cast<std::size_t>(-1);
  /// Called on the calling thread's side with (trials done, total); may be empty.
  std::function<void(std::size_t, std::size_t)> progress;
};

struct RunTotals {
  std::size_t trials = 0;
  std::vector<std::int64_t> spike_counts;  ///< [population][step], summed over trials
  OpCounters counters;                     ///< summed over trials
  std::int64_t spikes(PopulationId p, TimeStep t) const {
    return spike_counts[p * static_cast<std::size_t>(counters_steps) + t];
  }
  TimeStep counters_steps = 0;
};

/// Runs every trial of `source`. `on_trial(i, record)` is called from worker threads, once per
/// trial; it must only write to storage owned by trial i.
RunTotals run_trials(const Network& net, const CompiledNetwork& compiled, const TrialSource& source,
                     const RunOptions& options,
                     const std::function<void(std::size_t, const TrialRecord&)>& on_trial);

/// The number of threads OpenMP would use for `requested` (0 = all available).
int resolve_threads(int requested);

}  // namespace snnsim::sim
