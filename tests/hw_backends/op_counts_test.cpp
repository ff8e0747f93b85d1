// SPDX-License-Identifier: MIT
// The operation counters the backends fill while they work, against exact counts derived from
// the golden reference (../shared/golden/lmuformer_sfmnist.h5): its per-layer per-step spike
// counts /golden/spikes/<layer> [256, T], its inputs /golden/inputs and the layer shapes.
//
// Derivations, for one image (S_t: spikes of the source layer at step t, S = sum_t S_t):
//   K = 3 centred convolution, C_out outputs:  ACs = C_out (3 S - S_0 - S_{T-1})
//       (a spike at step 0 has no target at step -1, one at T-1 none at step T: edge taps
//        are not touched)
//   K = 1 (linear, 1x1 convolution):           ACs = C_out S
//   LMU memory, causal filter of length T, M outputs, driven by the one-neuron train u:
//                                              ACs = M sum_t u_t (T - t)
//       (a spike at step t adds a column of H to m_t, m_{t+1}, ..., m_{T-1})
//   first convolution on pixels (graded):      MACs = C_out (3 N - N_0 - N_{T-1}),
//       N_t the non-zero pixels of image row t
//   neuron updates = sum over spiking layers of neurons x T
//   dense-equivalent = in x out x (in-range taps summed over steps).
#include <doctest/doctest.h>


#include "models/lmuformer/lmuformer.hpp"
#include "sim/run.hpp"
#include "tests/support/golden.hpp"

using namespace snnsim;

namespace {

constexpr std::size_t kSamples = 256;

const models::LmuformerModel& model() { return test::golden_lmuformer(); }
const models::GoldenData& golden() { return test::golden_data(); }

/// Every image's counters, from one backend, over the first `samples` golden images.
std::vector<sim::OpCounters> run_counters(const std::string& backend, std::size_t samples = kSamples) {
  const auto compiled = test::registries().backends.get(backend, "test", "backend").compile(*model().network, {});
  std::vector<sim::OpCounters> out(samples);
  sim::RunOptions options;
  options.threads = 2;
  sim::run_trials(*model().network, *compiled, test::GoldenTrials(samples), options,
                  [&](std::size_t i, const sim::TrialRecord& r) { out[i] = r.counters; });
  return out;
}

const std::vector<sim::OpCounters>& event_counters() {
  static const auto c = run_counters("cpu_event");
  return c;
}
const std::vector<sim::OpCounters>& dense_counters() {
  static const auto c = run_counters("dense_reference");
  return c;
}

/// Per-step activity of a projection's source in image i: golden spikes, or non-zero pixels.
std::vector<std::int64_t> source_activity(const std::string& source, std::size_t i) {
  const models::GoldenData& g = golden();
  const auto steps = static_cast<std::size_t>(model().config.steps);
  const std::size_t features = model().config.features;
  std::vector<std::int64_t> a(steps, 0);
  if (source == model().network->population(model().input).name) {
    for (std::size_t t = 0; t < steps; ++t)
      for (std::size_t f = 0; f < features; ++f) a[t] += g.inputs[(i * steps + t) * features + f] != 0.0f;
  } else {
    const auto& s = g.spikes.at(source);
    for (std::size_t t = 0; t < steps; ++t) a[t] = s[i * steps + t];
  }
  return a;
}

std::int64_t sum(const std::vector<std::int64_t>& v) {
  std::int64_t s = 0;
  for (std::int64_t x : v) s += x;
  return s;
}

/// Synops of a weighted projection in image i, from the closed forms in the file comment.
std::int64_t expected_synops(const sim::Conv1d& c, const std::vector<std::int64_t>& a, sim::TimeStep steps) {
  const auto out = static_cast<std::int64_t>(c.out);
  const std::int64_t last = a.back(), first = a.front();
  if (c.kernel == 3 && c.first_offset == -1) return out * (3 * sum(a) - first - last);
  if (c.kernel == 1 && c.first_offset == 0) return out * sum(a);
  REQUIRE(c.kernel == static_cast<std::size_t>(steps));  // the LMU memory: causal, length T
  REQUIRE(c.first_offset == -(steps - 1));
  std::int64_t s = 0;
  for (sim::TimeStep t = 0; t < steps; ++t) s += a[static_cast<std::size_t>(t)] * (steps - t);
  return out * s;
}

std::int64_t expected_dense(const sim::Conv1d& c, sim::TimeStep steps) {
  std::int64_t taps = 0;  // in-range (t, k) pairs
  for (sim::TimeStep t = 0; t < steps; ++t)
    for (std::size_t k = 0; k < c.kernel; ++k) {
      const sim::TimeStep s = t + c.first_offset + static_cast<sim::TimeStep>(k);
      taps += s >= 0 && s < steps;
    }
  return static_cast<std::int64_t>(c.in * c.out) * taps;
}

}  // namespace

TEST_CASE("cpu_event counts spikes, ACs, MACs, adds, neuron updates and dense ops equal to the golden-derived values") {
  const sim::Network& net = *model().network;
  const sim::TimeStep steps = model().config.steps;
  const auto T = static_cast<std::size_t>(steps);
  const auto& counters = event_counters();
  std::size_t checked = 0;
  for (std::size_t i = 0; i < kSamples; ++i) {
    CAPTURE(i);
    const sim::OpCounters& c = counters[i];
    // Spikes per layer per step: the golden counts (all 256 images, the fragile ones too: this
    // float32 order reproduces them).
    for (const auto& layer_spikes : golden().spikes) {  // no structured binding: clang 14 cannot capture one
      const std::string& layer = layer_spikes.first;
      const auto& spikes = layer_spikes.second;
      CAPTURE(layer);
      const sim::PopulationId p = *net.find(layer);
      for (std::size_t t = 0; t < T; ++t) REQUIRE(c.population(p, static_cast<sim::TimeStep>(t)).spikes == spikes[i * T + t]);
      CHECK(c.population_total(p).neuron_updates == static_cast<std::int64_t>(net.population(p).size * T));
    }
    for (const sim::EdgeRef& e : net.projections()) {
      const sim::Projection& proj = *e.projection;
      CAPTURE(proj.name);
      const sim::OpCounts got = c.projection_total(proj.index);
      const sim::Population& src = net.population(e.source);
      if (const auto* conv = std::get_if<sim::Conv1d>(&proj.connectivity)) {
        const std::int64_t synops = expected_synops(*conv, source_activity(src.name, i), steps);
        CHECK(got.acs == (src.graded ? 0 : synops));
        CHECK(got.macs == (src.graded ? synops : 0));
        CHECK(got.adds == static_cast<std::int64_t>(conv->bias.size() * T));
        CHECK(got.dense_ops == expected_dense(*conv, steps));
        CHECK(got.executed_ops == synops + got.adds);  // events only, plus the biases
      } else {
        // Identity from a real-valued stream: one add per channel per step.
        REQUIRE(src.kind == sim::PopulationKind::Analog);
        CHECK(got.acs + got.macs == 0);
        CHECK(got.adds == static_cast<std::int64_t>(src.size * T));
        CHECK(got.dense_ops == got.adds);
      }
    }
    ++checked;
  }
  CHECK(checked == kSamples);
}

TEST_CASE("per-image totals over the 256 golden images: 1,028,802.52 ACs, 148,903.5 MACs, 50,204 neuron updates") {
  // The same numbers the closed forms give, summed (and what `snnsim run --first 256` prints):
  // spikes x full fan-out without the LMU memory is 1,031,972.02 per image; minus 7,612.5 untouched
  // edge taps, plus 4,443.0 LMU-memory ACs gives 1,028,802.52.
  sim::OpCounts all;
  for (const sim::OpCounters& c : event_counters()) all += c.total();
  CHECK(all.acs == 263373444);   // 1,028,802.515625 x 256
  CHECK(all.macs == 38119296);   // 148,903.5 x 256
  CHECK(all.neuron_updates == 50204 * 256);
  CHECK(all.dense_ops == 11348480LL * 256);
  CHECK(all.spikes == 1290595);  // 5,041.39 x 256, the golden README's 5,041 per image
}

TEST_CASE("cpu_event and dense_reference report the same network work but different executed operations") {
  const sim::Network& net = *model().network;
  const auto& ev = event_counters();
  const auto& de = dense_counters();
  std::int64_t executed_event = 0, executed_dense = 0;
  for (std::size_t i = 0; i < kSamples; ++i) {
    CAPTURE(i);
    for (sim::TimeStep t = 0; t < net.steps(); ++t) {
      for (sim::PopulationId p = 0; p < net.population_count(); ++p) REQUIRE(ev[i].population(p, t) == de[i].population(p, t));
      for (std::size_t j = 0; j < net.projection_count(); ++j) {
        sim::OpCounts a = ev[i].projection(j, t), b = de[i].projection(j, t);
        executed_event += a.executed_ops;
        executed_dense += b.executed_ops;
        a.executed_ops = b.executed_ops = 0;
        REQUIRE(a == b);
      }
    }
    // dense_reference executes every synapse every step: dense ops plus the biases.
    std::int64_t bias_adds = 0;
    for (const sim::EdgeRef& e : net.projections())
      if (std::holds_alternative<sim::Conv1d>(e.projection->connectivity))
        bias_adds += de[i].projection_total(e.projection->index).adds;
    const sim::OpCounts d = de[i].total();
    CHECK(d.executed_ops == d.dense_ops + bias_adds);
  }
  CHECK(executed_event == 263373444 + 38119296 + 68404LL * 256);  // ACs + MACs + adds
  CHECK(executed_dense == 11348480LL * 256 + 36148LL * 256);       // dense ops + bias adds
  CHECK(executed_dense > 8 * executed_event);
}

TEST_CASE("counters kept over a worker's trials sum to the per-image counters (cpu_event, dense_reference, 2 threads)") {
  // 32 images split over two workers show the sum; all 256 cost two minutes under ASan.
  constexpr std::size_t samples = 32;
  for (const std::string backend : {"cpu_event", "dense_reference"}) {
    CAPTURE(backend);
    sim::OpCounters expected;
    for (const sim::OpCounters& c : run_counters(backend, samples)) expected += c;
    const auto compiled = test::registries().backends.get(backend, "test", "backend").compile(*model().network, {});
    sim::RunOptions options;
    options.threads = 2;
    options.record.counters_per_trial = false;
    const sim::RunTotals totals = sim::run_trials(*model().network, *compiled, test::GoldenTrials(samples), options,
                                                  [](std::size_t, const sim::TrialRecord&) {});
    CHECK(totals.trials == samples);
    CHECK(totals.counters.total().acs > 0);
    CHECK(totals.counters == expected);
  }
}

TEST_CASE("summing counters: an empty side (a worker thread that got no trial) adds nothing") {
  sim::OpCounters a(2, 1, 3);
  a.population(1, 2).spikes = 5;
  a.projection(0, 1).acs = 7;
  sim::OpCounters sum;
  sum += a;
  sum += sim::OpCounters{};  // used to read past the empty side's storage
  CHECK(sum == a);
  sum += a;
  CHECK(sum.total().spikes == 10);
  CHECK(sum.total().acs == 14);
}
