// SPDX-License-Identifier: MIT
// Regression (found by the bad-input table): TOML experiments generate their networks from declared
// sizes, and the importer applied no limit to them. A population of 2^40 neurons looped forever
// (the 32-bit neuron counter of the Poisson draws never reached its size); all_to_all between
// populations of 10^5 neurons died of std::bad_alloc ("internal error", exit 3); a duration of
// 1e300 s was cast to an integer step count (undefined behaviour); 10^9 steps spent minutes drawing
// Poisson spikes before failing. The importer now refuses each before generating anything, with
// the bytes it would need.
#include <doctest/doctest.h>

#include <string>

#include "tests/support/experiment_error.hpp"
#include "tests/support/temp_dir.hpp"

using namespace snnsim;

namespace {

/// A Poisson source of `input` neurons into `output` IF neurons, all_to_all, over `duration`.
std::string experiment(const std::string& input, const std::string& output, const std::string& duration) {
  return "format = \"snnsim-experiment-v1\"\ndt = \"0.1 ms\"\nduration = \"" + duration + "\"\n"
         "[populations.input]\nsize = " + input + "\nmodel = \"poisson\"\nrate = \"20 Hz\"\n"
         "[populations.out]\nsize = " + output + "\nmodel = \"if\"\nv_threshold = \"20 mV\"\nv_reset = \"0 mV\"\n"
         "[[projections]]\nsource = \"input\"\ntarget = \"out\"\nconnect = \"all_to_all\"\nweight = \"1 mV\"\n"
         "delay = \"1 ms\"\n";
}

}  // namespace

TEST_CASE("regression: TOML experiments with huge declared sizes are refused before generating them") {
  const test::TempDir dir("reg-experiment");
  const std::string file = (dir / "x.toml").string() + ": ";
  const std::string limit = "expected at most 4294967296 bytes (the memory limit; see --max-memory), got ";
  CHECK(test::experiment_error(dir, "x.toml", experiment("1099511627776", "10", "1 ms")) ==
        file + "populations.input.size: expected a population size in [1, 2^31], got 1099511627776");
  // 10^10 synapses of 16 bytes (source, target, weight).
  CHECK(test::experiment_error(dir, "x.toml", experiment("100000", "100000", "1 ms")) ==
        file + "projections[0].connect: " + limit + "160000000000 bytes for the synapses");
  CHECK(test::experiment_error(dir, "x.toml", experiment("10", "10", "1e300 s")) ==
        file + "duration: expected a whole number (>= 1) of steps of dt = 0.0001 s, got 1e+300 s");
  // 10^9 steps x (2 populations x (4 + 64) + 1 projection x 64 bytes) + 20 neurons x 32 bytes.
  CHECK(test::experiment_error(dir, "x.toml", experiment("10", "10", "100000 s")) ==
        file + "duration: " + limit + "200000000640 bytes to simulate one trial");
  // (2^31 + 10) neurons of state at 32 bytes each.
  CHECK(test::experiment_error(dir, "x.toml", experiment("2147483648", "10", "1 ms")) ==
        file + "populations: " + limit + "68719477056 bytes for the neurons' state");
  CHECK(test::experiment_error(dir, "x.toml", experiment("10", "10", "1 ms")).empty());
}
