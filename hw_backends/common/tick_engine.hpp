// SPDX-License-Identifier: MIT
#pragma once
/// The tick loop shared by the time-stepped CPU backends. Each tick computes every population at
/// its own time t = tick - lag, in schedule order: (1) every incoming projection delivers into
/// the target's port buffers, in connection order, through the backend's Delivery policy;
/// (2) the input affine (unfolded BatchNorm) is applied; (3) neurons step, or the analog value is
/// taken, or the stimulus is read; (4) the output goes into the population's history ring and
/// the recorders. Only the Delivery policy differs between backends.
///
/// Ticks are taken in windows of up to Schedule::max_window ticks: each population computes all
/// its steps of a window before the next population starts. The numbers are the same (every
/// population does the same steps in the same order, and no projection reads, inside a window,
/// a population later in the order), but one population's weights serve a whole window while
/// they are in the cache: the LMUFormer's 1.6 MB of weights barely fit the L2 cache together,
/// one layer's 0.2 MB do. History rings grow by the window.
///
/// With threads > 1 (BackendOptions "threads") a network whose projections are all Sparse (every
/// delay >= 1, so nothing computed in a tick is read in the same tick) runs one trial on several
/// threads (split_trial.hpp): one OpenMP region for the whole trial, each thread delivering into
/// and stepping its own neuron range, threads meeting once per batch of steps and drifting up to
/// about one min-delay apart. Other networks run single-threaded.
#include <cstdint>
#include <memory>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "hw_backends/common/engine_plan.hpp"
#include "hw_backends/common/split_trial.hpp"
#include "sim/cache_aligned.hpp"

#ifdef _OPENMP
#include <omp.h>
#endif

namespace snnsim::hw_backends {

/// A projection prepared for delivery. Conv weights are stored transposed, [in][kernel][out], so
/// that one source event reads one contiguous row in target order.
template <class Real>
struct ProjectionPlan {
  enum class Kind { Conv, Identity, Sparse };
  Kind kind = Kind::Conv;
  std::size_t index = 0, port = 0;
  sim::PopulationId source = 0, target = 0;
  std::size_t out = 0, in = 0, kernel = 1;
  int first_offset = 0;
  /// Conv: [in][kernel][out]. Line-aligned: a vector load of a row that starts mid-line touches
  /// two lines, which made fan-out from the L2 cache 1.6x slower (malloc aligns to 16 bytes).
  sim::CacheAlignedVector<Real> weight;
  sim::CacheAlignedVector<Real> bias;  ///< Conv: empty or [out]
  std::vector<std::uint32_t> row_start, syn_target;  ///< Sparse: CSR by source neuron
  std::vector<Real> syn_weight;
  bool uniform_weight = false;  ///< Sparse: every syn_weight is bitwise syn_weight[0] (delivery reads none)
  sim::TimeStep delay = 0;

  const Real* row(std::size_t i, std::size_t k) const { return weight.data() + (i * kernel + k) * out; }
};

template <class Real>
std::vector<ProjectionPlan<Real>> make_projection_plans(const sim::Network& net);

template <class Real, class Scratch>
struct TickWorkspace final : sim::Workspace {
  std::vector<History<Real>> history;
  std::vector<std::unique_ptr<sim::NeuronPopulationState<Real>>> neurons;
  std::vector<std::size_t> train_cursor;  ///< spike inputs: position in their trains
  Scratch scratch;                        ///< the Delivery policy's own
  // Split trials only (threads > 1):
  std::vector<SpikeBatches> split_spikes;        ///< [population]
  std::vector<SplitThreadRecord> thread_records;     ///< [thread]
  std::unique_ptr<StepProgress> progress;
};

/// Delivery must provide a workspace type Scratch and
///   static void deliver(const ProjectionPlan<Real>&, const PopulationPlan& source,
///                       const History<Real>& source_history, sim::TimeStep t, sim::TimeStep steps,
///                       std::span<Real> port, sim::OpCounts* counts, Scratch& scratch);
///   static void finish(Scratch& scratch);  // after a population's last projection of the step
/// deliver may defer work into scratch; finish completes it before the population steps.
template <class Real, class Delivery>
class TickEngine final : public sim::CompiledNetwork {
  using Workspace = TickWorkspace<Real, typename Delivery::Scratch>;

 public:
  /// Longest window, and most bytes its longer history rings may add: windows of a few dozen
  /// steps already keep a layer's weights in the cache for many spikes.
  static constexpr sim::TimeStep kMaxWindow = 64;
  static constexpr std::size_t kMaxWindowBytes = std::size_t{16} << 20;

  TickEngine(const sim::Network& net, std::string backend_name, int threads = 1)
      : net_(&net), plan_(make_engine_plan(net)), projections_(make_projection_plans<Real>(net)),
        window_(choose_window(plan_)), backend_name_(std::move(backend_name)) {
    incoming_.resize(net.population_count());
    for (std::size_t j = 0; j < projections_.size(); ++j) incoming_[projections_[j].target].push_back(j);
    if (threads > 1 && splittable()) make_split(threads);
  }

  std::unique_ptr<sim::Workspace> make_workspace() const override {
    auto ws = std::make_unique<Workspace>();
    const std::size_t n = net_->population_count();
    ws->history.resize(n);
    ws->neurons.resize(n);
    ws->train_cursor.assign(n, 0);
    for (sim::PopulationId id = 0; id < n; ++id) {
      const PopulationPlan& p = plan_.populations[id];
      ws->history[id].init(p.history + window_ - 1, p.size, p.graded);  // a window ahead of its readers
      if (p.kind == sim::PopulationKind::Spiking) {
        ws->neurons[id] = sim::make_state<Real>(*net_->population(id).dynamics, p.size);
        if (!ws->neurons[id]) throw std::logic_error("neuron model without state in this precision");
      }
    }
    if (split_threads_ > 1) {
      ws->split_spikes.resize(n);
      for (sim::PopulationId id = 0; id < n; ++id)
        ws->split_spikes[id].init(plan_.populations[id].history, split_batch_, split_lead_, split_threads_);
      ws->thread_records.resize(static_cast<std::size_t>(split_threads_));
      ws->progress = std::make_unique<StepProgress>(split_threads_);
    }
    return ws;
  }

  void run_trial(sim::Workspace& base, const sim::Stimulus& stimulus, const sim::RecordOptions& options,
                 sim::TrialRecord& record) const override {
    auto& ws = static_cast<Workspace&>(base);
    check_stimulus(*net_, stimulus);
    reset(ws);
    if (split_threads_ > 1) return run_split_trial(ws, options, record);
    const sim::TimeStep steps = plan_.steps;
    for (sim::TimeStep tick = next_busy_tick(0); tick < plan_.schedule.ticks; tick = next_busy_tick(tick + window_))
      for (sim::PopulationId id : plan_.schedule.order) {
        const sim::TimeStep lag = plan_.populations[id].lag;
        const sim::TimeStep last = std::min(steps, tick + window_ - lag);
        for (sim::TimeStep t = std::max<sim::TimeStep>(0, tick - lag); t < last; ++t)
          compute(ws, id, t, stimulus, options, record);
      }
  }

  nlohmann::json describe() const override {
    return {{"backend", backend_name_}, {"ticks", plan_.schedule.ticks}, {"max_lag", plan_.schedule.max_lag},
            {"window", window_}, {"threads_per_trial", split_threads_}};
  }

  bool counts_neuron_spikes() const override { return true; }

  /// Threads one trial runs on (1 unless compiled with threads > 1 and the network splits).
  int threads_per_trial() const { return split_threads_; }

 private:
  static sim::TimeStep choose_window(const EnginePlan& plan) {
    std::size_t values_per_step = 1;  // what one more step of every ring holds, at most
    for (const PopulationPlan& p : plan.populations) values_per_step += p.size;
    const auto by_memory = static_cast<sim::TimeStep>(kMaxWindowBytes / (values_per_step * sizeof(Real)));
    const sim::TimeStep most = std::max<sim::TimeStep>(std::min(kMaxWindow, by_memory), 1);
    return std::clamp<sim::TimeStep>(plan.schedule.max_window, 1, most);
  }

  /// The first tick at or after `tick` at which some population computes a step (`ticks` when
  /// none does). Look-aheads (up to 2^31 - 1 steps per projection) leave long runs of ticks in
  /// which nothing computes; windows skip them instead of walking them. A window may start at any
  /// tick: every feedback edge reads at least a window behind wherever the window starts.
  sim::TimeStep next_busy_tick(sim::TimeStep tick) const {
    sim::TimeStep next = plan_.schedule.ticks;
    for (const PopulationPlan& p : plan_.populations)
      if (tick < p.lag + plan_.steps) next = std::min(next, std::max(tick, p.lag));
    return next;
  }

  void reset(Workspace& ws) const {
    for (auto& n : ws.neurons)
      if (n) n->reset();
    std::fill(ws.train_cursor.begin(), ws.train_cursor.end(), 0);
  }

  /// Where step t's deliveries into `port` add: the neurons' port, or an analog stream's own
  /// history slot (zeroed first: it held step t - slots, older than any reader reaches).
  std::span<Real> port_buffer(Workspace& ws, sim::PopulationId id, std::size_t port, sim::TimeStep t) const {
    if (plan_.populations[id].kind == sim::PopulationKind::Spiking) return ws.neurons[id]->port(port);
    return ws.history[id].values_slot(t);
  }

  void compute(Workspace& ws, sim::PopulationId id, sim::TimeStep t, const sim::Stimulus& stimulus,
               const sim::RecordOptions& options, sim::TrialRecord& record) const {
    const PopulationPlan& p = plan_.populations[id];
    History<Real>& hist = ws.history[id];
    std::vector<std::uint32_t>& events = hist.events[hist.slot(t)];
    events.clear();
    if (p.kind == sim::PopulationKind::Analog) std::ranges::fill(hist.values_slot(t), Real(0));

    for (std::size_t j : incoming_[id]) {
      const ProjectionPlan<Real>& proj = projections_[j];
      sim::OpCounts* counts = options.counters ? &record.counters.projection(proj.index, t) : nullptr;
      Delivery::deliver(proj, plan_.populations[proj.source], ws.history[proj.source], t, plan_.steps,
                        port_buffer(ws, id, proj.port, t), counts, ws.scratch);
    }
    Delivery::finish(ws.scratch);

    switch (p.kind) {
      case sim::PopulationKind::Spiking: {
        apply_affine(p, ws.neurons[id]->port(0));
        ws.neurons[id]->step(t, events);
        if (options.counters) record.counters.population(id, t).neuron_updates += static_cast<std::int64_t>(p.size);
        break;
      }
      case sim::PopulationKind::Analog: {
        std::span<Real> out = hist.values_slot(t);
        apply_affine(p, out);
        if (options.counters) record.counters.population(id, t).state_updates += static_cast<std::int64_t>(p.size);
        if (p.needs_nonzero)
          for (std::size_t i = 0; i < out.size(); ++i)
            if (out[i] != Real(0)) events.push_back(static_cast<std::uint32_t>(i));
        break;
      }
      case sim::PopulationKind::Input: {
        const sim::Population& pop = net_->population(id);
        if (p.graded) {
          std::span<Real> out = hist.values_slot(t);
          const float* row = stimulus.values[id].data() + static_cast<std::size_t>(t) * p.size;
          for (std::size_t i = 0; i < p.size; ++i) {
            out[i] = static_cast<Real>(row[i]);
            if (row[i] != 0.0f) events.push_back(static_cast<std::uint32_t>(i));
          }
        } else {
          const sim::SpikeTrains& trains = pop.fixed_spikes ? *pop.fixed_spikes : *stimulus.spikes[id];
          spikes_from_trains(trains, t, ws.train_cursor[id], events);
        }
        break;
      }
    }

    if (!p.graded) {
      record.spikes(id, t) = static_cast<std::int32_t>(events.size());
      if (options.counters) record.counters.population(id, t).spikes += static_cast<std::int64_t>(events.size());
      if (options.raster)
        for (std::uint32_t n : events) record.raster[id].push_back({t, n});
      if (options.neuron_counts)
        for (std::uint32_t n : events) ++record.neuron_spikes[id][n];
    }
    if (p.output >= 0) {
      const auto out = record.outputs[static_cast<std::size_t>(p.output)].begin() +
                       static_cast<std::ptrdiff_t>(static_cast<std::size_t>(t) * p.size);
      if (p.graded) {
        std::span<const Real> v = hist.values_at(t);
        std::copy(v.begin(), v.end(), out);
      } else {
        // A spiking population keeps no values (found by fuzz_nir_struct: a NIR Output after a
        // LIF read a null span): its output is its spikes, 1 where a neuron fired, else 0.
        for (std::uint32_t n : events) out[n] = 1.0;
      }
    }
  }

  // ---- split trials (one trial over several threads) ----------------------------------------

  /// Only spike-coupled networks split: Sparse projections (delay >= 1) between spike sources and
  /// neuron populations whose model can step a range; no analog streams, no look-ahead lags, no
  /// value outputs (the split loop records spikes only).
  bool splittable() const {
    for (const ProjectionPlan<Real>& p : projections_)
      if (p.kind != ProjectionPlan<Real>::Kind::Sparse || p.delay < 1) return false;
    for (const PopulationPlan& p : plan_.populations) {
      if (p.lag != 0 || p.graded || p.kind == sim::PopulationKind::Analog || p.output >= 0) return false;
      if (p.kind == sim::PopulationKind::Spiking) {
        const auto probe = sim::make_state<Real>(*net_->population(p.id).dynamics, 1);
        if (!probe || !probe->can_step_range()) return false;
      }
    }
    return true;
  }

  void make_split(int threads) {
    split_threads_ = threads;
    sim::TimeStep min_delay = std::max<sim::TimeStep>(plan_.steps, 1);
    for (const ProjectionPlan<Real>& p : projections_) min_delay = std::min(min_delay, p.delay);
    // Batches of half the min-delay: threads meet every B steps, yet a thread may finish a
    // whole batch ahead of the slowest before it waits (lead = floor(K / B) >= 2 batches).
    split_batch_ = std::max<sim::TimeStep>(1, min_delay / 2);
    split_lead_ = min_delay / split_batch_;
    // Neuron populations go whole to threads when their sizes balance within 10 % (ff: two of
    // its four layers each), else each is cut in line-aligned equal ranges (cuba: one population).
    std::vector<std::size_t> sizes;
    for (const PopulationPlan& p : plan_.populations) sizes.push_back(p.kind == sim::PopulationKind::Spiking ? p.size : 0);
    const std::vector<int> owner = whole_population_owners(sizes, threads, 1.1);
    for (const PopulationPlan& p : plan_.populations)
      if (p.kind != sim::PopulationKind::Spiking)
        ranges_.push_back(NeuronRanges::first_only(p.size, threads));
      else if (!owner.empty())
        ranges_.push_back(NeuronRanges::only(p.size, threads, owner[p.id]));
      else
        ranges_.push_back(NeuronRanges::even(p.size, threads, sim::kCacheLine / sizeof(Real)));
    for (const ProjectionPlan<Real>& p : projections_) {
      split_rows_.emplace_back(p.row_start, p.syn_target, p.syn_weight, ranges_[p.target], threads);
      split_synapses_.push_back(static_cast<std::int64_t>(p.syn_target.size()));
    }
  }

  void run_split_trial(Workspace& ws, const sim::RecordOptions& options, sim::TrialRecord& record) const {
    const std::size_t npop = plan_.populations.size();
    for (SpikeBatches& s : ws.split_spikes)
      for (SpikeBatch& x : s.batches) x.spikes.clear();
    ws.progress->reset();
#ifdef _OPENMP
#pragma omp parallel num_threads(split_threads_)
    split_thread_loop(ws, omp_get_thread_num(), options, record.neuron_spikes);
#else
    for (int b = 0; b < split_threads_; ++b) split_thread_loop(ws, b, options, record.neuron_spikes);  // not reached: no split without OpenMP
#endif
    for (const SplitThreadRecord& r : ws.thread_records)
      for (std::size_t k = 0; k < r.spike_counts.size(); ++k) record.spike_counts[k] += r.spike_counts[k];
    if (options.counters)
      add_split_counters(plan_, projections_, split_synapses_, total_synops(ws.thread_records), record);
    if (options.raster)
      for (std::size_t id = 0; id < npop; ++id) merge_rasters(ws.thread_records, id, record.raster[id]);
  }

  /// One thread's whole trial: its neuron ranges, in schedule order, batch by batch; batch m
  /// waits only for every thread to have finished batch m - lead (its reads are of steps <=
  /// t - K, all in batches <= m - lead). Each thread counts the spikes of its own neurons into
  /// neuron_spikes (with RecordOptions::neuron_counts): no two threads write the same count.
  void split_thread_loop(Workspace& ws, int b, const sim::RecordOptions& options,
                         std::vector<std::vector<std::int32_t>>& neuron_spikes) const {
    SplitThreadRecord& rec = ws.thread_records[static_cast<std::size_t>(b)];
    rec.reset(plan_.populations.size(), projections_.size(), plan_.steps, options);
    sim::TimeStep finished_by_all = -1;  // batches every thread has finished, as last seen
    for (sim::TimeStep m = 0; m * split_batch_ < plan_.steps; ++m) {
      if (m - split_lead_ > finished_by_all) finished_by_all = ws.progress->wait_all(m - split_lead_);
      const sim::TimeStep end = std::min(plan_.steps, (m + 1) * split_batch_);
      for (sim::TimeStep t = m * split_batch_; t < end; ++t) split_step(ws, rec, b, t, options, neuron_spikes);
      ws.progress->publish(b, m);
    }
  }

  /// Step t of every population, for the neurons of thread b.
  void split_step(Workspace& ws, SplitThreadRecord& rec, int b, sim::TimeStep t, const sim::RecordOptions& options,
                  std::vector<std::vector<std::int32_t>>& neuron_spikes) const {
    const sim::TimeStep steps = plan_.steps;
    for (sim::PopulationId id : plan_.schedule.order) {
      const PopulationPlan& p = plan_.populations[id];
      const std::size_t lo = ranges_[id].begin(b), hi = ranges_[id].end(b);
      std::vector<std::uint32_t>& out = ws.split_spikes[id].open(t, b);
      for (std::size_t j : incoming_[id]) deliver_split(ws, j, t, b, options.counters ? rec.synops.data() : nullptr);
      if (p.kind == sim::PopulationKind::Spiking) {
        if (lo < hi) ws.neurons[id]->step_range(t, lo, hi, out);
      } else if (lo < hi) {
        const sim::Population& pop = net_->population(id);
        append_spikes_from_trains(*pop.fixed_spikes, t, ws.train_cursor[id], out);
      }
      const std::span<const std::uint32_t> fired = ws.split_spikes[id].close(t, b);
      rec.spike_counts[id * static_cast<std::size_t>(steps) + static_cast<std::size_t>(t)] =
          static_cast<std::int32_t>(fired.size());
      if (options.raster)
        for (std::uint32_t n : fired) rec.raster[id].push_back({t, n});
      if (options.neuron_counts)
        for (std::uint32_t n : fired) ++neuron_spikes[id][n];
    }
  }

  /// Delivers projection j's spikes of step t - delay into thread b's targets; with `synops`,
  /// records the synaptic events at [projection][step].
  void deliver_split(Workspace& ws, std::size_t j, sim::TimeStep t, int b, std::int64_t* synops) const {
    const ProjectionPlan<Real>& p = projections_[j];
    const sim::TimeStep s = t - p.delay;
    if (s < 0) return;
    const SplitRows<Real>& rows = split_rows_[j];
    Real* __restrict buf = ws.neurons[p.target]->port(p.port).data();
    const std::uint32_t* __restrict target = rows.target.data();
    const Real* __restrict weight = rows.weight.data();
    const SpikeBatches& src = ws.split_spikes[p.source];
    std::int64_t touched = 0;
    for (std::size_t part = 0; part < src.threads; ++part)
      for (std::uint32_t i : src.list(s, part)) {
        const std::uint32_t begin = rows.begin(i, b), end = rows.end(i, b);
        add_synapse_row(buf, target, p.uniform_weight ? p.syn_weight.data() : weight, p.uniform_weight, begin, end);
        touched += end - begin;
      }
    if (synops) synops[p.index * static_cast<std::size_t>(plan_.steps) + static_cast<std::size_t>(t)] = touched;
  }

  const sim::Network* net_;
  EnginePlan plan_;
  std::vector<ProjectionPlan<Real>> projections_;
  sim::TimeStep window_ = 1;  ///< ticks per window (see the top of this file)
  std::vector<std::vector<std::size_t>> incoming_;  ///< per target, projection plans in connection order
  std::string backend_name_;
  int split_threads_ = 1;
  sim::TimeStep split_batch_ = 1;              ///< steps between meetings of the threads
  sim::TimeStep split_lead_ = 1;               ///< batch m waits for all to finish batch m - lead
  std::vector<NeuronRanges> ranges_;           ///< per population (split trials)
  std::vector<SplitRows<Real>> split_rows_;    ///< per projection (split trials)
  std::vector<std::int64_t> split_synapses_;   ///< per projection: its synapses (dense-equivalent ops)
};

}  // namespace snnsim::hw_backends
