// SPDX-License-Identifier: MIT
#include "hw_backends/distributed/network_parallel.hpp"

#include <algorithm>
#include <span>

#include <fmt/format.h>

#include "hw_backends/common/split_trial.hpp"
#include "hw_backends/common/tick_engine.hpp"
#include "sim/error.hpp"

#ifdef _OPENMP
#include <omp.h>
#endif

namespace snnsim::hw_backends {

namespace {

/// Every exchanged spike of the last `depth` steps of one population, whole-population neuron
/// indices in ascending order (the ranks' lists concatenated in rank order).
struct SpikeRing {
  sim::TimeStep depth = 1;
  std::vector<std::vector<std::uint32_t>> slots;
  void init(sim::TimeStep d) {
    depth = d;
    slots.assign(static_cast<std::size_t>(d), {});
  }
  std::vector<std::uint32_t>& at(sim::TimeStep t) { return slots[static_cast<std::size_t>(t % depth)]; }
  const std::vector<std::uint32_t>& at(sim::TimeStep t) const { return slots[static_cast<std::size_t>(t % depth)]; }
};

/// The checks of TickEngine::splittable, with a message: what a network needs to be distributed.
void check_distributable(const sim::Network& net) {
  for (const sim::EdgeRef& e : net.projections()) {
    const auto* s = std::get_if<sim::Sparse>(&e.projection->connectivity);
    if (!s || s->delay < 1)
      throw Error(net.name(), fmt::format("projection {}", e.projection->name),
                  "sparse synapses with a delay of at least one step, to run over MPI",
                  s ? "delay 0" : "a dense or identity projection");
  }
  const sim::Schedule schedule = sim::make_schedule(net);
  for (sim::PopulationId id = 0; id < net.population_count(); ++id) {
    const sim::Population& pop = net.population(id);
    const bool graded = pop.kind == sim::PopulationKind::Analog || (pop.kind == sim::PopulationKind::Input && pop.graded);
    bool output = false;
    for (const sim::Output& o : net.outputs()) output = output || o.population == id;
    if (graded || output || schedule.lag[id] != 0)
      throw Error(net.name(), fmt::format("population {}", pop.name), "spiking neurons or spike inputs, to run over MPI",
                  graded ? "real values" : output ? "a value output" : "a look-ahead");
  }
}

template <class Real>
class NetworkParallelEngine final : public NetworkParallel {
 public:
  NetworkParallelEngine(const sim::Network& net, const sim::Communicator& comm, int threads)
      : net_(&net), comm_(&comm), plan_(make_engine_plan(net)), projections_(make_projection_plans<Real>(net)),
        threads_(threads) {
    const std::size_t npop = net.population_count();
    incoming_.resize(npop);
    interval_ = plan_.steps;
    sim::TimeStep max_delay = 1;
    for (std::size_t j = 0; j < projections_.size(); ++j) {
      incoming_[projections_[j].target].push_back(j);
      interval_ = std::min(interval_, projections_[j].delay);
      max_delay = std::max(max_delay, projections_[j].delay);
    }
    interval_ = std::max<sim::TimeStep>(interval_, 1);
    for (sim::PopulationId id = 0; id < npop; ++id) {
      const PopulationPlan& p = plan_.populations[id];
      ranges_.push_back(thread_ranges(p));
      if (p.kind == sim::PopulationKind::Spiking) {
        const auto probe = sim::make_state<Real>(*net.population(id).dynamics, 1);
        if (!probe || !probe->can_step_range())
          throw Error(net.name(), fmt::format("population {}", net.population(id).name),
                      "a neuron model that can step a range of neurons, to run over MPI", net.population(id).neuron_model);
        // Only spiking populations that something reads are exchanged.
        if (!net.outgoing(id).empty()) exchanged_.push_back(id);
      }
    }
    // Each rank keeps the synapses onto its own neurons only, cut per thread.
    for (ProjectionPlan<Real>& p : projections_) {
      rows_.emplace_back(p.row_start, p.syn_target, p.syn_weight, ranges_[p.target], threads_);
      synapses_.push_back(static_cast<std::int64_t>(p.syn_target.size()));
      p.syn_target = {};
      p.syn_weight = {};
      p.row_start = {};
    }
    // Workspace: neuron states (whole populations; a rank steps only its block), rings.
    neurons_.resize(npop);
    received_.resize(npop);
    own_.resize(npop);
    cursor_.assign(npop, 0);
    for (sim::PopulationId id = 0; id < npop; ++id) {
      if (plan_.populations[id].kind == sim::PopulationKind::Spiking)
        neurons_[id] = sim::make_state<Real>(*net.population(id).dynamics, plan_.populations[id].size);
      // A block reads steps up to max_delay back while the block just exchanged is written.
      received_[id].init(max_delay + interval_);
      own_[id].init(/*history=*/0, /*batch_steps=*/interval_, /*lead=*/0, threads_);
    }
    records_.resize(static_cast<std::size_t>(threads_));
  }

  void run_trial(const sim::Stimulus& stimulus, const sim::RecordOptions& options, sim::TrialRecord& record,
                 ExchangeTimes& times) override {
    check_stimulus(*net_, stimulus);
    reset();
#ifdef _OPENMP
#pragma omp parallel num_threads(threads_)
    thread_trial(stimulus, omp_get_thread_num(), options, times);
#else
    for (int b = 0; b < threads_; ++b) thread_trial(stimulus, b, options, times);  // threads_ is 1 without OpenMP
#endif
    gather_record(options, record);
  }

  nlohmann::json describe() const override {
    return {{"backend", "cpu_event"},
            {"distributed", {{"ranks", comm_->size()}, {"threads_per_rank", threads_}, {"exchange_every_steps", interval_}}}};
  }

 private:
  /// This rank's block of a spiking population, cut into one range per thread; inputs are
  /// replicated (every rank reads the whole train, on its communicating thread).
  NeuronRanges thread_ranges(const PopulationPlan& p) const {
    if (p.kind != sim::PopulationKind::Spiking) return NeuronRanges::first_only(p.size, threads_);
    const sim::Block block = sim::Block::of(p.size, comm_->rank(), comm_->size());
    NeuronRanges r;
    const auto t = static_cast<std::size_t>(threads_);
    for (std::size_t b = 0; b <= t; ++b) r.bounds.push_back(block.begin + block.size() * b / t);
    return r;
  }

  void reset() {
    for (auto& n : neurons_)
      if (n) n->reset();
    for (SpikeRing& r : received_)
      for (auto& s : r.slots) s.clear();
    std::fill(cursor_.begin(), cursor_.end(), 0);
  }

  /// One thread's trial: blocks of D steps, each followed by the exchange on thread 0. Each
  /// thread resets its own record (SplitThreadRecord).
  void thread_trial(const sim::Stimulus& stimulus, int b, const sim::RecordOptions& options, ExchangeTimes& times) {
    SplitThreadRecord& rec = records_[static_cast<std::size_t>(b)];
    rec.reset(plan_.populations.size(), projections_.size(), plan_.steps, options);
    for (sim::TimeStep t0 = 0; t0 < plan_.steps; t0 += interval_) {
      const sim::TimeStep t1 = std::min(t0 + interval_, plan_.steps);
      const double start = b == 0 ? comm_->wtime() : 0.0;
      for (sim::TimeStep t = t0; t < t1; ++t) step(rec, b, t, options);
#pragma omp barrier
      if (b == 0) {  // thread 0 is the thread that initialised MPI (MPI_THREAD_FUNNELED)
        read_inputs(stimulus, t0, t1, rec, options);
        const double computed = comm_->wtime();
        times.compute += computed - start;
        exchange(t0, t1, times);
      }
#pragma omp barrier
    }
  }

  /// Step t of every spiking population, for the neurons of thread b of this rank.
  void step(SplitThreadRecord& rec, int b, sim::TimeStep t, const sim::RecordOptions& options) {
    for (sim::PopulationId id : plan_.schedule.order) {
      if (plan_.populations[id].kind != sim::PopulationKind::Spiking) continue;
      const std::size_t lo = ranges_[id].begin(b), hi = ranges_[id].end(b);
      std::vector<std::uint32_t>& out = own_[id].open(t, b);
      for (std::size_t j : incoming_[id]) deliver(j, t, b, options.counters ? rec.synops.data() : nullptr);
      if (lo < hi) neurons_[id]->step_range(t, lo, hi, out);
      record_spikes(rec, id, t, own_[id].close(t, b), options);
    }
  }

  /// Spike counts and raster only: the counters follow from them (add_split_counters).
  void record_spikes(SplitThreadRecord& rec, sim::PopulationId id, sim::TimeStep t,
                     std::span<const std::uint32_t> spikes, const sim::RecordOptions& options) const {
    rec.spike_counts[id * static_cast<std::size_t>(plan_.steps) + static_cast<std::size_t>(t)] =
        static_cast<std::int32_t>(spikes.size());
    if (options.raster)
      for (std::uint32_t n : spikes) rec.raster[id].push_back({t, n});
  }

  /// As the split trial's delivery, from the exchanged spikes (all ranks', ascending); with
  /// `synops`, records the synaptic events at [projection][step].
  void deliver(std::size_t j, sim::TimeStep t, int b, std::int64_t* synops) {
    const ProjectionPlan<Real>& p = projections_[j];
    const sim::TimeStep s = t - p.delay;
    if (s < 0) return;
    const SplitRows<Real>& rows = rows_[j];
    Real* __restrict buf = neurons_[p.target]->port(p.port).data();
    const std::uint32_t* __restrict target = rows.target.data();
    const Real* __restrict weight = rows.weight.data();
    std::int64_t touched = 0;
    for (std::uint32_t i : received_[p.source].at(s)) {
      const std::uint32_t end = rows.end(i, b);
      for (std::uint32_t k = rows.begin(i, b); k < end; ++k) buf[target[k]] += weight[k];
      touched += end - rows.begin(i, b);
    }
    if (synops) synops[p.index * static_cast<std::size_t>(plan_.steps) + static_cast<std::size_t>(t)] = touched;
  }

  /// The replicated input populations' spikes of steps [t0, t1), straight into the exchanged
  /// ring (they are first read at t0 + D); recorded on rank 0 only, so they count once.
  void read_inputs(const sim::Stimulus& stimulus, sim::TimeStep t0, sim::TimeStep t1, SplitThreadRecord& rec,
                   const sim::RecordOptions& options) {
    for (sim::PopulationId id = 0; id < plan_.populations.size(); ++id) {
      if (plan_.populations[id].kind != sim::PopulationKind::Input) continue;
      const sim::Population& pop = net_->population(id);
      const sim::SpikeTrains& trains = pop.fixed_spikes ? *pop.fixed_spikes : *stimulus.spikes[id];
      for (sim::TimeStep t = t0; t < t1; ++t) {
        std::vector<std::uint32_t>& out = received_[id].at(t);
        spikes_from_trains(trains, t, cursor_[id], out);
        if (comm_->root()) record_spikes(rec, id, t, out, options);
      }
    }
  }

  /// Every rank's spikes of steps [t0, t1) of the exchanged populations into the rings.
  void exchange(sim::TimeStep t0, sim::TimeStep t1, ExchangeTimes& times) {
    const double start = comm_->wtime();
    const std::size_t steps = static_cast<std::size_t>(interval_), per_rank = exchanged_.size() * steps;
    const auto ranks = static_cast<std::size_t>(comm_->size());
    std::vector<std::int32_t> counts(per_rank, 0);  // [population][step of the block], padded
    send_.clear();
    for (std::size_t e = 0; e < exchanged_.size(); ++e)
      for (sim::TimeStep t = t0; t < t1; ++t) {
        const std::size_t before = send_.size();
        for (std::size_t b = 0; b < static_cast<std::size_t>(threads_); ++b) {
          const std::span<const std::uint32_t> l = own_[exchanged_[e]].list(t, b);
          send_.insert(send_.end(), l.begin(), l.end());
        }
        counts[e * steps + static_cast<std::size_t>(t - t0)] = static_cast<std::int32_t>(send_.size() - before);
      }
    all_counts_.assign(per_rank * ranks, 0);
    const double packed = comm_->wtime();
    comm_->allgather(counts, all_counts_);
    const double arrived = comm_->wtime();
    std::vector<std::int32_t> totals(ranks, 0);
    for (std::size_t q = 0; q < ranks; ++q)
      for (std::size_t k = 0; k < per_rank; ++k) totals[q] += all_counts_[q * per_rank + k];
    std::size_t all = 0;
    for (std::int32_t n : totals) all += static_cast<std::size_t>(n);
    recv_.resize(all);
    comm_->allgatherv(send_, totals, recv_);
    // Unpack in rank order: rank q's list of (population, step) follows rank q-1's.
    std::vector<std::size_t> at(ranks, 0);
    for (std::size_t q = 1; q < ranks; ++q) at[q] = at[q - 1] + static_cast<std::size_t>(totals[q - 1]);
    for (std::size_t e = 0; e < exchanged_.size(); ++e)
      for (sim::TimeStep t = t0; t < t1; ++t) {
        std::vector<std::uint32_t>& ring = received_[exchanged_[e]].at(t);
        ring.clear();
        for (std::size_t q = 0; q < ranks; ++q) {
          const auto n = static_cast<std::size_t>(all_counts_[q * per_rank + e * steps + static_cast<std::size_t>(t - t0)]);
          ring.insert(ring.end(), recv_.begin() + static_cast<std::ptrdiff_t>(at[q]),
                      recv_.begin() + static_cast<std::ptrdiff_t>(at[q] + n));
          at[q] += n;
        }
      }
    const double done = comm_->wtime();
    times.waiting += arrived - packed;
    times.communication += (packed - start) + (done - arrived);
    ++times.exchanges;
    times.spikes_sent += static_cast<std::int64_t>(send_.size());
    times.spikes_received += static_cast<std::int64_t>(all);
  }

  /// Threads' records merged, then all ranks' summed (integers: spike counts, then synaptic
  /// events) and rasters merged on rank 0, where the other counters follow from them.
  void gather_record(const sim::RecordOptions& options, sim::TrialRecord& record) {
    const std::size_t cells = plan_.populations.size() * static_cast<std::size_t>(plan_.steps);
    std::vector<std::int64_t> sums(cells, 0);
    for (const SplitThreadRecord& r : records_)
      for (std::size_t k = 0; k < cells; ++k) sums[k] += r.spike_counts[k];
    const std::vector<std::int64_t> synops = total_synops(records_);
    sums.insert(sums.end(), synops.begin(), synops.end());
    comm_->reduce_sum(sums);
    std::vector<std::vector<std::int64_t>> rasters;
    if (options.raster) rasters = comm_->gather(pack_rasters());
    if (!comm_->root()) return;
    for (std::size_t k = 0; k < cells; ++k) record.spike_counts[k] = static_cast<std::int32_t>(sums[k]);
    if (options.counters)
      add_split_counters(plan_, projections_, synapses_, std::span<const std::int64_t>(sums).subspan(cells), record);
    if (options.raster) unpack_rasters(rasters, record);
  }

  /// This rank's raster, its threads merged: per population, the count then (step, neuron) pairs.
  std::vector<std::int64_t> pack_rasters() {
    std::vector<std::int64_t> out;
    std::vector<sim::SpikeEvent> merged;
    for (std::size_t id = 0; id < plan_.populations.size(); ++id) {
      merged.clear();
      merge_rasters(records_, id, merged);
      out.push_back(static_cast<std::int64_t>(merged.size()));
      for (const sim::SpikeEvent& e : merged) {
        out.push_back(e.step);
        out.push_back(e.neuron);
      }
    }
    return out;
  }

  /// The ranks' rasters merged by step (rank blocks ascending: neuron order within a step).
  void unpack_rasters(const std::vector<std::vector<std::int64_t>>& packed, sim::TrialRecord& record) const {
    const std::size_t npop = plan_.populations.size();
    std::vector<SplitThreadRecord> parts(packed.size());
    for (std::size_t q = 0; q < packed.size(); ++q) {
      parts[q].raster.resize(npop);
      std::size_t at = 0;
      for (std::size_t id = 0; id < npop; ++id) {
        const auto n = static_cast<std::size_t>(packed[q][at++]);
        for (std::size_t k = 0; k < n; ++k, at += 2)
          parts[q].raster[id].push_back({packed[q][at], static_cast<std::uint32_t>(packed[q][at + 1])});
      }
    }
    for (std::size_t id = 0; id < npop; ++id) merge_rasters(parts, id, record.raster[id]);
  }

  const sim::Network* net_;
  const sim::Communicator* comm_;
  EnginePlan plan_;
  std::vector<ProjectionPlan<Real>> projections_;  ///< synapse arrays dropped: rows_ hold this rank's
  std::vector<std::vector<std::size_t>> incoming_;  ///< per target, projections in connection order
  int threads_;
  sim::TimeStep interval_ = 1;                 ///< D, the smallest delay: steps between exchanges
  std::vector<sim::PopulationId> exchanged_;   ///< spiking populations with outgoing projections
  std::vector<NeuronRanges> ranges_;           ///< per population: this rank's block per thread
  std::vector<SplitRows<Real>> rows_;          ///< per projection: synapses onto this rank, per thread
  std::vector<std::int64_t> synapses_;         ///< per projection: all synapses (dense-equivalent ops)
  // Trial state
  std::vector<std::unique_ptr<sim::NeuronPopulationState<Real>>> neurons_;
  std::vector<SpikeRing> received_;   ///< per population: exchanged (or replicated input) spikes
  std::vector<SpikeBatches> own_;     ///< per population: this rank's spikes of the current block, per thread
  std::vector<std::size_t> cursor_;   ///< input populations: position in their trains
  std::vector<SplitThreadRecord> records_;
  std::vector<std::uint32_t> send_, recv_;
  std::vector<std::int32_t> all_counts_;
};

}  // namespace

std::unique_ptr<NetworkParallel> compile_network_parallel(const sim::Network& net, const sim::Communicator& comm,
                                                          int threads) {
  check_distributable(net);
  if (net.precision() == sim::Precision::F32) return std::make_unique<NetworkParallelEngine<float>>(net, comm, threads);
  return std::make_unique<NetworkParallelEngine<double>>(net, comm, threads);
}

}  // namespace snnsim::hw_backends
