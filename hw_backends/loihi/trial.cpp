// SPDX-License-Identifier: MIT
#include "hw_backends/loihi/trial.hpp"

#include "hw_backends/common/engine_plan.hpp"

namespace snnsim::hw_backends::loihi {

void make_trial_input(const Program& p, const sim::Network& net, const sim::Stimulus& stimulus, TrialInput& out) {
  check_stimulus(net, stimulus);
  const auto steps = static_cast<std::size_t>(p.steps);
  out.spikes.resize(p.inputs.size());
  out.payload.resize(p.inputs.size());
  for (std::size_t i = 0; i < p.inputs.size(); ++i) {
    const ProgramInput& in = p.inputs[i];
    const sim::Population& pop = net.population(in.population);
    if (in.graded) {
      const std::span<const float> x = stimulus.values[in.population];
      out.payload[i].resize(steps * in.size);
      for (std::size_t j = 0; j < steps * in.size; ++j) out.payload[i][j] = graded_payload(x[j], in.payload_max);
    } else {
      const sim::SpikeTrains& trains = pop.fixed_spikes ? *pop.fixed_spikes : *stimulus.spikes[in.population];
      out.spikes[i].assign(steps, {});
      for (std::size_t j = 0; j < trains.step.size(); ++j)
        if (trains.step[j] >= 0 && trains.step[j] < p.steps)
          out.spikes[i][static_cast<std::size_t>(trains.step[j])].push_back(trains.neuron[j]);
    }
  }
}

void TrialOutput::reset(const Program& p, bool with_trace) {
  const auto steps = static_cast<std::size_t>(p.steps);
  trace = with_trace;
  spikes.resize(p.groups.size());
  u.resize(with_trace ? p.groups.size() : 0);
  v.resize(with_trace ? p.groups.size() : 0);
  synops.resize(p.groups.size());
  for (std::size_t g = 0; g < p.groups.size(); ++g) {
    spikes[g].resize(steps);
    for (auto& s : spikes[g]) s.clear();
    synops[g].assign(steps, 0);
    if (with_trace) {
      u[g].assign(steps * p.groups[g].size, 0);
      v[g].assign(steps * p.groups[g].size, 0);
    }
  }
}

}  // namespace snnsim::hw_backends::loihi
