// SPDX-License-Identifier: MIT
// Regression: a projection may read up to 2^31 - 1 steps into its source's future (NIR taps,
// hand-built networks). Each such look-ahead runs its target that many ticks behind its source, so
// three in a row made a trial of 8 steps span 6.4e9 ticks. With a feedback edge (one tick a
// window) the time-stepped backends walked every one of them, nearly all with nothing to compute,
// and a trial did not end. Windows now skip the idle ticks; the regressions' 120 s limit
// (tests/CMakeLists.txt) fails this test if they do not.
#include <doctest/doctest.h>

#include <limits>
#include <string>
#include <vector>

#include "sim/network.hpp"
#include "tests/support/error_of.hpp"
#include "tests/support/network.hpp"
#include "tests/support/registries.hpp"

using namespace snnsim;

namespace {

constexpr sim::TimeStep kSteps = 8;

/// in -> a1 -> a2 -> a3 (each reading its source `ahead` steps into the future) -> lif, with a
/// delayed recurrent synapse on lif (a feedback edge: windows of one tick). Only a3 has a bias,
/// so the look-aheads, which read past the trial's end (zeros), change no number. Output: a3.
sim::Network chain(int ahead) {
  sim::Network net("far_look_ahead", kSteps, sim::Precision::F32);
  sim::PopulationId prev = net.add_population(test::input_population("in", 2, true));
  for (const std::string name : {"a1", "a2", "a3"}) {
    const std::vector<double> bias = name == "a3" ? std::vector<double>{1.5, 1.25} : std::vector<double>{};
    sim::Population analog;
    analog.name = name;
    analog.size = 2;
    analog.kind = sim::PopulationKind::Analog;
    analog.graded = true;
    const sim::PopulationId id = net.add_population(std::move(analog));
    net.connect(prev, id, {name + ".in", 0, sim::Conv1d{2, 2, 1, ahead, {1.0, 0.0, 0.0, 1.0}, bias}});
    prev = id;
  }
  const sim::PopulationId lif = net.add_population(test::spiking_population("lif", 2, "lif"));
  net.connect(prev, lif, {"drive", 0, sim::Conv1d{2, 2, 1, 0, {1.0, 0.0, 0.0, 1.0}, {}}});
  net.connect(lif, lif, {"recurrent", 0, sim::Sparse{{0, 1}, {1, 0}, {0.25, 0.25}, 1}});
  net.add_output(prev, "a3");
  return net;
}

sim::TrialRecord run(const sim::Network& net, const std::string& backend) {
  const auto compiled = test::registries().backends.get(backend, "test", "backend").compile(net, {});
  const auto ws = compiled->make_workspace();
  const std::vector<float> zeros(2 * kSteps, 0.0f);
  sim::Stimulus stimulus;
  stimulus.resize(net.population_count());
  stimulus.values[0] = zeros;
  sim::TrialRecord record;
  record.reset(net, {});
  compiled->run_trial(*ws, stimulus, {}, record);
  return record;
}

}  // namespace

TEST_CASE("regression: look-aheads of 2^31 - 1 steps in a row run a short trial without walking 6e9 idle ticks") {
  const sim::Network far = chain(std::numeric_limits<std::int32_t>::max());
  const sim::Network near = chain(0);
  CHECK(sim::make_schedule(far).ticks == kSteps + 3 * sim::TimeStep{std::numeric_limits<std::int32_t>::max()});
  CHECK(sim::make_schedule(far).max_window == 1);
  for (const std::string backend : {"cpu_event", "dense_reference"}) {
    CAPTURE(backend);
    const sim::TrialRecord got = run(far, backend);
    // The same numbers as without the look-aheads: a3 is its bias at every step, and lif spikes.
    const sim::TrialRecord expected = run(near, backend);
    CHECK(got.spike_counts == expected.spike_counts);
    CHECK(got.outputs == expected.outputs);
    for (sim::TimeStep t = 0; t < kSteps; ++t) {
      CHECK(got.outputs[0][static_cast<std::size_t>(2 * t)] == 1.5);
      CHECK(got.outputs[0][static_cast<std::size_t>(2 * t + 1)] == 1.25);
    }
    CHECK(got.total_spikes(*far.find("lif")) > 0);
  }
}

/// in -> l1 -> l2 -> l3, LIF layers each reading its source `ahead` steps into the future (the
/// loihi backend takes look-aheads between spiking layers only). l1's bias makes them spike.
sim::Network spiking_chain(int ahead) {
  sim::Network net("far_look_ahead_spiking", kSteps, sim::Precision::F32);
  sim::PopulationId prev = net.add_population(test::input_population("in", 2, true));
  for (const std::string name : {"l1", "l2", "l3"}) {
    const std::vector<double> bias = name == "l1" ? std::vector<double>{1.5, 1.25} : std::vector<double>{};
    const sim::PopulationId id = net.add_population(test::spiking_population(name, 2, "lif"));
    net.connect(prev, id, {name + ".in", 0, sim::Conv1d{2, 2, 1, ahead, {2.5, 0.0, 0.0, 2.5}, bias}});
    prev = id;
  }
  return net;
}

TEST_CASE("regression: the loihi backend refuses a look-ahead lag it would idle through, naming the group") {
  // On the chip a group with lag L starts L chip steps after the inputs; the host-side simulation
  // walks each of those steps for every compartment, so 6.4e9 of them never ended.
  const std::string error = test::error_of([] {
    (void)test::registries().backends.get("loihi", "test", "backend").compile(spiking_chain(std::numeric_limits<std::int32_t>::max()), {});
  });
  CHECK(error ==
        "loihi: l1: expected a look-ahead of at most 1048576 chip steps on the way to it (each is a chip step every "
        "compartment idles through), got 2147483648 chip steps");
  // Look-aheads of a few steps still compile and run, spiking as the float backend does.
  const sim::Network near = spiking_chain(1);
  const sim::PopulationId l3 = *near.find("l3");
  const std::int64_t chip_spikes = run(near, "loihi").total_spikes(l3);
  CHECK(chip_spikes > 0);
  CHECK(chip_spikes == run(near, "cpu_event").total_spikes(l3));
}
