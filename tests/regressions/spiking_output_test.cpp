// SPDX-License-Identifier: MIT
// Regression (found by fuzz_nir_struct on its first seed): a network output on a spiking
// population - what a NIR file with an Output node after a LIF imports to - made the tick engine
// copy from the population's value history, which spiking populations do not keep (a null span:
// undefined behaviour, a crash without sanitizers). Its output is now its spikes as 0/1 values.
#include <doctest/doctest.h>

#include "sim/backend.hpp"
#include "sim/record.hpp"
#include "tests/support/registries.hpp"

using namespace snnsim;

TEST_CASE("regression: the output of a spiking population is its spikes, 1 or 0, on both float backends") {
  const auto& r = test::registries();
  sim::Network net("spiking-output", 6, sim::Precision::F32);
  sim::Population in;
  in.name = "input";
  in.size = 2;
  in.kind = sim::PopulationKind::Input;
  in.graded = true;
  const auto i = net.add_population(std::move(in));
  sim::Population lif;
  lif.name = "a";
  lif.size = 2;
  lif.kind = sim::PopulationKind::Spiking;
  lif.neuron_model = "lif";
  lif.params = {{"tau", 2.0}, {"v_threshold", 0.5}};
  lif.dynamics = r.neurons.get("lif", "test", "a").instantiate(lif.params, {}, 2, "test", "a");
  const auto a = net.add_population(std::move(lif));
  net.connect(i, a, {"identity", 0, sim::Conv1d{2, 2, 1, 0, {1.0, 0.0, 0.0, 1.0}, {}}});
  net.add_output(a, "spikes");
  // Neuron 0 gets 1 every step: H = V + (1 - V) / 2 = 0.5 from V = 0, so it fires every step
  // and resets to 0. Neuron 1 gets 0.4: H = 0.2, 0.3, 0.35, 0.375, ... never 0.5.
  const std::vector<float> x = {1.0f, 0.4f, 1.0f, 0.4f, 1.0f, 0.4f, 1.0f, 0.4f, 1.0f, 0.4f, 1.0f, 0.4f};
  const std::vector<double> expected = {1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0};
  for (const char* name : {"cpu_event", "dense_reference"}) {
    CAPTURE(name);
    const auto compiled = r.backends.get(name, "test", "backend").compile(net, {});
    const auto ws = compiled->make_workspace();
    sim::Stimulus stimulus;
    stimulus.resize(net.population_count());
    stimulus.values[i] = x;
    sim::TrialRecord record;
    const sim::RecordOptions options{.raster = true, .counters = true};
    record.reset(net, options);
    compiled->run_trial(*ws, stimulus, options, record);
    CHECK(record.outputs.at(0) == expected);
    CHECK(record.total_spikes(a) == 6);
  }
}
