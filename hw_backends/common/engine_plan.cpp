// SPDX-License-Identifier: MIT
#include "hw_backends/common/engine_plan.hpp"

#include <string>
#include <variant>

namespace snnsim::hw_backends {

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
