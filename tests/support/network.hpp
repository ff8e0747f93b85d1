// SPDX-License-Identifier: MIT
#pragma once
/// Populations for hand-built test networks: the fields every test sets, in one place. Callers
/// may still set others (e.g. fixed_spikes) on the returned value.
#include <cstddef>
#include <string>

#include "sim/network.hpp"
#include "tests/support/registries.hpp"

namespace snnsim::test {

/// An input population of spikes (graded: of real values).
inline sim::Population input_population(const std::string& name, std::size_t size, bool graded = false) {
  sim::Population p;
  p.name = name;
  p.size = size;
  p.kind = sim::PopulationKind::Input;
  p.graded = graded;
  return p;
}

/// A population of a registered neuron model with the given parameters, its dynamics made.
inline sim::Population spiking_population(const std::string& name, std::size_t size, const std::string& model,
                                          const sim::ParamValues& params = {}) {
  sim::Population p;
  p.name = name;
  p.size = size;
  p.kind = sim::PopulationKind::Spiking;
  p.neuron_model = model;
  p.params = params;
  p.dynamics = registries().neurons.get(model, "test", "model").instantiate(params, {}, size, "test", name);
  return p;
}

}  // namespace snnsim::test
