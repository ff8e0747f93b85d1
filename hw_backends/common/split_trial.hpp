// SPDX-License-Identifier: MIT
#pragma once
/// Splitting one trial over threads (OpenMP inside a trial, for large single-trial networks).
///
/// Every population's neurons are cut into one contiguous range per thread; thread b delivers
/// only into targets of its range and then steps only that range, so no two threads write the
/// same neuron and there is no lock. Each Sparse projection's fan-out rows are re-cut per
/// thread (stable: a thread sees the synapses of its range in the given order), so every target
/// receives its additions in the canonical order - source spikes ascending (the threads' spike
/// lists concatenated in thread order are ascending), then synapses in the given order -
/// and results are bit-identical for any number of threads.
///
/// Threads meet only once per communication interval of K = the smallest delay steps (NEST's
/// min-delay scheme): a population at step t reads spikes of steps <= t - K, which were all
/// emitted before the current interval began. The spike rings hold K more steps than the
/// delays need, so a thread running ahead inside an interval never overwrites what a slower
/// thread still reads.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#include "sim/network.hpp"
#include "sim/record.hpp"

namespace snnsim::hw_backends {

/// A barrier that spins briefly, then yields the CPU: on an idle machine threads meet within
/// microseconds; on a busy one a waiting thread lets the thread it waits for run instead of
/// burning the core (OpenMP's barrier spins for long, which starves an oversubscribed machine).
class YieldingBarrier {
 public:
  explicit YieldingBarrier(int threads) : threads_(threads) {}
  void arrive_and_wait() {
    const unsigned generation = generation_.load(std::memory_order_acquire);
    if (arrived_.fetch_add(1, std::memory_order_acq_rel) + 1 == threads_) {
      arrived_.store(0, std::memory_order_relaxed);
      generation_.fetch_add(1, std::memory_order_release);
      return;
    }
    for (int spin = 0; generation_.load(std::memory_order_acquire) == generation; ++spin)
      if (spin >= kSpins) std::this_thread::yield();
  }

 private:
  static constexpr int kSpins = 4000;
  const int threads_;
  std::atomic<int> arrived_{0};
  std::atomic<unsigned> generation_{0};
};

/// Contiguous neuron ranges, one per thread: thread b owns [bounds[b], bounds[b + 1]).
struct NeuronRanges {
  std::vector<std::size_t> bounds;
  static NeuronRanges even(std::size_t size, int threads) {
    NeuronRanges r;
    const auto t = static_cast<std::size_t>(threads);
    r.bounds.resize(t + 1);
    for (std::size_t b = 0; b <= t; ++b) r.bounds[b] = size * b / t;
    return r;
  }
  /// Everything to thread 0 (spike sources, which are read from their trains by one thread).
  static NeuronRanges first_only(std::size_t size, int threads) {
    NeuronRanges r;
    r.bounds.assign(static_cast<std::size_t>(threads) + 1, size);
    r.bounds[0] = 0;
    return r;
  }
  std::size_t begin(int b) const { return bounds[static_cast<std::size_t>(b)]; }
  std::size_t end(int b) const { return bounds[static_cast<std::size_t>(b) + 1]; }
};

/// A Sparse projection's CSR rows cut by target range: the synapses of source i whose targets
/// thread b owns are [start[i * (T + 1) + b], start[i * (T + 1) + b + 1]).
template <class Real>
struct SplitRows {
  std::size_t threads = 1;
  std::vector<std::uint32_t> start, target;
  std::vector<Real> weight;

  SplitRows(const std::vector<std::uint32_t>& row_start, const std::vector<std::uint32_t>& syn_target,
            const std::vector<Real>& syn_weight, const NeuronRanges& ranges, int nthreads)
      : threads(static_cast<std::size_t>(nthreads)) {
    const std::size_t rows = row_start.size() - 1;
    start.resize(rows * (threads + 1) + 1);
    target.reserve(syn_target.size());
    weight.reserve(syn_weight.size());
    for (std::size_t i = 0; i < rows; ++i)
      for (std::size_t b = 0; b < threads; ++b) {
        start[i * (threads + 1) + b] = static_cast<std::uint32_t>(target.size());
        for (std::uint32_t j = row_start[i]; j < row_start[i + 1]; ++j)
          if (syn_target[j] >= ranges.bounds[b] && syn_target[j] < ranges.bounds[b + 1]) {
            target.push_back(syn_target[j]);
            weight.push_back(syn_weight[j]);
          }
        start[i * (threads + 1) + b + 1] = static_cast<std::uint32_t>(target.size());
      }
  }
  std::uint32_t begin(std::uint32_t source, int b) const { return start[source * (threads + 1) + static_cast<std::size_t>(b)]; }
  std::uint32_t end(std::uint32_t source, int b) const { return start[source * (threads + 1) + static_cast<std::size_t>(b) + 1]; }
};

/// What one thread records during a split trial; merged into the TrialRecord afterwards.
struct ThreadRecord {
  std::vector<std::int32_t> spike_counts;             ///< [population][step]
  std::vector<std::vector<sim::SpikeEvent>> raster;   ///< [population], sorted by step then neuron
  sim::OpCounters counters;
  void reset(std::size_t populations, std::size_t projections, sim::TimeStep steps, const sim::RecordOptions& o) {
    spike_counts.assign(populations * static_cast<std::size_t>(steps), 0);
    raster.resize(o.raster ? populations : 0);
    for (auto& r : raster) r.clear();
    if (o.counters) {
      if (counters.steps() != steps || counters.population_count() != populations ||
          counters.projection_count() != projections)
        counters = sim::OpCounters(populations, projections, steps);
      else
        counters.clear();
    }
  }
};

/// Per population: the spike lists of the last `depth` steps, one list per thread.
struct SplitSpikes {
  sim::TimeStep depth = 2;
  std::size_t threads = 1;
  std::vector<std::vector<std::uint32_t>> lists;  ///< [slot * threads + thread]
  /// `history`: steps the readers need; `interval`: steps a thread may run ahead of another.
  void init(sim::TimeStep history, sim::TimeStep interval, int nthreads) {
    depth = history + interval;
    threads = static_cast<std::size_t>(nthreads);
    lists.assign(static_cast<std::size_t>(depth) * threads, {});
  }
  std::vector<std::uint32_t>& list(sim::TimeStep t, int b) {
    return lists[static_cast<std::size_t>(t % depth) * threads + static_cast<std::size_t>(b)];
  }
  const std::vector<std::uint32_t>& list(sim::TimeStep t, std::size_t b) const {
    return lists[static_cast<std::size_t>(t % depth) * threads + b];
  }
};

/// Merges per-thread rasters (each sorted by step, thread ranges ascending) into step, neuron order.
inline void merge_rasters(std::vector<ThreadRecord>& parts, std::size_t population, std::vector<sim::SpikeEvent>& out) {
  std::vector<std::size_t> at(parts.size(), 0);
  for (;;) {
    sim::TimeStep best = -1;
    for (std::size_t b = 0; b < parts.size(); ++b) {
      const auto& r = parts[b].raster[population];
      if (at[b] < r.size() && (best < 0 || r[at[b]].step < best)) best = r[at[b]].step;
    }
    if (best < 0) return;
    for (std::size_t b = 0; b < parts.size(); ++b) {
      const auto& r = parts[b].raster[population];
      while (at[b] < r.size() && r[at[b]].step == best) out.push_back(r[at[b]++]);
    }
  }
}

}  // namespace snnsim::hw_backends
