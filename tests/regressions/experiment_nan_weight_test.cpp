// SPDX-License-Identifier: MIT
// Regression (found by the bad-input table): a TOML experiment with `weight = nan` (TOML has nan and
// inf literals) or the string "nan" loaded, and `snnsim run --network` simulated it with NaN weights
// and exit status 0: a silently wrong result. Every quantity must now be finite.
#include <doctest/doctest.h>

#include <string>

#include "tests/support/experiment_error.hpp"
#include "tests/support/temp_dir.hpp"

using namespace snnsim;

namespace {

/// The error of an experiment with this weight and leaky-integrator tau (TOML values).
std::string quantity_error(const test::TempDir& dir, const std::string& weight, const std::string& tau = "\"20 ms\"") {
  return test::experiment_error(
      dir, "x.toml",
      "format = \"snnsim-experiment-v1\"\ndt = \"0.1 ms\"\nduration = \"1 ms\"\n"
      "[populations.input]\nsize = 2\nmodel = \"poisson\"\nrate = \"20 Hz\"\n"
      "[populations.out]\nsize = 2\nmodel = \"leaky_integrator\"\ntau = " + tau + "\n"
      "[[projections]]\nsource = \"input\"\ntarget = \"out\"\nconnect = \"all_to_all\"\nweight = " + weight +
      "\ndelay = \"1 ms\"\n");
}

}  // namespace

TEST_CASE("regression: non-finite quantities in TOML experiments are refused") {
  const test::TempDir dir("reg-nan");
  const std::string weight = (dir / "x.toml").string() + ": projections[0].weight: expected a quantity in V, mV, uV (e.g. \"20 V\"), got ";
  CHECK(quantity_error(dir, "nan") == weight + "nan");
  CHECK(quantity_error(dir, "-inf") == weight + "-inf");
  CHECK(quantity_error(dir, "\"nan mV\"") == weight + "'nan mV'");
  CHECK(quantity_error(dir, "\"inf\"") == weight + "'inf'");
  CHECK(quantity_error(dir, "\"1 mV\"", "inf") ==
        (dir / "x.toml").string() + ": populations.out.tau: expected a quantity in ms, s, us (e.g. \"20 ms\"), got inf");
  CHECK(quantity_error(dir, "\"1 mV\"").empty());
}
