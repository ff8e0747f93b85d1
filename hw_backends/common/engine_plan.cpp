// SPDX-License-Identifier: MIT
#include "hw_backends/common/engine_plan.hpp"

#include <string>
#include <variant>

#include "sim/isa.hpp"

namespace snnsim::hw_backends {

namespace {

// The affine kernel runs once per population and step over every neuron.
template <class Real>
[[gnu::always_inline]] inline void affine_kernel(const Real* __restrict scale, const Real* __restrict shift,
                                                 Real* __restrict x, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) x[i] = x[i] * scale[i] + shift[i];
}

SNNSIM_CLONES void affine_f32(const float* scale, const float* shift, float* x, std::size_t n) {
  affine_kernel(scale, shift, x, n);
}
SNNSIM_CLONES void affine_f64(const double* scale, const double* shift, double* x, std::size_t n) {
  affine_kernel(scale, shift, x, n);
}

}  // namespace

void apply_affine(const PopulationPlan& p, std::span<float> buf) {
  if (!p.affine_scale.empty()) affine_f32(p.affine_scale_f32.data(), p.affine_shift_f32.data(), buf.data(), buf.size());
}

void apply_affine(const PopulationPlan& p, std::span<double> buf) {
  if (!p.affine_scale.empty()) affine_f64(p.affine_scale.data(), p.affine_shift.data(), buf.data(), buf.size());
}

EnginePlan make_engine_plan(const sim::Network& net) {
  EnginePlan plan;
  plan.schedule = sim::make_schedule(net);
  plan.steps = net.steps();
  plan.populations.resize(net.population_count());
  for (sim::PopulationId id = 0; id < net.population_count(); ++id) {
    const sim::Population& pop = net.population(id);
    PopulationPlan& p = plan.populations[id];
    p.id = id;
    p.kind = pop.kind;
    p.size = pop.size;
    p.graded = pop.kind == sim::PopulationKind::Analog || (pop.kind == sim::PopulationKind::Input && pop.graded);
    p.lag = plan.schedule.lag[id];
    p.history = plan.schedule.history[id];
    if (pop.input_affine) {
      p.affine_scale = pop.input_affine->scale;
      p.affine_shift = pop.input_affine->shift;
      p.affine_scale_f32.assign(p.affine_scale.begin(), p.affine_scale.end());
      p.affine_shift_f32.assign(p.affine_shift.begin(), p.affine_shift.end());
    }
    for (const sim::EdgeRef& e : net.outgoing(id))
      if (std::holds_alternative<sim::Conv1d>(e.projection->connectivity)) p.needs_nonzero = true;
  }
  for (std::size_t o = 0; o < net.outputs().size(); ++o)
    plan.populations[net.outputs()[o].population].output = static_cast<int>(o);
  return plan;
}

void check_stimulus(const sim::Network& net, const sim::Stimulus& stimulus) {
  for (sim::PopulationId id = 0; id < net.population_count(); ++id) {
    const sim::Population& pop = net.population(id);
    if (pop.kind != sim::PopulationKind::Input || pop.fixed_spikes) continue;
    const std::size_t want = pop.size * static_cast<std::size_t>(net.steps());
    if (pop.graded) {
      const std::size_t got = id < stimulus.values.size() ? stimulus.values[id].size() : 0;
      if (got != want)
        throw Error("stimulus", pop.name, std::to_string(want) + " values (steps x size)", std::to_string(got));
    } else if (id >= stimulus.spikes.size() || !stimulus.spikes[id]) {
      throw Error("stimulus", pop.name, "spike trains", "nothing");
    }
  }
}

}  // namespace snnsim::hw_backends
