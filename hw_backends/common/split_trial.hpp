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
/// Threads never meet in lockstep: with K = the smallest delay in steps (NEST's min-delay), a
/// population at step t reads only spikes of steps <= t - K, so a thread may start step t as
/// soon as every other thread has finished step t - K (each publishes the last step it
/// finished). The spike rings hold K more steps than the delays need, so a thread running up to
/// K steps ahead never overwrites what a slower thread still reads.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#include "sim/network.hpp"
#include "sim/record.hpp"

namespace snnsim::hw_backends {

/// Per thread, the last step it has finished (release on publish, acquire on wait, so the
/// spikes and port additions of that step are visible to the waiter). A waiter spins briefly,
/// then sleeps on the value (C++20 atomic wait, a futex): on a busy machine the thread it waits
/// for gets the core. Publishers wake sleepers only when one has said it sleeps.
class StepProgress {
 public:
  explicit StepProgress(int threads) : done_(static_cast<std::size_t>(threads)) {}
  void reset() {
    for (Slot& s : done_) {
      s.step.store(-1, std::memory_order_relaxed);
      s.sleepers.store(0, std::memory_order_relaxed);
    }
  }
  void publish(int thread, sim::TimeStep step) {
    Slot& s = done_[static_cast<std::size_t>(thread)];
    s.step.store(step, std::memory_order_seq_cst);
    if (s.sleepers.load(std::memory_order_seq_cst) > 0) s.step.notify_all();
  }
  /// Returns once every thread has finished `step` (or at once when step < 0).
  void wait_all(sim::TimeStep step) {
    if (step < 0) return;
    for (Slot& s : done_) {
      for (int spin = 0; spin < kSpins; ++spin)
        if (s.step.load(std::memory_order_acquire) >= step) break;
      while (true) {
        s.sleepers.fetch_add(1, std::memory_order_seq_cst);
        const sim::TimeStep seen = s.step.load(std::memory_order_seq_cst);
        if (seen >= step) {
          s.sleepers.fetch_sub(1, std::memory_order_relaxed);
          break;
        }
        s.step.wait(seen, std::memory_order_acquire);
        s.sleepers.fetch_sub(1, std::memory_order_relaxed);
      }
    }
  }

 private:
  static constexpr int kSpins = 2000;
  struct alignas(64) Slot {
    std::atomic<sim::TimeStep> step{-1};
    std::atomic<int> sleepers{0};
  };
  std::vector<Slot> done_;
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
struct alignas(64) ThreadRecord {
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

/// One thread's spike list, on its own cache line (threads push concurrently: no false sharing).
struct alignas(64) SpikeList {
  std::vector<std::uint32_t> spikes;
};

/// Per population: the spike lists of the last `depth` steps, one list per thread.
struct SplitSpikes {
  sim::TimeStep depth = 2;
  std::size_t threads = 1;
  std::vector<SpikeList> lists;  ///< [slot * threads + thread]
  /// `history`: steps the readers need; `interval`: steps a thread may run ahead of another.
  void init(sim::TimeStep history, sim::TimeStep interval, int nthreads) {
    depth = history + interval;
    threads = static_cast<std::size_t>(nthreads);
    lists.assign(static_cast<std::size_t>(depth) * threads, {});
  }
  std::vector<std::uint32_t>& list(sim::TimeStep t, int b) {
    return lists[static_cast<std::size_t>(t % depth) * threads + static_cast<std::size_t>(b)].spikes;
  }
  const std::vector<std::uint32_t>& list(sim::TimeStep t, std::size_t b) const {
    return lists[static_cast<std::size_t>(t % depth) * threads + b].spikes;
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
