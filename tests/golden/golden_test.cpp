// SPDX-License-Identifier: MIT
// The definition of correct: the spiking LMUFormer of ../shared/golden, simulated by every
// float backend, reproduces the reference PyTorch model (golden README section 6).
#include <doctest/doctest.h>

#include "sim/hdf5/hdf5.hpp"
#include "sim/run.hpp"
#include "tests/support/golden.hpp"

using namespace snnsim;

namespace {

using test::golden_data;
using test::GoldenTrials;

const models::LmuformerModel& golden_model() { return test::golden_lmuformer(); }

std::vector<sim::TrialRecord> run_all(const std::string& backend, int threads) {
  const auto compiled =
      test::registries().backends.get(backend, "test", "backend").compile(*golden_model().network, {});
  std::vector<sim::TrialRecord> records(golden_data().samples);
  sim::RunOptions options;
  options.threads = threads;
  options.record.raster = true;
  sim::run_trials(*golden_model().network, *compiled, GoldenTrials{}, options,
                  [&](std::size_t i, const sim::TrialRecord& r) { records[i] = r; });
  return records;
}

}  // namespace

TEST_CASE("every float backend reproduces the golden LMUFormer on all robust samples") {
  const h5::File file = h5::File::open_read(test::golden_model());
  const auto pred = file.read<std::int64_t>("/golden/pred").data;
  std::size_t golden_correct = 0;
  for (std::size_t i = 0; i < pred.size(); ++i) golden_correct += pred[i] == golden_data().labels[i];

  for (const std::string backend : {"cpu_event", "dense_reference"}) {
    CAPTURE(backend);
    const auto compiled = test::registries().backends.get(backend, "test", "backend").compile(*golden_model().network, {});
    const models::VerifyResult r = models::verify_golden(golden_model(), *compiled, golden_data(), 2);
    for (const std::string& m : r.mismatches) MESSAGE(m);
    CHECK(r.samples == 256);
    CHECK(r.robust == 247);
    CHECK(r.matched == r.robust);
    CHECK(r.debug_checked == 8);
    CHECK(r.debug_matched == 8);
    CHECK(r.max_logit_error < models::kLogitTolerance);
    CHECK(r.max_cumulative_error < models::kLogitTolerance);
    CHECK(r.correct == golden_correct);  // 223 of 256, as the reference
  }
}

TEST_CASE("per-layer spike totals over the robust samples equal /golden/spikes_total exactly") {
  const h5::File file = h5::File::open_read(test::golden_model());
  const auto records = run_all("cpu_event", 2);
  const sim::Network& net = *golden_model().network;
  for (const std::string& layer : golden_model().config.spiking_layers) {
    CAPTURE(layer);
    const auto totals = file.read<std::int64_t>("/golden/spikes_total/" + layer).data;
    std::int64_t mine = 0, reference = 0;
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (golden_data().fragile[i]) continue;
      mine += records[i].total_spikes(*net.find(layer));
      reference += totals[i];
    }
    CHECK(mine == reference);
  }
}

TEST_CASE("spikes, rasters and logits do not depend on the thread count or the backend") {
  const auto one = run_all("cpu_event", 1);
  const auto two = run_all("cpu_event", 2);
  const auto dense = run_all("dense_reference", 2);
  REQUIRE(one.size() == 256);
  std::int64_t spikes = 0;
  for (std::size_t i = 0; i < one.size(); ++i) {
    CHECK(one[i].raster == two[i].raster);
    CHECK(one[i].outputs == two[i].outputs);  // bit-identical floats
    CHECK(one[i].raster == dense[i].raster);
    CHECK(one[i].outputs == dense[i].outputs);
    for (const auto& r : one[i].raster) spikes += static_cast<std::int64_t>(r.size());
  }
  CHECK(spikes > 256 * 4000);  // ~5,041 spikes per image (golden README section 7)
}
