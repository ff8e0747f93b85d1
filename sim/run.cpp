// SPDX-License-Identifier: MIT
#include "sim/run.hpp"

#include <atomic>
#include <exception>
#include <mutex>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace snnsim::sim {

int resolve_threads(int requested) {
#ifdef _OPENMP
  return requested > 0 ? requested : omp_get_max_threads();
#else
  (void)requested;
  return 1;
#endif
}

RunTotals run_trials(const Network& net, const CompiledNetwork& compiled, const TrialSource& source,
                     const RunOptions& options,
                     const std::function<void(std::size_t, const TrialRecord&)>& on_trial) {
  const std::size_t n = source.count();
  const int threads = resolve_threads(options.threads);
  // Per-thread partial totals, merged in thread order afterwards; the sums are integers, so the
  // result is the same for any thread count and any assignment of trials to threads.
  std::vector<RunTotals> partial(static_cast<std::size_t>(threads));
  std::atomic<std::size_t> done{0};
  std::exception_ptr failure;
  std::atomic<bool> failed{false};
  std::mutex failure_mutex;

#pragma omp parallel num_threads(threads)
  {
    int tid = 0;
#ifdef _OPENMP
    tid = omp_get_thread_num();
#endif
    RunTotals& mine = partial[static_cast<std::size_t>(tid)];
    mine.spike_counts.assign(net.population_count() * static_cast<std::size_t>(net.steps()), 0);
    std::unique_ptr<Workspace> ws;
    TrialRecord record;
    Stimulus stimulus;
    std::vector<float> buffer;
    try {
      ws = compiled.make_workspace();
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      failed = true;
    }
#pragma omp for schedule(dynamic, 8)
    for (std::size_t i = 0; i < n; ++i) {
      if (failed) continue;
      try {
        stimulus.resize(net.population_count());
        source.fill(i, stimulus, buffer);
        RecordOptions trial_options = options.record;
        trial_options.raster = trial_options.raster && i < options.raster_trials;
        // Per-neuron counts from a raster only where the backend does not count them itself.
        const bool count_from_raster = trial_options.neuron_counts && !compiled.counts_neuron_spikes();
        const bool raster_asked = trial_options.raster;
        trial_options.raster = raster_asked || count_from_raster;
        record.reset(net, trial_options);
        compiled.run_trial(*ws, stimulus, trial_options, record);
        if (count_from_raster) record.count_neuron_spikes_from_raster();
        if (!raster_asked) record.raster.clear();
        for (std::size_t k = 0; k < record.spike_counts.size(); ++k) mine.spike_counts[k] += record.spike_counts[k];
        if (options.record.counters && options.record.counters_per_trial) mine.counters += record.counters;
        ++mine.trials;
        on_trial(i, record);
      } catch (...) {
        std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
      failed = true;
      }
      const std::size_t d = ++done;
      if (options.progress) {
#ifdef _OPENMP
        if (omp_get_thread_num() == 0 || d == n) {
          std::lock_guard lock(failure_mutex);
          options.progress(d, n);
        }
#else
        options.progress(d, n);
#endif
      }
    }
    // Without per-trial counters the record holds this worker's sum.
    if (options.record.counters && !options.record.counters_per_trial && mine.trials > 0) mine.counters = record.counters;
  }
  if (failure) std::rethrow_exception(failure);

  RunTotals totals;
  totals.counters_steps = net.steps();
  // Zeros of the network's shape even when no trial ran (a rank without images still reduces).
  totals.counters = OpCounters(net.population_count(), net.projection_count(), net.steps());
  totals.spike_counts.assign(net.population_count() * static_cast<std::size_t>(net.steps()), 0);
  for (const RunTotals& p : partial) {
    totals.trials += p.trials;
    for (std::size_t k = 0; k < p.spike_counts.size(); ++k) totals.spike_counts[k] += p.spike_counts[k];
    totals.counters += p.counters;
  }
  return totals;
}

}  // namespace snnsim::sim
