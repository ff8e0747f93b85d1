// SPDX-License-Identifier: MIT
// The pieces of a split trial (hw_backends/common/split_trial.hpp) against hand-worked cases:
// line-aligned neuron ranges, cache-line aligned state arrays, the per-batch spike exchange
// (which step's spikes a reader sees, across batches and ring slots, and with one batch per
// exchange block as the MPI engine keeps them), the counters derived from the threads' synaptic
// events; and Sparse delivery with one weight per synapse or one for all, on 1 to 3 threads,
// against a hand-worked raster.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "hw_backends/common/split_trial.hpp"
#include "hw_backends/common/tick_engine.hpp"
#include "sim/cache_aligned.hpp"
#include "tests/support/network.hpp"
#include "tests/support/registries.hpp"
#include "tests/support/simulate.hpp"

using namespace snnsim;
using hw_backends::NeuronRanges;
using hw_backends::SpikeBatches;

TEST_CASE("NeuronRanges::even: equal shares, boundaries on whole cache lines when a granule is given") {
  // 1000 float64 neurons, 2 threads, 8 per 64-byte line: 500 rounds to 504 (63 lines).
  CHECK(NeuronRanges::even(1000, 2, 8).bounds == std::vector<std::size_t>{0, 504, 1000});
  // 3 threads: 333.3 -> 336, 666.7 -> 664.
  CHECK(NeuronRanges::even(1000, 3, 8).bounds == std::vector<std::size_t>{0, 336, 664, 1000});
  // Without a granule, the exact shares (the interface the distributed engine uses).
  CHECK(NeuronRanges::even(1000, 3).bounds == std::vector<std::size_t>{0, 333, 666, 1000});
  // Fewer neurons than a line per thread: the last thread gets none.
  CHECK(NeuronRanges::even(10, 2, 8).bounds == std::vector<std::size_t>{0, 8, 10});
  CHECK(NeuronRanges::even(4, 2, 8).bounds == std::vector<std::size_t>{0, 0, 4});
}

TEST_CASE("whole_population_owners: whole populations when the neuron counts balance within the tolerance") {
  using hw_backends::whole_population_owners;
  // ff: four layers of 1,000 (and a spike source, 0: not shared) over 2 threads: 2,000 each.
  CHECK(whole_population_owners({1000, 1000, 1000, 1000, 0}, 2, 1.1) == std::vector<int>{0, 1, 0, 1, 0});
  // Longest first to the least loaded: 3,000 | 1,000 + 1,000 + 800 = 2,800 (3,000 <= 1.1 x 2,900).
  CHECK(whole_population_owners({1000, 3000, 800, 1000}, 2, 1.1) == std::vector<int>{1, 0, 1, 1});
  // Over 3 threads ff's layers load 2,000 | 1,000 | 1,000: 1.5 x the share, so none.
  CHECK(whole_population_owners({1000, 1000, 1000, 1000, 0}, 3, 1.1).empty());
  // cuba: one population cannot be shared whole.
  CHECK(whole_population_owners({4000}, 2, 1.1).empty());
  CHECK(NeuronRanges::only(1000, 3, 1).bounds == std::vector<std::size_t>{0, 0, 1000, 1000});
  CHECK(NeuronRanges::first_only(1000, 2).bounds == std::vector<std::size_t>{0, 1000, 1000});
}

TEST_CASE("CacheAlignedVector: storage starts on a cache line, so line-aligned ranges share no line") {
  for (std::size_t n : {1u, 7u, 1000u, 4001u}) {
    sim::CacheAlignedVector<double> v(n, 1.5);
    CHECK(reinterpret_cast<std::uintptr_t>(v.data()) % sim::kCacheLine == 0);
    CHECK(v[n - 1] == 1.5);
  }
}

TEST_CASE("SpikeBatches: a reader sees each closed step's spikes of each thread, across batches and slots") {
  // Batches of 3 steps; a reader may lag 2 batches; it reads back 4 steps (history 4).
  SpikeBatches s;
  s.init(/*history=*/4, /*batch_steps=*/3, /*lead=*/2, /*nthreads=*/2);
  CHECK(s.depth == 2 + 2 + 1);  // lead + ceil(history / batch) + 1
  // Thread b fires neuron 10 * t + b at steps t % 3 != 1, nothing at the others.
  auto expected = [](sim::TimeStep t, std::size_t b) {
    return t % 3 == 1 ? std::vector<std::uint32_t>{} : std::vector<std::uint32_t>{static_cast<std::uint32_t>(10 * t) + static_cast<std::uint32_t>(b)};
  };
  for (sim::TimeStep t = 0; t < 40; ++t) {
    for (int b = 0; b < 2; ++b) {
      std::vector<std::uint32_t>& out = s.open(t, b);
      for (std::uint32_t n : expected(t, static_cast<std::size_t>(b))) out.push_back(n);
      const auto fired = s.close(t, b);
      CHECK(std::vector<std::uint32_t>(fired.begin(), fired.end()) == expected(t, static_cast<std::size_t>(b)));
    }
    // Every step a reader lagging up to lead batches may still read is intact.
    for (sim::TimeStep back = 0; back < 4 + 2 * 3 && back <= t; ++back)
      for (std::size_t b = 0; b < 2; ++b) {
        const auto seen = s.list(t - back, b);
        CHECK(std::vector<std::uint32_t>(seen.begin(), seen.end()) == expected(t - back, b));
      }
  }
}

TEST_CASE("SpikeBatches with one batch per exchange block (lead 0, history 0): each block read whole, then reused") {
  // The MPI engine's use: blocks of 4 steps, 2 threads; the exchange reads a block's steps after
  // every thread has closed them and before any opens the next block's first step.
  SpikeBatches s;
  s.init(/*history=*/0, /*batch_steps=*/4, /*lead=*/0, /*nthreads=*/2);
  CHECK(s.depth == 1);
  // Thread b fires neurons 100 * b + t and 100 * b + t + 50 at even steps, nothing at odd ones.
  auto expected = [](sim::TimeStep t, std::size_t b) {
    const auto n = static_cast<std::uint32_t>(100 * b + static_cast<std::size_t>(t));
    return t % 2 ? std::vector<std::uint32_t>{} : std::vector<std::uint32_t>{n, n + 50};
  };
  for (sim::TimeStep t0 = 0; t0 < 10; t0 += 4) {  // the last block is 2 steps: the trial's end
    const sim::TimeStep t1 = std::min<sim::TimeStep>(t0 + 4, 10);
    for (sim::TimeStep t = t0; t < t1; ++t)
      for (int b = 0; b < 2; ++b) {
        std::vector<std::uint32_t>& out = s.open(t, b);
        for (std::uint32_t n : expected(t, static_cast<std::size_t>(b))) out.push_back(n);
        s.close(t, b);
      }
    for (sim::TimeStep t = t0; t < t1; ++t)
      for (std::size_t b = 0; b < 2; ++b) {
        CAPTURE(t);
        const auto seen = s.list(t, b);
        CHECK(std::vector<std::uint32_t>(seen.begin(), seen.end()) == expected(t, b));
      }
  }
}

namespace {

/// One spike source neuron firing at step 0, a projection (delay 1) of the given weights onto
/// one `if` neuron (v += input, fires when v > 0.8), 3 steps.
sim::Network weights_network(const std::vector<double>& weights) {
  sim::Network net("weights", 3, sim::Precision::F64);
  sim::Population input = test::input_population("input", 1);
  sim::SpikeTrains trains;
  trains.neuron = {0};
  trains.step = {0};
  input.fixed_spikes = trains;
  const sim::PopulationId in = net.add_population(std::move(input));
  const sim::PopulationId out = net.add_population(
      test::spiking_population("pop", 1, "if", {{"v_threshold", 0.8}, {"v_reset", 0.0}, {"dt", 1e-4}}));
  sim::Sparse sparse;
  for (double w : weights) {
    sparse.source.push_back(0);
    sparse.target.push_back(0);
    sparse.weight.push_back(w);
  }
  sparse.delay = 1;
  sim::Projection proj;
  proj.name = "in_to_pop";
  proj.connectivity = std::move(sparse);
  net.connect(in, out, std::move(proj));
  return net;
}

/// The `if` neuron's raster on `threads` threads.
std::vector<sim::SpikeEvent> if_raster(const std::vector<double>& weights, int threads) {
  const sim::Network net = weights_network(weights);
  sim::Stimulus stimulus;
  stimulus.resize(net.population_count());
  return test::simulate_one_trial(net, stimulus, threads).raster[1];
}

}  // namespace

TEST_CASE("Sparse delivery adds every synapse's own weight, and one weight for all once per synapse (1, 2, 3 threads)") {
  for (int threads : {1, 2, 3}) {
    CAPTURE(threads);
    // 0.3 + 0.6 = 0.9 > 0.8: fires at step 1 (the spike of step 0 arrives before the update of
    // step 1); 0.6 + 0.1 = 0.7 and 0.1 + 0.6 do not. Reading the first synapse's weight twice
    // would give 0.6, 1.2, 0.2 (the first two wrong), the second's twice 1.2, 0.2, 1.2 (the last).
    CHECK(if_raster({0.3, 0.6}, threads) == std::vector<sim::SpikeEvent>{{1, 0}});
    CHECK(if_raster({0.6, 0.1}, threads).empty());
    CHECK(if_raster({0.1, 0.6}, threads).empty());
    CHECK(if_raster({0.3, 0.3}, threads).empty());                                    // uniform: 0.6
    CHECK(if_raster({0.45, 0.45}, threads) == std::vector<sim::SpikeEvent>{{1, 0}});  // uniform: 0.9
  }
}

TEST_CASE("add_split_counters: spikes, neuron updates and dense ops from the plan, synaptic events from the threads") {
  // weights_network: input (1 neuron) -> pop (1 `if` neuron) over 2 synapses, delay 1, 3 steps.
  const sim::Network net = weights_network({0.3, 0.6});
  const hw_backends::EnginePlan plan = hw_backends::make_engine_plan(net);
  const auto projections = hw_backends::make_projection_plans<double>(net);
  // Two threads' synaptic events, [projection][step]: 2 at step 1 (the input spike of step 0
  // through both synapses, all on thread 1); 1 + 3 at step 2 (hand-picked, to see the sum).
  std::vector<hw_backends::SplitThreadRecord> threads(2);
  threads[0].synops = {0, 0, 1};
  threads[1].synops = {0, 2, 3};
  const std::vector<std::int64_t> synops = hw_backends::total_synops(threads);
  CHECK(synops == std::vector<std::int64_t>{0, 2, 4});
  sim::TrialRecord record;
  record.reset(net, {});
  record.spikes(0, 0) = 1;  // the input at step 0
  record.spikes(1, 1) = 1;  // the neuron at step 1
  const std::vector<std::int64_t> synapses{2};
  hw_backends::add_split_counters(plan, projections, synapses, synops, record);
  using sim::OpCounts;
  CHECK(record.counters.population(0, 0) == OpCounts{.spikes = 1});
  CHECK(record.counters.population(0, 1) == OpCounts{});  // an input: no neuron updates
  CHECK(record.counters.population(1, 0) == OpCounts{.neuron_updates = 1});
  CHECK(record.counters.population(1, 1) == OpCounts{.spikes = 1, .neuron_updates = 1});
  CHECK(record.counters.population(1, 2) == OpCounts{.neuron_updates = 1});
  // Before its first delivery (step < delay) nothing; then the events, and both synapses as dense ops.
  CHECK(record.counters.projection(0, 0) == OpCounts{});
  CHECK(record.counters.projection(0, 1) == OpCounts{.acs = 2, .dense_ops = 2, .executed_ops = 2});
  CHECK(record.counters.projection(0, 2) == OpCounts{.acs = 4, .dense_ops = 2, .executed_ops = 4});
}

TEST_CASE("make_projection_plans: uniform_weight only when every weight is bitwise the first") {
  auto uniform = [](const std::vector<double>& weights) {
    return hw_backends::make_projection_plans<double>(weights_network(weights)).at(0).uniform_weight;
  };
  CHECK(uniform({0.5, 0.5, 0.5}));
  CHECK_FALSE(uniform({0.5, 0.25}));
  CHECK_FALSE(uniform({0.0, -0.0}));  // equal under ==, not in every sum (-0 + -0 = -0, -0 + 0 = 0)
}
