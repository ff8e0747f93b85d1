// SPDX-License-Identifier: MIT
// Regression (found by fuzz_brian2_struct): a projection with a delay of about 2^46 steps in a
// trial of a few steps made the time-stepped backends size the source's history ring by the
// delay, 2^47 slots, and die allocating it. A ring with a slot for every step of the trial never
// overwrites one, so rings now hold at most the trial's steps; delays of 2^31 steps or more are
// refused (brian2_h5_test checks the message).
#include <doctest/doctest.h>

#include <string>

#include "models/brian2/brian2_h5.hpp"
#include "sim/hdf5/hdf5.hpp"
#include "tests/support/registries.hpp"
#include "tests/support/temp_dir.hpp"

using namespace snnsim;

namespace {

/// Input neuron 0 fires at step 3; one synapse of `weight` to an IF neuron (threshold 20 mV), delay D.
std::filesystem::path one_synapse(const test::TempDir& dir, std::int64_t delay_steps, double weight) {
  const auto path = dir / "delay.h5";
  h5::AtomicH5Writer out(path);
  out.root().write_attr("", "format", "snnsim-peer-network-v1");
  out.root().write_attr("", "dt_s", 1e-4);
  out.root().write_attr("", "steps", std::int64_t{20});
  h5::Group in = out.root().create_group("populations/in");
  in.write_attr("", "size", std::int64_t{1});
  in.write_attr("", "model", "spike_source");
  in.write<std::int64_t>("spike_neuron", std::vector<std::int64_t>{0}, {1});
  in.write<std::int64_t>("spike_step", std::vector<std::int64_t>{3}, {1});
  h5::Group pop = out.root().create_group("populations/pop");
  pop.write_attr("", "size", std::int64_t{1});
  pop.write_attr("", "model", "if");
  pop.write_attr("", "v_threshold_V", 0.02);
  pop.write_attr("", "v_reset_V", 0.0);
  h5::Group proj = out.root().create_group("projections/in_to_pop");
  proj.write_attr("", "source", "in");
  proj.write_attr("", "target", "pop");
  proj.write_attr("", "target_var", "current");
  proj.write_attr("", "delay_steps", delay_steps);
  proj.write<std::int64_t>("source_neuron", std::vector<std::int64_t>{0}, {1});
  proj.write<std::int64_t>("target_neuron", std::vector<std::int64_t>{0}, {1});
  proj.write<double>("weight_V", std::vector<double>{weight}, {1});
  out.commit();
  return path;
}

/// The target's spike count per step on `backend`.
std::vector<std::int32_t> target_spikes(const std::filesystem::path& file, const std::string& backend) {
  const models::ImportedNetwork n = models::Brian2H5Importer().load(file, test::registries().neurons);
  const auto compiled = test::registries().backends.get(backend, "test", "backend").compile(*n.network, {});
  const auto ws = compiled->make_workspace();
  sim::TrialRecord record;
  record.reset(*n.network, {});
  compiled->run_trial(*ws, n.stimulus, {}, record);
  const sim::PopulationId pop = *n.network->find("pop");
  return {record.spike_counts.begin() + static_cast<std::ptrdiff_t>(pop * 20),
          record.spike_counts.begin() + static_cast<std::ptrdiff_t>(pop * 20 + 20)};
}

}  // namespace

TEST_CASE("regression: a delay far longer than the trial delivers nothing and allocates no ring for it") {
  const test::TempDir dir("reg-delay");
  for (const std::string backend : {"cpu_event", "dense_reference"}) {
    CAPTURE(backend);
    std::vector<std::int32_t> expected(20, 0);
    expected[3 + 5 + 1] = 1;  // Brian2's D = 5 acts on the update of s + D + 1
    CHECK(target_spikes(one_synapse(dir, 5, 0.03), backend) == expected);
    // 2^31 - 1 steps, the longest delay snnsim holds: a ring that long would be 48 GiB of lists.
    CHECK(target_spikes(one_synapse(dir, (std::int64_t{1} << 31) - 2, 0.03), backend) == std::vector<std::int32_t>(20, 0));
  }
}
