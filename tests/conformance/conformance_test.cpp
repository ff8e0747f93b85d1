// SPDX-License-Identifier: MIT
// Every registered backend runs every registered layer kind's example network and must agree
// with dense_reference: a bit-exact backend (conformance_tolerance() == 0) gives identical
// rasters, analog values and network-level operation counts; a fixed-point backend keeps every
// population's spike total within its stated relative tolerance. A backend may decline a network
// through supports() (with a reason). Prints the support matrix.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "layers/build_context.hpp"
#include "sim/run.hpp"
#include "tests/support/registries.hpp"

using namespace snnsim;

namespace {

constexpr sim::TimeStep kSteps = 14;
constexpr std::size_t kInputs = 6, kTrials = 6;

struct Example {
  std::unique_ptr<layers::RandomTensors> tensors;
  std::unique_ptr<sim::Network> net;
  sim::PopulationId input = 0;
};

Example build_example(const layers::LayerKind& kind) {
  Example e;
  e.tensors = std::make_unique<layers::RandomTensors>(42);
  e.net = std::make_unique<sim::Network>(std::string(kind.name()), kSteps, sim::Precision::F32);
  sim::Population in;
  in.name = "input";
  in.size = kInputs;
  in.kind = sim::PopulationKind::Input;
  in.graded = true;
  e.input = e.net->add_population(std::move(in));
  layers::BuildContext ctx{*e.net, *e.tensors, test::registries().neurons, "lif", {}};
  kind.build_example(ctx, *e.tensors, std::string(kind.name()), e.input);
  // Observe every analog stream that is not already an output.
  for (sim::PopulationId p = 0; p < e.net->population_count(); ++p) {
    bool is_output = false;
    for (const sim::Output& o : e.net->outputs()) is_output = is_output || o.population == p;
    if (e.net->population(p).kind == sim::PopulationKind::Analog && !is_output) e.net->add_output(p, e.net->population(p).name);
  }
  return e;
}

/// Seeded real-valued inputs in [0, 1) with about a third exact zeros (as image pixels have).
struct RandomInputs : sim::TrialSource {
  sim::PopulationId input;
  std::size_t count() const override { return kTrials; }
  void fill(std::size_t trial, sim::Stimulus& s, std::vector<float>& buf) const override {
    buf.resize(kSteps * kInputs);
    std::uint64_t x = 0x9E3779B97F4A7C15ull * (trial + 1);
    for (float& v : buf) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      v = (x % 3 == 0) ? 0.0f : static_cast<float>(x % 1000) / 1000.0f;
    }
    s.values[input] = buf;
  }
};

std::vector<sim::TrialRecord> run(const Example& e, const sim::Backend& backend) {
  const auto compiled = backend.compile(*e.net, {});
  RandomInputs inputs;
  inputs.input = e.input;
  sim::RunOptions options;
  options.threads = 1;
  options.record.raster = true;
  std::vector<sim::TrialRecord> out(kTrials);
  sim::run_trials(*e.net, *compiled, inputs, options, [&](std::size_t i, const sim::TrialRecord& r) { out[i] = r; });
  return out;
}

/// The network-level part of the counters (what the network does, not what a backend executed).
sim::OpCounts network_work(const sim::OpCounts& c) {
  sim::OpCounts n = c;
  n.executed_ops = 0;
  return n;
}

/// Every population's spike total over all trials within `tolerance` (relative, with a floor of
/// one spike per trial so that nearly silent populations are not judged on a handful of spikes).
bool within_tolerance(const sim::Network& net, const std::vector<sim::TrialRecord>& got,
                      const std::vector<sim::TrialRecord>& expected, double tolerance) {
  for (sim::PopulationId p = 0; p < net.population_count(); ++p) {
    std::int64_t a = 0, b = 0;
    for (std::size_t i = 0; i < got.size(); ++i) a += got[i].total_spikes(p), b += expected[i].total_spikes(p);
    const double scale = std::max<double>(static_cast<double>(b), static_cast<double>(got.size()));
    if (std::abs(static_cast<double>(a - b)) > tolerance * scale) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("conformance: every backend on every layer kind matches dense_reference") {
  const auto& reg = test::registries();
  const sim::Backend& reference = reg.backends.get("dense_reference", "test", "backend");
  std::string matrix = fmt::format("{:<18}", "layer \\ backend");
  for (const sim::Backend* b : reg.backends.entries()) matrix += fmt::format(" {:>16}", b->name());
  for (const layers::LayerKind* kind : reg.layers.entries()) {
    const Example e = build_example(*kind);
    const auto expected = run(e, reference);
    std::int64_t spikes = 0;
    for (const auto& r : expected)
      for (sim::PopulationId p = 0; p < e.net->population_count(); ++p) spikes += r.total_spikes(p);
    CAPTURE(kind->name());
    CHECK(spikes > 0);  // an example that never fires would compare nothing
    matrix += fmt::format("\n{:<18}", kind->name());
    for (const sim::Backend* backend : reg.backends.entries()) {
      const sim::Support support = backend->supports(*e.net);
      if (!support.ok) {
        matrix += fmt::format(" {:>16}", "unsupported");
        continue;
      }
      CAPTURE(backend->name());
      const auto got = run(e, *backend);
      if (backend->conformance_tolerance() > 0) {
        const bool close = within_tolerance(*e.net, got, expected, backend->conformance_tolerance());
        CHECK(close);
        matrix += fmt::format(" {:>16}", close ? fmt::format("within {:g}", backend->conformance_tolerance()) : "DIFFERS");
        continue;
      }
      bool same = true;
      for (std::size_t i = 0; i < kTrials; ++i) {
        same = same && got[i].raster == expected[i].raster && got[i].outputs == expected[i].outputs;
        for (sim::PopulationId p = 0; p < e.net->population_count(); ++p)
          same = same && network_work(got[i].counters.population_total(p)) ==
                             network_work(expected[i].counters.population_total(p));
        for (std::size_t j = 0; j < e.net->projection_count(); ++j)
          same = same && network_work(got[i].counters.projection_total(j)) ==
                             network_work(expected[i].counters.projection_total(j));
      }
      CHECK(same);
      matrix += fmt::format(" {:>16}", same ? "exact" : "DIFFERS");
    }
  }
  MESSAGE("support matrix (rasters, analog values and op counts vs dense_reference):\n" << matrix);
}
