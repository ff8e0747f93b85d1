// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include "sim/error.hpp"
#include "sim/network.hpp"
#include "tests/support/error_of.hpp"
#include "tests/support/registries.hpp"

using namespace snnsim;

namespace {

sim::PopulationId add(sim::Network& net, const std::string& name, std::size_t size, sim::PopulationKind kind) {
  sim::Population p;
  p.name = name;
  p.size = size;
  p.kind = kind;
  p.graded = true;
  if (kind == sim::PopulationKind::Spiking) {
    p.neuron_model = "lif";
    p.dynamics = test::registries().neurons.get("lif", "t", "m").instantiate({}, {}, size, "t", name);
  }
  return net.add_population(std::move(p));
}

sim::Conv1d conv(std::size_t out, std::size_t in, std::size_t k, int first) {
  return {out, in, k, first, std::vector<double>(out * in * k, 0.1), {}};
}

std::string schedule_error(const sim::Network& net) {
  return test::error_of([&] { (void)sim::make_schedule(net); });
}

}  // namespace

TEST_CASE("the schedule runs a population one tick behind each look-ahead and keeps enough history") {
  sim::Network net("chain", 10, sim::Precision::F32);
  const auto in = add(net, "in", 3, sim::PopulationKind::Input);
  const auto a = add(net, "a", 4, sim::PopulationKind::Spiking);
  const auto b = add(net, "b", 4, sim::PopulationKind::Spiking);
  const auto c = add(net, "c", 4, sim::PopulationKind::Analog);
  const auto m = add(net, "m", 5, sim::PopulationKind::Analog);
  net.connect(in, a, {"k3", 0, conv(4, 3, 3, -1)});   // reads in[t+1]
  net.connect(a, b, {"k3b", 0, conv(4, 4, 3, -1)});   // reads a[t+1]
  net.connect(b, c, {"k1", 0, conv(4, 4, 1, 0)});
  net.connect(in, c, {"skip", 0, conv(4, 3, 1, 0)});
  net.connect(b, m, {"causal", 0, conv(5, 4, 6, -5)});  // reads b[t-5..t]
  const sim::Schedule s = sim::make_schedule(net);
  CHECK(s.lag == std::vector<sim::TimeStep>{0, 1, 2, 2, 2});
  CHECK(s.max_lag == 2);
  CHECK(s.ticks == 12);
  // in is read by a at lag 1 down to t-1 (3 steps) and by c at lag 2 (3 steps: t .. t-2 relative);
  // b is read by m down to six steps back.
  CHECK(s.history[in] == 3);
  CHECK(s.history[a] == 3);
  CHECK(s.history[b] == 6);
  // no feedback: the whole run may go population by population
  CHECK(s.max_window == 12);
  // order: every source before its zero-delay targets
  std::vector<std::size_t> pos(5);
  for (std::size_t i = 0; i < s.order.size(); ++i) pos[s.order[i]] = i;
  CHECK(pos[in] < pos[a]);
  CHECK(pos[a] < pos[b]);
  CHECK(pos[b] < pos[c]);
  CHECK(pos[b] < pos[m]);
}

TEST_CASE("a cycle without delay is refused naming its populations; a delayed recurrence is accepted") {
  sim::Network net("loop", 5, sim::Precision::F32);
  const auto x = add(net, "x", 2, sim::PopulationKind::Analog);
  const auto y = add(net, "y", 2, sim::PopulationKind::Spiking);
  net.connect(x, y, {"xy", 0, sim::Identity{}});
  net.connect(y, x, {"yx", 0, sim::Identity{}});
  CHECK(schedule_error(net) == "network loop: projections: expected every cycle to pass through a delay of at least one "
                         "step, got a cycle without delay through x, y");

  sim::Network rec("recurrent", 5, sim::Precision::F32);
  const auto r = add(rec, "r", 2, sim::PopulationKind::Spiking);
  rec.connect(r, r, {"rr", 0, sim::Sparse{{0, 1}, {1, 0}, {0.5, 0.5}, 1}});
  const sim::Schedule s = sim::make_schedule(rec);
  CHECK(s.lag[r] == 0);
  CHECK(s.history[r] == 2);
  CHECK(s.max_window == 1);  // r at step t reads r at t - 1: one tick per window
}

TEST_CASE("a window spans as many ticks as the shortest feedback reaches back") {
  sim::Network net("feedback", 50, sim::Precision::F32);
  const auto in = add(net, "in", 2, sim::PopulationKind::Input);
  const auto a = add(net, "a", 2, sim::PopulationKind::Spiking);
  const auto b = add(net, "b", 2, sim::PopulationKind::Spiking);
  net.connect(in, a, {"ina", 0, conv(2, 2, 3, -1)});              // a one tick behind in
  net.connect(a, b, {"ab", 0, conv(2, 2, 3, -1)});                // b one tick behind a
  net.connect(b, a, {"ba", 0, sim::Sparse{{0}, {1}, {1.0}, 7}});  // b[t-7] at a's step t
  net.connect(b, b, {"bb", 0, sim::Sparse{{1}, {0}, {1.0}, 9}});
  const sim::Schedule s = sim::make_schedule(net);
  CHECK(s.lag == std::vector<sim::TimeStep>{0, 1, 2});
  // ba: a computes step t at tick t + 1 and reads b's step t - 7, computed at tick t - 5: 6 ticks back.
  CHECK(s.max_window == 6);
}

TEST_CASE("a delayed projection from a population that runs behind its target is refused") {
  sim::Network net("late", 5, sim::Precision::F32);
  const auto in = add(net, "in", 2, sim::PopulationKind::Input);
  const auto a = add(net, "a", 2, sim::PopulationKind::Spiking);
  const auto b = add(net, "b", 2, sim::PopulationKind::Spiking);
  net.connect(in, a, {"ahead", 0, conv(2, 2, 5, -1)});  // reads in[t+3]: a runs 3 ticks behind in
  net.connect(in, b, {"now", 0, conv(2, 2, 1, 0)});     // b at lag 0
  net.connect(a, b, {"back", 0, sim::Sparse{{0}, {1}, {1.0}, 1}});  // needs a[t-1] at b's tick t: not ready
  CHECK(schedule_error(net) == "network late: projection back: expected a delay of at least 4 steps (its source runs behind "
                         "its target), got a delay of 1 steps");
}

TEST_CASE("synapse count: a sparse projection's synapses, a convolution's weights, an identity's channels") {
  sim::Network net("count", 5, sim::Precision::F32);
  const auto in = add(net, "in", 3, sim::PopulationKind::Input);
  const auto a = add(net, "a", 4, sim::PopulationKind::Analog);
  const auto b = add(net, "b", 4, sim::PopulationKind::Spiking);
  CHECK(net.synapse_count() == 0);
  net.connect(in, a, {"k3", 0, conv(4, 3, 3, -1)});                          // 4 x 3 x 3 = 36 weights
  net.connect(a, b, {"same", 0, sim::Identity{}});                             // 4 channels
  net.connect(b, b, {"rec", 0, sim::Sparse{{0, 1}, {1, 2}, {0.5, 0.5}, 1}});  // 2 synapses
  CHECK(net.synapse_count() == 36 + 4 + 2);
}
