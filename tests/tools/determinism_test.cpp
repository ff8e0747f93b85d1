// SPDX-License-Identifier: MIT
// Determinism: the same input gives byte-identical spike files and counters whatever the thread
// count (1, 2, 4), for the LMUFormer (threads over images) and a recurrent network (Brian2's
// CUBA: one trial split over threads); the same seed gives the same network and spikes, a
// different seed a different one.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "hw_backends/registry.hpp"
#include "models/lmuformer/lmuformer.hpp"
#include "sim/run.hpp"
#include "tests/support/cli.hpp"
#include "tests/support/lmuformer_file.hpp"
#include "tests/support/registries.hpp"

namespace fs = std::filesystem;
using snnsim::test::run_cli;
using snnsim::test::slurp;
using snnsim::test::TempDir;

namespace {

/// A run report without what legitimately differs between runs (timings, the command line,
/// the thread count), dumped: equal strings mean identical results.
std::string results_of(const fs::path& json) {
  nlohmann::json j = nlohmann::json::parse(slurp(json));
  j.erase("provenance");
  j.erase("threads");
  j.erase("wall_seconds");
  for (const char* timing : {"seconds", "wall_s", "simulated_s_per_wall_s", "timing"}) j.erase(timing);
  return j.dump(1);
}

}  // namespace

TEST_CASE("LMUFormer: 1, 2 and 4 threads give byte-identical rasters, logits and counters") {
  const TempDir dir("det-lmu");
  std::vector<std::string> results;
  for (int threads : {1, 2, 4}) {
    // (fmt rather than "t" + std::string: GCC 12 at -O3 warns falsely, -Wrestrict, on that form)
    const fs::path json = dir / fmt::format("t{}.json", threads);
    const auto r = run_cli("run --first 24 --per-sample --rasters 3 --threads " + std::to_string(threads) +
                           " --json " + json.string());
    REQUIRE(r.status == 0);
    results.push_back(results_of(json));
  }
  CHECK(results[0] == results[1]);
  CHECK(results[0] == results[2]);
  // The comparison is about real activity: spikes, rasters and per-image counters are present.
  const auto j = nlohmann::json::parse(results[0]);
  CHECK(j.at("per_image").size() == 24);
  CHECK(j.contains("rasters"));
}

TEST_CASE("recurrent network (CUBA): 1, 2 and 4 threads give byte-identical spike files and counters") {
  const TempDir dir("det-cuba");
  const fs::path net = fs::path(snnsim::test::shared_dir()) / "peers/brian2/cuba.h5";
  std::vector<std::string> spikes, results;
  for (int threads : {1, 2, 4}) {
    const std::string t = std::to_string(threads);
    const fs::path csv = dir / ("s" + t + ".csv"), json = dir / ("s" + t + ".json");
    const auto r = run_cli("run --network " + net.string() + " --threads " + t + " --spikes " + csv.string() +
                           " --json " + json.string());
    REQUIRE(r.status == 0);
    spikes.push_back(slurp(csv));
    results.push_back(results_of(json));
  }
  CHECK(spikes[0] == spikes[1]);
  CHECK(spikes[0] == spikes[2]);
  CHECK(results[0] == results[1]);
  CHECK(results[0] == results[2]);
  // Brian2's raster has 24,065 spikes in the second; one CSV line per spike plus the header.
  CHECK(std::count(spikes[0].begin(), spikes[0].end(), '\n') == 24065 + 1);
}

TEST_CASE("seeded random weights: the same seed twice is identical, another seed differs") {
  using namespace snnsim;
  const TempDir dir("det-seed");
  auto spikes_of = [&](std::uint64_t seed, const std::string& name) {
    test::LmuformerShape shape;
    shape.seed = seed;
    test::write_lmuformer_file(dir / name, shape);
    const models::LmuformerModel m = models::load_lmuformer(dir / name, test::registries().neurons);
    const auto compiled = test::registries().backends.get("cpu_event", "test", "backend").compile(*m.network, {});
    const auto ws = compiled->make_workspace();
    std::vector<float> x(shape.steps * shape.features);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 17) / 16.0f;
    sim::Stimulus stimulus;
    stimulus.resize(m.network->population_count());
    stimulus.values[m.input] = x;
    sim::TrialRecord record;
    record.reset(*m.network, {});
    compiled->run_trial(*ws, stimulus, {}, record);
    return record;
  };
  const sim::TrialRecord a = spikes_of(7, "a.h5"), b = spikes_of(7, "b.h5"), c = spikes_of(8, "c.h5");
  CHECK(a.spike_counts == b.spike_counts);
  CHECK(a.counters == b.counters);
  CHECK(a.outputs == b.outputs);
  CHECK(a.spike_counts != c.spike_counts);
  std::int64_t total = 0;
  for (std::int32_t s : a.spike_counts) total += s;
  CHECK(total > 100);  // real activity
}
