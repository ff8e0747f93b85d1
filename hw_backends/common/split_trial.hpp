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
/// Threads meet rarely: with K = the smallest delay in steps (NEST's min-delay), a population
/// at step t reads only spikes of steps <= t - K. Steps are grouped into batches of B <= K steps,
/// and a thread may start batch m as soon as every thread has finished batch m - floor(K / B)
/// (each publishes the last batch it finished), so threads drift apart by up to ~K steps.
///
/// Why batches, not steps: a step of these networks is a few microseconds of work per thread,
/// and every cache line one thread writes and another reads costs a cross-core transfer
/// (~100 ns). Exchanging per step (a progress word and a spike list per population, each
/// bouncing every step) cost as much as the work and made two threads slower than one. A
/// thread now writes each population's spikes of a whole batch into one buffer, read by the
/// others once per batch, and progress is published once per batch.
///
/// The network-parallel MPI engine (hw_backends/distributed) runs each rank's block on threads
/// with the same pieces: its ranges, rows, per-thread records, spike batches (one batch = one
/// exchange block) and the counters that follow from them.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <span>
#include <thread>
#include <vector>

#include "hw_backends/common/engine_plan.hpp"
#include "sim/network.hpp"
#include "sim/record.hpp"

namespace snnsim::hw_backends {

/// Spin-wait hint: lets the sibling hyperthread run and saves power while spinning.
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

/// Per thread, the last step (or batch) it has finished (release on publish, acquire on wait,
/// so the spikes and port additions of that step are visible to the waiter). A waiter spins for
/// up to kSpin (longer than a batch of work on an idle machine, so it normally never sleeps),
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
  /// Returns once every thread has finished `step` (at once when step < 0), with the last step
  /// every thread has finished (>= step): the caller need not ask again until it needs more.
  sim::TimeStep wait_all(sim::TimeStep step) {
    sim::TimeStep least = std::numeric_limits<sim::TimeStep>::max();
    for (Slot& s : done_) {
      sim::TimeStep seen = s.step.load(std::memory_order_acquire);
      if (seen < step) seen = wait_for(s, step);
      least = std::min(least, seen);
    }
    return least;
  }

 private:
  static constexpr std::chrono::microseconds kSpin{50};
  struct alignas(64) Slot {
    std::atomic<sim::TimeStep> step{-1};
    std::atomic<int> sleepers{0};
  };
  std::vector<Slot> done_;

  static sim::TimeStep wait_for(Slot& s, sim::TimeStep step) {
    const auto give_up = std::chrono::steady_clock::now() + kSpin;
    for (int spin = 1;; ++spin) {
      cpu_relax();
      const sim::TimeStep seen = s.step.load(std::memory_order_acquire);
      if (seen >= step) return seen;
      if (spin % 64 == 0 && std::chrono::steady_clock::now() > give_up) break;
    }
    while (true) {
      s.sleepers.fetch_add(1, std::memory_order_seq_cst);
      const sim::TimeStep seen = s.step.load(std::memory_order_seq_cst);
      if (seen >= step) {
        s.sleepers.fetch_sub(1, std::memory_order_relaxed);
        return seen;
      }
      s.step.wait(seen, std::memory_order_acquire);
      s.sleepers.fetch_sub(1, std::memory_order_relaxed);
    }
  }
};

/// Contiguous neuron ranges, one per thread: thread b owns [bounds[b], bounds[b + 1]).
struct NeuronRanges {
  std::vector<std::size_t> bounds;
  /// Equal shares, each boundary rounded to a multiple of `granule` neurons: with granule = the
  /// neurons per cache line (and line-aligned state arrays, sim/cache_aligned.hpp) no two
  /// threads write the same line. Sharing a line at the boundary cost more than the work saved:
  /// with ~1,000 neurons per population a thread steps its range in ~0.3 us, while the line
  /// bounces between the cores (~100 ns a transfer) for every state array, every step.
  static NeuronRanges even(std::size_t size, int threads, std::size_t granule = 1) {
    NeuronRanges r;
    const auto t = static_cast<std::size_t>(threads);
    r.bounds.resize(t + 1);
    for (std::size_t b = 0; b <= t; ++b)
      r.bounds[b] = std::min(size, (size * b / t + granule / 2) / granule * granule);
    r.bounds[t] = size;
    return r;
  }
  /// Everything to thread 0 (spike sources, which are read from their trains by one thread).
  static NeuronRanges first_only(std::size_t size, int threads) { return only(size, threads, 0); }
  /// Everything to thread `owner`.
  static NeuronRanges only(std::size_t size, int threads, int owner) {
    NeuronRanges r;
    r.bounds.assign(static_cast<std::size_t>(threads) + 1, size);
    for (int b = 0; b <= owner; ++b) r.bounds[static_cast<std::size_t>(b)] = 0;
    return r;
  }
  std::size_t begin(int b) const { return bounds[static_cast<std::size_t>(b)]; }
  std::size_t end(int b) const { return bounds[static_cast<std::size_t>(b) + 1]; }
};

/// Whole populations to threads, when that balances: `sizes` are the neuron counts of the
/// populations to share (0 for those not to share), the result the owning thread of each, or
/// empty when the most loaded thread would step more than `tolerance` times its share.
/// Longest first to the least loaded thread (LPT). Why whole populations: threads stepping two
/// halves of one array slow each other down even with no line in common - the hardware
/// prefetchers run 2-3 lines past the end of a stream, into the next thread's first lines of
/// every state array, every step (measured: the upper thread ~1.6x slower per neuron).
inline std::vector<int> whole_population_owners(const std::vector<std::size_t>& sizes, int threads, double tolerance) {
  std::vector<std::size_t> order(sizes.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return sizes[a] > sizes[b]; });
  std::vector<std::size_t> load(static_cast<std::size_t>(threads), 0);
  std::vector<int> owner(sizes.size(), 0);
  std::size_t total = 0;
  for (std::size_t i : order) {
    const auto least = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    owner[i] = static_cast<int>(least);
    load[least] += sizes[i];
    total += sizes[i];
  }
  const double share = static_cast<double>(total) / static_cast<double>(threads);
  if (total == 0 || static_cast<double>(*std::max_element(load.begin(), load.end())) > tolerance * share) return {};
  return owner;
}

/// A Sparse projection's CSR rows cut by target range: the synapses of source i whose targets
/// thread b owns are [begin(i, b), end(i, b)) of `target` and `weight`, in the given order.
/// Stored thread by thread (all of thread 0's rows, then thread 1's, ...), so that each thread
/// reads one compact block that its own cache can hold; rows interleaved by thread put half of
/// every line a thread loads, and of every line its prefetchers fetch, in another thread's part.
template <class Real>
struct SplitRows {
  std::size_t threads = 1, rows = 0;
  std::vector<std::uint32_t> start;  ///< [thread][source + 1]: thread b's row i starts at start[b * (rows + 1) + i]
  std::vector<std::uint32_t> target;
  std::vector<Real> weight;

  SplitRows(const std::vector<std::uint32_t>& row_start, const std::vector<std::uint32_t>& syn_target,
            const std::vector<Real>& syn_weight, const NeuronRanges& ranges, int nthreads)
      : threads(static_cast<std::size_t>(nthreads)), rows(row_start.size() - 1) {
    start.resize(threads * (rows + 1));
    target.reserve(syn_target.size());
    weight.reserve(syn_weight.size());
    for (std::size_t b = 0; b < threads; ++b)
      for (std::size_t i = 0; i < rows; ++i) {
        start[b * (rows + 1) + i] = static_cast<std::uint32_t>(target.size());
        for (std::uint32_t j = row_start[i]; j < row_start[i + 1]; ++j)
          if (syn_target[j] >= ranges.bounds[b] && syn_target[j] < ranges.bounds[b + 1]) {
            target.push_back(syn_target[j]);
            weight.push_back(syn_weight[j]);
          }
        start[b * (rows + 1) + i + 1] = static_cast<std::uint32_t>(target.size());
      }
  }
  std::uint32_t begin(std::uint32_t source, int b) const { return start[static_cast<std::size_t>(b) * (rows + 1) + source]; }
  std::uint32_t end(std::uint32_t source, int b) const { return start[static_cast<std::size_t>(b) * (rows + 1) + source + 1]; }
};

/// What one thread records during a split trial (TickEngine's, or a rank's block in the
/// distributed engine); merged afterwards. Only what differs between threads is kept: the other
/// counters (spikes, neuron updates, dense ops) follow from the plan (add_split_counters). Each
/// thread resets its own record, so the lines it writes every step are in its own cache, not in
/// the core that cleared them (a full OpCounters per thread, cleared by the main thread, cost a
/// cross-core miss per projection and population every step).
struct alignas(64) SplitThreadRecord {
  std::vector<std::int32_t> spike_counts;             ///< [population][step]
  std::vector<std::vector<sim::SpikeEvent>> raster;   ///< [population], sorted by step then neuron
  std::vector<std::int64_t> synops;                   ///< [projection][step]: synaptic events delivered
  void reset(std::size_t populations, std::size_t projections, sim::TimeStep steps, const sim::RecordOptions& o) {
    spike_counts.assign(populations * static_cast<std::size_t>(steps), 0);
    raster.resize(o.raster ? populations : 0);
    for (auto& r : raster) r.clear();
    synops.assign(o.counters ? projections * static_cast<std::size_t>(steps) : 0, 0);
  }
};

/// One thread's spikes of one population during one batch of steps: the steps' spike lists
/// back to back, so that another thread reads a whole batch in a few cache lines.
struct alignas(64) SpikeBatch {
  std::vector<std::uint32_t> spikes;    ///< step by step, each step's neurons ascending
  std::vector<std::uint32_t> step_end;  ///< [step in batch]: end of that step's spikes
};

/// Per population: the spike batches of the last `depth` batches, one per thread. The
/// distributed engine's threads meet only at its exchanges: batch = the exchange block, lead 0
/// (the exchange reads a block before any thread starts the next), history 0 (its deliveries
/// read the exchanged spikes instead), so one batch per thread.
struct SpikeBatches {
  sim::TimeStep batch = 1;  ///< steps per batch
  sim::TimeStep depth = 2;  ///< batches kept
  std::size_t threads = 1;
  std::vector<SpikeBatch> batches;  ///< [slot * threads + thread]

  /// `history`: a reader at step t reads steps down to t - history + 1; `lead`: a thread may
  /// start batch m once all have finished batch m - lead, so a reader may be that many batches
  /// behind the writer.
  void init(sim::TimeStep history, sim::TimeStep batch_steps, sim::TimeStep lead, int nthreads) {
    batch = batch_steps;
    depth = lead + (history + batch - 1) / batch + 1;
    threads = static_cast<std::size_t>(nthreads);
    batches.assign(static_cast<std::size_t>(depth) * threads, {});
    for (SpikeBatch& b : batches) b.step_end.assign(static_cast<std::size_t>(batch), 0);
  }
  /// Starts step t of thread b: the list to append that step's spikes to (the batch so far).
  std::vector<std::uint32_t>& open(sim::TimeStep t, int b) {
    SpikeBatch& x = at(t, static_cast<std::size_t>(b));
    if (t % batch == 0) x.spikes.clear();
    return x.spikes;
  }
  /// Ends step t of thread b; returns that step's spikes.
  std::span<const std::uint32_t> close(sim::TimeStep t, int b) {
    SpikeBatch& x = at(t, static_cast<std::size_t>(b));
    x.step_end[static_cast<std::size_t>(t % batch)] = static_cast<std::uint32_t>(x.spikes.size());
    return list(t, static_cast<std::size_t>(b));
  }
  /// The spikes of thread b's neurons at step t (a closed step).
  std::span<const std::uint32_t> list(sim::TimeStep t, std::size_t b) const {
    const SpikeBatch& x = at(t, b);
    const auto k = static_cast<std::size_t>(t % batch);
    const std::uint32_t begin = k ? x.step_end[k - 1] : 0;
    return {x.spikes.data() + begin, x.step_end[k] - begin};
  }

 private:
  SpikeBatch& at(sim::TimeStep t, std::size_t b) {
    return batches[static_cast<std::size_t>(t / batch % depth) * threads + b];
  }
  const SpikeBatch& at(sim::TimeStep t, std::size_t b) const {
    return batches[static_cast<std::size_t>(t / batch % depth) * threads + b];
  }
};

/// Every thread's synaptic events summed, [projection][step] (empty without counters).
inline std::vector<std::int64_t> total_synops(const std::vector<SplitThreadRecord>& records) {
  std::vector<std::int64_t> total(records.empty() ? 0 : records.front().synops.size(), 0);
  for (const SplitThreadRecord& r : records)
    for (std::size_t k = 0; k < total.size(); ++k) total[k] += r.synops[k];
  return total;
}

template <class Real>
struct ProjectionPlan;  // tick_engine.hpp

/// The counters a split trial implies, as the single-threaded loop fills them: per population
/// and step its spikes (from `record`'s spike counts, which must be complete) and (spiking)
/// neuron updates; per projection and step from its first delivery on, the synaptic events of
/// all threads and the synapse count as dense ops. `synops`: [projection][step], summed over the
/// threads (and ranks); `synapses`: [projection], all of its synapses.
template <class Real>
void add_split_counters(const EnginePlan& plan, const std::vector<ProjectionPlan<Real>>& projections,
                        std::span<const std::int64_t> synapses, std::span<const std::int64_t> synops,
                        sim::TrialRecord& record) {
  const sim::TimeStep steps = plan.steps;
  for (const PopulationPlan& p : plan.populations)
    for (sim::TimeStep t = 0; t < steps; ++t) {
      sim::OpCounts& c = record.counters.population(p.id, t);
      c.spikes += record.spikes(p.id, t);
      if (p.kind == sim::PopulationKind::Spiking) c.neuron_updates += static_cast<std::int64_t>(p.size);
    }
  for (const ProjectionPlan<Real>& p : projections)
    for (sim::TimeStep t = p.delay; t < steps; ++t) {
      const std::int64_t events = synops[p.index * static_cast<std::size_t>(steps) + static_cast<std::size_t>(t)];
      sim::OpCounts& c = record.counters.projection(p.index, t);
      c.acs += events;
      c.executed_ops += events;
      c.dense_ops += synapses[p.index];
    }
}

/// Merges per-thread rasters (each sorted by step, thread ranges ascending) into step, neuron order.
template <class Record>
void merge_rasters(std::vector<Record>& parts, std::size_t population, std::vector<sim::SpikeEvent>& out) {
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
