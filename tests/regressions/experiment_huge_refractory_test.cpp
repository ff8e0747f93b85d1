// SPDX-License-Identifier: MIT
// Regression (found by fuzz_experiment): a cuba_lif_exact population (if_neuron shares the code) with refractory =
// "88888888888888888888888888888888888885 ms" converted 8.9e38 steps to a 64-bit integer, which is
// undefined behaviour (UBSan: float-cast-overflow). The period is now refused with the limit.
#include <doctest/doctest.h>

#include <string>

#include "tests/support/experiment_error.hpp"
#include "tests/support/temp_dir.hpp"

using namespace snnsim;

namespace {

/// The error of an experiment whose one population has this refractory period.
std::string refractory_error(const test::TempDir& dir, const std::string& refractory) {
  return test::experiment_error(
      dir, "x.toml",
      "format = \"snnsim-experiment-v1\"\ndt = \"0.1 ms\"\nduration = \"1 ms\"\n"
      "[populations.exc]\nsize = 2\nmodel = \"cuba_lif_exact\"\ntau_m = \"20 ms\"\ntau_e = \"5 ms\"\n"
      "tau_i = \"10 ms\"\nv_rest = \"-49 mV\"\nv_reset = \"-60 mV\"\nv_threshold = \"-50 mV\"\n"
      "refractory = \"" + refractory + "\"\n");
}

}  // namespace

TEST_CASE("regression: a refractory period too long to count in time steps is refused") {
  const test::TempDir dir("reg-refractory");
  const std::string expected = (dir / "x.toml").string() +
                               ": populations.exc.refractory: expected a period of at most 2^31 time steps of dt = 0.0001 s, got ";
  CHECK(refractory_error(dir, "88888888888888888888888888888888888885 ms") == expected + "8.88889e+34 s");
  CHECK(refractory_error(dir, "214749 s") == expected + "214749 s");  // 2^31 steps of 0.1 ms is 214,748.36 s
  CHECK(refractory_error(dir, "214748 s").empty());
  CHECK(refractory_error(dir, "5 ms").empty());
}
