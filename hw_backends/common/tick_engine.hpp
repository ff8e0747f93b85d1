// SPDX-License-Identifier: MIT
#pragma once
/// The tick loop shared by the time-stepped CPU backends. Each tick computes every population at
/// its own time t = tick - lag, in schedule order: (1) every incoming projection delivers into
/// the target's port buffers, in connection order, through the backend's Delivery policy;
/// (2) the input affine (unfolded BatchNorm) is applied; (3) neurons step, or the analog value is
/// taken, or the stimulus is read; (4) the output goes into the population's history ring and
/// the recorders. Only the Delivery policy differs between backends.
#include <cstdint>
#include <memory>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "hw_backends/common/engine_plan.hpp"

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
  std::vector<Real> weight;  ///< Conv: [in][kernel][out]
  std::vector<Real> bias;    ///< Conv: empty or [out]
  std::vector<std::uint32_t> row_start, syn_target;  ///< Sparse: CSR by source neuron
  std::vector<Real> syn_weight;
  sim::TimeStep delay = 0;

  const Real* row(std::size_t i, std::size_t k) const { return weight.data() + (i * kernel + k) * out; }
};

template <class Real>
std::vector<ProjectionPlan<Real>> make_projection_plans(const sim::Network& net);

template <class Real>
struct TickWorkspace final : sim::Workspace {
  std::vector<History<Real>> history;
  std::vector<std::unique_ptr<sim::NeuronPopulationState<Real>>> neurons;
  std::vector<std::vector<Real>> analog_input;  ///< port buffer of analog populations
  std::vector<std::size_t> train_cursor;        ///< spike inputs: position in their trains
  std::vector<Real> dense_scratch;              ///< for dense delivery of spike sources
};

/// Delivery must provide:
///   static void deliver(const ProjectionPlan<Real>&, const PopulationPlan& source,
///                       const History<Real>& source_history, sim::TimeStep t, sim::TimeStep steps,
///                       std::span<Real> port, sim::OpCounts* counts, std::vector<Real>& scratch);
template <class Real, class Delivery>
class TickEngine final : public sim::CompiledNetwork {
 public:
  TickEngine(const sim::Network& net, std::string backend_name)
      : net_(&net), plan_(make_engine_plan(net)), projections_(make_projection_plans<Real>(net)),
        backend_name_(std::move(backend_name)) {
    incoming_.resize(net.population_count());
    for (std::size_t j = 0; j < projections_.size(); ++j) incoming_[projections_[j].target].push_back(j);
  }

  std::unique_ptr<sim::Workspace> make_workspace() const override {
    auto ws = std::make_unique<TickWorkspace<Real>>();
    const std::size_t n = net_->population_count();
    ws->history.resize(n);
    ws->neurons.resize(n);
    ws->analog_input.resize(n);
    ws->train_cursor.assign(n, 0);
    for (sim::PopulationId id = 0; id < n; ++id) {
      const PopulationPlan& p = plan_.populations[id];
      ws->history[id].init(p.history, p.size, p.graded);
      if (p.kind == sim::PopulationKind::Spiking) {
        ws->neurons[id] = sim::make_state<Real>(*net_->population(id).dynamics, p.size);
        if (!ws->neurons[id]) throw std::logic_error("neuron model without state in this precision");
      } else if (p.kind == sim::PopulationKind::Analog) {
        ws->analog_input[id].assign(p.size, Real(0));
      }
    }
    return ws;
  }

  void run_trial(sim::Workspace& base, const sim::Stimulus& stimulus, const sim::RecordOptions& options,
                 sim::TrialRecord& record) const override {
    auto& ws = static_cast<TickWorkspace<Real>&>(base);
    check_stimulus(*net_, stimulus);
    reset(ws);
    const sim::TimeStep steps = plan_.steps;
    for (sim::TimeStep tick = 0; tick < plan_.schedule.ticks; ++tick)
      for (sim::PopulationId id : plan_.schedule.order) {
        const sim::TimeStep t = tick - plan_.populations[id].lag;
        if (t >= 0 && t < steps) compute(ws, id, t, stimulus, options, record);
      }
  }

  nlohmann::json describe() const override {
    return {{"backend", backend_name_}, {"ticks", plan_.schedule.ticks}, {"max_lag", plan_.schedule.max_lag}};
  }

 private:
  void reset(TickWorkspace<Real>& ws) const {
    for (auto& h : ws.history) h.clear();
    for (auto& n : ws.neurons)
      if (n) n->reset();
    for (auto& a : ws.analog_input) std::fill(a.begin(), a.end(), Real(0));
    std::fill(ws.train_cursor.begin(), ws.train_cursor.end(), 0);
  }

  std::span<Real> port_buffer(TickWorkspace<Real>& ws, sim::PopulationId id, std::size_t port) const {
    if (plan_.populations[id].kind == sim::PopulationKind::Spiking) return ws.neurons[id]->port(port);
    return ws.analog_input[id];
  }

  void compute(TickWorkspace<Real>& ws, sim::PopulationId id, sim::TimeStep t, const sim::Stimulus& stimulus,
               const sim::RecordOptions& options, sim::TrialRecord& record) const {
    const PopulationPlan& p = plan_.populations[id];
    History<Real>& hist = ws.history[id];
    const std::size_t slot = hist.slot(t);
    hist.time[slot] = t;
    std::vector<std::uint32_t>& events = hist.events[slot];
    events.clear();

    for (std::size_t j : incoming_[id]) {
      const ProjectionPlan<Real>& proj = projections_[j];
      sim::OpCounts* counts = options.counters ? &record.counters.projection(proj.index, t) : nullptr;
      Delivery::deliver(proj, plan_.populations[proj.source], ws.history[proj.source], t, plan_.steps,
                        port_buffer(ws, id, proj.port), counts, ws.dense_scratch);
    }

    switch (p.kind) {
      case sim::PopulationKind::Spiking: {
        apply_affine<Real>(p, ws.neurons[id]->port(0));
        ws.neurons[id]->step(t, events);
        if (options.counters) record.counters.population(id, t).neuron_updates += static_cast<std::int64_t>(p.size);
        break;
      }
      case sim::PopulationKind::Analog: {
        std::span<Real> in = ws.analog_input[id];
        apply_affine<Real>(p, in);
        std::span<Real> out = hist.values_slot(t);
        std::copy(in.begin(), in.end(), out.begin());
        std::fill(in.begin(), in.end(), Real(0));
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
    }
    if (p.output >= 0) {
      std::span<const Real> v = hist.values_at(t);
      std::copy(v.begin(), v.end(), record.outputs[static_cast<std::size_t>(p.output)].begin() +
                                        static_cast<std::ptrdiff_t>(static_cast<std::size_t>(t) * p.size));
    }
  }

  const sim::Network* net_;
  EnginePlan plan_;
  std::vector<ProjectionPlan<Real>> projections_;
  std::vector<std::vector<std::size_t>> incoming_;  ///< per target, projection plans in connection order
  std::string backend_name_;
};

}  // namespace snnsim::hw_backends
