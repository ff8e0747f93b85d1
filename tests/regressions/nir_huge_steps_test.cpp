// SPDX-License-Identifier: MIT
// Regression (found by the bad-input table): a NIR file whose node/metadata/steps is 1e300 was
// cast to an integer (undefined behaviour) and then made the engine ask for an impossible vector
// (std::length_error: "internal error", exit 3). It is now refused with the field named.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "models/nir/nir.hpp"
#include "sim/error.hpp"
#include "sim/hdf5/hdf5.hpp"
#include "tests/support/registries.hpp"
#include "tests/support/temp_dir.hpp"

using namespace snnsim;

namespace {

/// The smallest NIR graph (Input -> Output) with the given node/metadata/steps.
std::filesystem::path nir_with_steps(const test::TempDir& dir, double steps) {
  const auto path = dir / "steps.nir";
  h5::AtomicH5Writer out(path);
  out.root().write_string("version", "1.0");
  h5::Group node = out.root().create_group("node");
  node.write_string("type", "NIRGraph");
  h5::Group input = node.create_group("nodes/input");
  input.write_string("type", "Input");
  input.write<std::int64_t>("shape", std::vector<std::int64_t>{3}, {1});
  h5::Group output = node.create_group("nodes/output");
  output.write_string("type", "Output");
  node.write_strings("edges", {"input", "output"}, {1, 2});
  node.create_group("metadata").write<double>("steps", std::vector<double>{steps}, {});
  out.commit();
  return path;
}

}  // namespace

TEST_CASE("regression: NIR steps too large for an integer is an Error, not undefined behaviour") {
  const test::TempDir dir("reg-nir");
  const models::NirImporter nir;
  for (double steps : {1e300, 1e19, 9.3e18, -1.0}) {
    const auto path = nir_with_steps(dir, steps);
    CAPTURE(steps);
    CHECK_THROWS_WITH_AS(nir.load(path, test::registries().neurons),
                         (path.string() + ": node/metadata/steps: expected a positive integer, got " +
                          fmt::format("{}", steps)).c_str(),
                         Error);
  }
  // 2^53 steps is an integer, but one trial of it would need far more than the memory limit:
  // per step 68 bytes of spike count and counters, 12 of graded input, 24 of output; 96 of state.
  const auto path = nir_with_steps(dir, 9007199254740992.0);
  CHECK_THROWS_WITH_AS(nir.load(path, test::registries().neurons),
                       (path.string() + ": node/metadata/steps: expected at most 4294967296 bytes (the memory limit; "
                                        "see --max-memory), got 936748722493063264 bytes to simulate one trial").c_str(),
                       Error);
  // A sensible count still loads.
  CHECK(nir.load(nir_with_steps(dir, 12.0), test::registries().neurons).network->steps() == 12);
}
