// SPDX-License-Identifier: MIT
// run_trials keeps the rasters of the trials asked for and no others, and gives each trial's
// spikes per neuron either from the backend (the tick engine counts them) or, for a backend that
// only records rasters, from a raster it records for the purpose and then drops.
#include <cstdint>
#include <vector>

#include <doctest/doctest.h>

#include "sim/run.hpp"
#include "tests/support/golden.hpp"

using namespace snnsim;

namespace {

constexpr std::size_t kTrials = 4;

/// A compiled network that records rasters but never counts spikes per neuron (as the loihi,
/// lava and distributed engines): cpu_event with neuron_counts switched off.
struct RasterOnly final : sim::CompiledNetwork {
  std::unique_ptr<sim::CompiledNetwork> inner;
  std::unique_ptr<sim::Workspace> make_workspace() const override { return inner->make_workspace(); }
  void run_trial(sim::Workspace& ws, const sim::Stimulus& stimulus, const sim::RecordOptions& options,
                 sim::TrialRecord& record) const override {
    sim::RecordOptions without = options;
    without.neuron_counts = false;
    inner->run_trial(ws, stimulus, without, record);
  }
};

std::vector<sim::TrialRecord> run(const sim::CompiledNetwork& compiled, sim::RecordOptions record,
                                  std::size_t raster_trials) {
  sim::RunOptions options;
  options.threads = 2;
  options.record = record;
  options.raster_trials = raster_trials;
  std::vector<sim::TrialRecord> out(kTrials);
  sim::run_trials(*test::golden_lmuformer().network, compiled, test::GoldenTrials(kTrials), options,
                  [&](std::size_t i, const sim::TrialRecord& r) { out[i] = r; });
  return out;
}

/// Spikes per neuron, counted from a raster.
std::vector<std::vector<std::int32_t>> counts_of(const sim::Network& net, const sim::TrialRecord& r) {
  std::vector<std::vector<std::int32_t>> n(net.population_count());
  for (sim::PopulationId p = 0; p < net.population_count(); ++p) {
    n[p].assign(net.population(p).size, 0);
    for (const sim::SpikeEvent& e : r.raster[p]) ++n[p][e.neuron];
  }
  return n;
}

}  // namespace

TEST_CASE("run_trials: rasters of the first raster_trials trials only; spikes per neuron from the backend or a raster") {
  const sim::Network& net = *test::golden_lmuformer().network;
  const auto compiled = test::registries().backends.get("cpu_event", "test", "backend").compile(net, {});
  RasterOnly raster_only;
  raster_only.inner = test::registries().backends.get("cpu_event", "test", "backend").compile(net, {});
  CHECK(compiled->counts_neuron_spikes());
  CHECK_FALSE(raster_only.counts_neuron_spikes());

  const std::vector<sim::TrialRecord> full = run(*compiled, {.raster = true, .counters = false}, kTrials);
  const sim::RecordOptions asked{.raster = true, .neuron_counts = true, .counters = false};
  const std::vector<sim::TrialRecord> counted = run(*compiled, asked, 1);
  const std::vector<sim::TrialRecord> derived = run(raster_only, asked, 1);
  const std::vector<sim::TrialRecord> no_raster = run(raster_only, {.neuron_counts = true, .counters = false}, kTrials);

  std::int32_t most = 0;  // the most spikes of one neuron in one trial
  for (std::size_t i = 0; i < kTrials; ++i) {
    CAPTURE(i);
    const std::vector<std::vector<std::int32_t>> expected = counts_of(net, full[i]);
    CHECK(counted[i].neuron_spikes == expected);
    CHECK(derived[i].neuron_spikes == expected);
    CHECK(no_raster[i].neuron_spikes == expected);
    // Only trial 0 keeps its raster (the one asked for), whoever counted.
    CHECK(counted[i].raster.empty() == (i > 0));
    CHECK(derived[i].raster.empty() == (i > 0));
    CHECK(no_raster[i].raster.empty());
    if (i == 0) {
      CHECK(counted[i].raster == full[i].raster);
      CHECK(derived[i].raster == full[i].raster);
    }
    // The per-neuron counts add up to the per-step counts, tallied separately.
    for (sim::PopulationId p = 0; p < net.population_count(); ++p) {
      std::int64_t sum = 0;
      for (std::int32_t n : counted[i].neuron_spikes[p]) {
        sum += n;
        most = std::max(most, n);
      }
      CHECK(sum == full[i].total_spikes(p));
    }
  }
  CHECK(most > 1);  // neurons fire more than once: the counts are counts, not flags
}
