// SPDX-License-Identifier: MIT
// Regression (found by the bad-input table): a Brian2-layout network declaring 2^50 steps loaded,
// and `snnsim run --network` then died of std::bad_alloc ("internal error", exit 3) allocating the
// per-step record. The importer now refuses it with the bytes one trial would need.
#include <doctest/doctest.h>

#include "models/brian2/brian2_h5.hpp"
#include "sim/error.hpp"
#include "sim/hdf5/hdf5.hpp"
#include "tests/support/registries.hpp"
#include "tests/support/temp_dir.hpp"

using namespace snnsim;

namespace {

/// Two spike sources, no projections, `steps` steps.
std::filesystem::path network_with_steps(const test::TempDir& dir, std::int64_t steps) {
  const auto path = dir / "steps.h5";
  h5::AtomicH5Writer out(path);
  out.root().write_attr("", "format", "snnsim-peer-network-v1");
  out.root().write_attr("", "dt_s", 1e-4);
  out.root().write_attr("", "steps", steps);
  h5::Group pop = out.root().create_group("populations/in");
  pop.write_attr("", "size", std::int64_t{2});
  pop.write_attr("", "model", "spike_source");
  pop.write<std::int64_t>("spike_neuron", std::vector<std::int64_t>{1}, {1});
  pop.write<std::int64_t>("spike_step", std::vector<std::int64_t>{0}, {1});
  out.commit();
  return path;
}

}  // namespace

TEST_CASE("regression: a Brian2-layout network of 2^50 steps is refused before allocating") {
  const test::TempDir dir("reg-brian2");
  const models::Brian2H5Importer importer;
  const auto huge = network_with_steps(dir, std::int64_t{1} << 50);
  // One population of 2: per step 4 bytes of spike count and 64 of counters; 64 bytes of state.
  CHECK_THROWS_WITH_AS(importer.load(huge, test::registries().neurons),
                       (huge.string() + ": /@steps: expected at most 4294967296 bytes (the memory limit; see "
                                        "--max-memory), got 76561193665298496 bytes to simulate one trial").c_str(),
                       Error);
  CHECK(importer.load(network_with_steps(dir, 100), test::registries().neurons).network->steps() == 100);
}
