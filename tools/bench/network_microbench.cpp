// SPDX-License-Identifier: MIT
// Micro-benchmarks of the inner loops: the cuba_lif_exact state update (per neuron-step), event
// delivery through the engine (a synthetic 2 %-connected population driven by fixed spike
// trains, per synaptic event), and the LMUFormer's fan-out kernel alone (per synop), whose rate
// on L1-resident rows is the floor of what the event backend can do per synaptic operation.
// Whole-network figures come from `snnsim bench`; these isolate the kernels.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "hw_backends/cpu_event/fan_out.hpp"
#include "hw_backends/registry.hpp"
#include "models/experiment/counter_rng.hpp"
#include "neurons/cuba_lif_exact.hpp"
#include "neurons/registry.hpp"
#include "sim/backend.hpp"
#include "sim/cache_aligned.hpp"

namespace {

using namespace snnsim;

void BM_CubaLifStateUpdate(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  neurons::CubaLifConstants c;
  c.v_rest = -0.049;
  c.v_reset = -0.06;
  c.v_threshold = -0.05;
  c.p_vv = 0.9950124791926824;
  c.p_ee = 0.9801986733067554;
  c.p_ii = 0.9900498337491681;
  c.p_ve = 0.004937935295309023;
  c.p_vi = 0.004962645443514324;
  c.refractory_steps = 50;
  neurons::CubaLifArrays s;
  s.v.resize(n);
  for (std::size_t i = 0; i < n; ++i) s.v[i] = -0.06 + 0.01 * models::uniform01(1, models::RngStream::poisson, 0, static_cast<std::uint32_t>(i), 0);
  s.ge.assign(n, 0.001);
  s.gi.assign(n, -0.0005);
  s.refractory_until.assign(n, -1.0);
  std::vector<std::uint32_t> spikes;
  sim::TimeStep t = 0;
  for (auto _ : state) {
    spikes.clear();
    neurons::cuba_lif_step(c, s, t++, 0, n, spikes);
    benchmark::DoNotOptimize(spikes.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n));
  state.counters["ns_per_neuron_step"] = benchmark::Counter(static_cast<double>(state.iterations()) * static_cast<double>(n),
                                                            benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_CubaLifStateUpdate)->Arg(1000)->Arg(4000)->Arg(64000);

/// input (n spike trains, rate 20 Hz per step-0.1 ms) -> 2 % Sparse -> n cuba_lif_exact neurons
/// with a high threshold (no output spikes: delivery dominates), `threads` inside the trial.
void BM_SparseDelivery(benchmark::State& state) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  const int threads = static_cast<int>(state.range(1));
  const sim::TimeStep steps = 1000;
  sim::NeuronRegistry neurons{"neuron model"};
  neurons::register_builtin_neurons(neurons);
  sim::BackendRegistry backends{"backend"};
  hw_backends::register_builtin_backends(backends);
  sim::Network net("delivery", steps, sim::Precision::F64);
  sim::Population input;
  input.name = "input";
  input.size = n;
  input.kind = sim::PopulationKind::Input;
  sim::SpikeTrains trains;
  for (sim::TimeStep s = 0; s < steps; ++s)
    for (std::uint32_t i = 0; i < n; ++i)
      if (models::uniform01(2, models::RngStream::poisson, 0, i, static_cast<std::uint64_t>(s)) < 0.02) {
        trains.neuron.push_back(i);
        trains.step.push_back(s);
      }
  input.fixed_spikes = trains;
  const sim::PopulationId in = net.add_population(std::move(input));
  sim::Population pop;
  pop.name = "pop";
  pop.size = n;
  pop.kind = sim::PopulationKind::Spiking;
  pop.neuron_model = "cuba_lif_exact";
  pop.params = {{"tau_m", 0.02}, {"tau_e", 0.005}, {"tau_i", 0.01}, {"v_rest", -0.06}, {"v_reset", -0.06},
                {"v_threshold", 1.0}, {"dt", 1e-4}};
  pop.dynamics = neurons.get("cuba_lif_exact", "bench", "model").instantiate(pop.params, {}, n, "bench", "pop");
  const sim::PopulationId out = net.add_population(std::move(pop));
  sim::Sparse sparse;
  for (std::uint32_t i = 0; i < n; ++i)
    for (std::uint32_t j = 0; j < n; ++j)
      if (models::uniform01(3, models::RngStream::connectivity, 0, i, j) < 0.02) {
        sparse.source.push_back(i);
        sparse.target.push_back(j);
        sparse.weight.push_back(0.001);
      }
  sparse.delay = 11;
  sim::Projection proj;
  proj.name = "in_to_pop";
  proj.connectivity = std::move(sparse);
  net.connect(in, out, std::move(proj));
  sim::BackendOptions options;
  options.settings["threads"] = std::to_string(threads);
  const auto compiled = backends.get("cpu_event", "bench", "backend").compile(net, options);
  const auto ws = compiled->make_workspace();
  sim::Stimulus stimulus;
  stimulus.resize(net.population_count());
  sim::RecordOptions record_options;
  sim::TrialRecord record;
  std::int64_t events = 0;
  for (auto _ : state) {
    record.reset(net, record_options);
    compiled->run_trial(*ws, stimulus, record_options, record);
    events = record.counters.total().acs;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * events);
  state.counters["synaptic_events_per_trial"] = static_cast<double>(events);
}
BENCHMARK(BM_SparseDelivery)->Args({4000, 1})->Args({4000, 2})->Unit(benchmark::kMillisecond)->UseRealTime();

/// The fan-out kernel as the LMUFormer uses it: 128-wide rows (one per source neuron and tap),
/// 16 spikes per call (a step's spikes of one layer, about 12 % of 128), over a weight set of
/// range(0) KiB: 32 fits the L1 cache, 256 is one LMUFormer layer (L2), 1600 all its weights.
void BM_FanOutRows(benchmark::State& state) {
  constexpr std::size_t out = 128, spikes = 16;
  const std::size_t rows = static_cast<std::size_t>(state.range(0)) * 1024 / (out * sizeof(float));
  sim::CacheAlignedVector<float> weight(rows * out);  // line-aligned, as the engine stores rows
  for (std::size_t i = 0; i < weight.size(); ++i)
    weight[i] = static_cast<float>(models::uniform01(4, models::RngStream::connectivity, 0, 0, i)) - 0.5f;
  std::vector<std::uint32_t> events(spikes * 1024);  // 1024 calls' spike lists, each ascending
  for (std::size_t c = 0; c < 1024; ++c)
    for (std::size_t e = 0; e < spikes; ++e)
      events[c * spikes + e] = static_cast<std::uint32_t>((e * rows + static_cast<std::size_t>(models::uniform01(
                                                               5, models::RngStream::connectivity, 0, c, e) * static_cast<double>(rows))) / spikes);
  std::vector<float> buf(out, 0.0f);
  const sim::Isa isa = sim::best_isa();
  std::size_t call = 0;
  for (auto _ : state) {
    const hw_backends::RowSegment<float> segment{weight.data(), out, events.data() + (call++ % 1024) * spikes, spikes};
    hw_backends::accumulate_segments(isa, buf.data(), &segment, 1, out);
    benchmark::DoNotOptimize(buf.data());
    benchmark::ClobberMemory();
  }
  const double synops = static_cast<double>(state.iterations()) * static_cast<double>(spikes * out);
  state.counters["ns_per_synop"] = benchmark::Counter(synops, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_FanOutRows)->Arg(32)->Arg(256)->Arg(1600);

}  // namespace
