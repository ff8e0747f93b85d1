// SPDX-License-Identifier: MIT
// TOML experiments: the Brian2 CUBA network rebuilt from a TOML file over cuba.h5's arrays
// reproduces Brian2's raster; rule-based connectivity, Poisson sources; thread-count
// independence; bad input named by file, field, expected and found.
#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include <fmt/format.h>

#include "models/brian2/brian2_h5.hpp"
#include "models/experiment/experiment.hpp"
#include "sim/error.hpp"
#include "sim/hdf5/hdf5.hpp"
#include "tests/support/experiment_error.hpp"
#include "tests/support/registries.hpp"
#include "tests/support/simulate.hpp"
#include "tests/support/temp_dir.hpp"

using namespace snnsim;

namespace {

models::ImportedNetwork load(const std::filesystem::path& path) {
  return models::ExperimentImporter().load(path, test::registries().neurons);
}

const sim::Sparse& sparse(const models::ImportedNetwork& n, std::size_t k) {
  return std::get<sim::Sparse>(n.network->projections()[k].projection->connectivity);
}

const char* kHeader = "dt = \"0.1 ms\"\nduration = \"10 ms\"\nseed = 5\n";
const char* kNeuron = "model = \"cuba_lif_exact\"\ntau_m = \"20 ms\"\ntau_e = \"5 ms\"\ntau_i = \"10 ms\"\n"
                      "v_rest = \"-60 mV\"\nv_reset = \"-60 mV\"\nv_threshold = \"-50 mV\"\nrefractory = \"5 ms\"\n";

}  // namespace

TEST_CASE("a TOML experiment over cuba.h5's arrays reproduces Brian2's raster") {
  const std::string h5 = test::shared_dir() + "/peers/brian2/cuba.h5";
  const h5::File f = h5::File::open_read(h5);
  std::string p;
  for (const char* k : {"P_vv", "P_ee", "P_ii", "P_ve", "P_vi"})
    p += fmt::format("{} = {:.17g}\n", k, f.read_double_attr("populations/cuba", k));
  test::TempDir dir("experiment-cuba");
  const std::string toml = fmt::format(
      "format = \"snnsim-experiment-v1\"\ndt = \"0.1 ms\"\nduration = \"1 s\"\narrays = \"{}\"\n"
      "[populations.cuba]\nsize = 4000\nmodel = \"cuba_lif_exact\"\ntau_m = \"20 ms\"\ntau_e = \"5 ms\"\n"
      "tau_i = \"10 ms\"\nv_rest = \"-49 mV\"\nv_reset = \"-60 mV\"\nv_threshold = \"-50 mV\"\nrefractory = \"5 ms\"\n{}"
      "initial.v = \"h5:/populations/cuba/v0_V\"\n"
      "[[projections]]\nsource = \"cuba\"\ntarget = \"cuba\"\nport = \"ge\"\nconnect = \"h5:/projections/exc\"\n"
      "weight = \"h5:/projections/exc/weight_V\"\ndelay = \"1.1 ms\"\n"  // Brian2's 1 ms + its one-step schedule offset
      "[[projections]]\nsource = \"cuba\"\ntarget = \"cuba\"\nport = \"gi\"\nconnect = \"h5:/projections/inh\"\n"
      "weight = \"h5:/projections/inh/weight_V\"\ndelay = \"1.1 ms\"\n",
      h5, p);
  const models::ImportedNetwork n = load(dir.write("cuba.toml", toml));
  CHECK(sparse(n, 0).delay == 11);
  const auto reference = models::read_reference_spikes(h5, "cuba");
  for (int threads : {1, 2}) {
    const sim::TrialRecord r = test::simulate_one_trial(n, threads);
    CHECK(r.raster[0] == reference);
  }
}

TEST_CASE("rule-based connectivity: exact counts for the deterministic rules, expectations for the random ones") {
  test::TempDir dir("experiment-rules");
  const std::string toml = std::string(kHeader) + "[populations.a]\nsize = 400\n" + kNeuron + "[populations.b]\nsize = 300\n" + kNeuron +
                           "[populations.c]\nsize = 400\n" + kNeuron +
                           "[[projections]]\nsource = \"a\"\ntarget = \"b\"\nconnect = \"all_to_all\"\nweight = \"1 mV\"\ndelay = \"1 ms\"\n"
                           "[[projections]]\nsource = \"a\"\ntarget = \"c\"\nconnect = \"one_to_one\"\nweight = 0.001\ndelay = \"0.1 ms\"\n"
                           "[[projections]]\nsource = \"a\"\ntarget = \"a\"\nconnect = { rule = \"fixed_probability\", p = 0.1 }\n"
                           "weight = \"1 mV\"\ndelay = \"1 ms\"\n"
                           "[[projections]]\nsource = \"c\"\ntarget = \"b\"\nconnect = { rule = \"fixed_indegree\", n = 25 }\n"
                           "weight = \"1 mV\"\ndelay = \"1 ms\"\n";
  const models::ImportedNetwork n = load(dir.write("rules.toml", toml));
  CHECK(sparse(n, 0).source.size() == 400 * 300);
  CHECK(sparse(n, 0).weight[17] == 0.001);
  CHECK(sparse(n, 1).source.size() == 400);
  CHECK(sparse(n, 1).target[123] == 123);
  CHECK(sparse(n, 1).delay == 1);
  // fixed_probability 0.1 over 400 x 399 pairs (no self-connections): 15,960 expected, sd 120.
  const sim::Sparse& fp = sparse(n, 2);
  CHECK(std::abs(static_cast<double>(fp.source.size()) - 15960.0) < 5 * 120);
  for (std::size_t k = 0; k < fp.source.size(); ++k) REQUIRE(fp.source[k] != fp.target[k]);
  // fixed_indegree: every target has exactly 25 distinct sources.
  const sim::Sparse& fi = sparse(n, 3);
  CHECK(fi.source.size() == 300 * 25);
  std::vector<std::set<std::uint32_t>> sources(300);
  for (std::size_t k = 0; k < fi.source.size(); ++k) sources[fi.target[k]].insert(fi.source[k]);
  for (const auto& s : sources) REQUIRE(s.size() == 25);
  // Same seed, same network; another seed, another one.
  CHECK(sparse(load(dir.path() / "rules.toml"), 2).target == fp.target);
  const auto other = models::ExperimentImporter().load_seeded(dir.path() / "rules.toml", test::registries().neurons, 6);
  CHECK(sparse(other, 2).target != fp.target);
}

TEST_CASE("Poisson sources: the rate within statistics, the raster identical for 1 and 2 threads") {
  const auto path = std::filesystem::path(SNNSIM_SOURCE_DIR) / "models/experiment/examples/poisson_chain.toml";
  const models::ImportedNetwork n = load(path);
  const sim::PopulationId input = *n.network->find("input");
  // 500 neurons x 5,000 steps x p = 0.002: 5,000 spikes expected, sd 70.6.
  const std::size_t spikes = n.network->population(input).fixed_spikes->step.size();
  CHECK(std::abs(static_cast<double>(spikes) - 5000.0) < 5 * 70.6);
  const sim::TrialRecord one = test::simulate_one_trial(n, 1), two = test::simulate_one_trial(n, 2);
  CHECK(one.raster == two.raster);
  CHECK(one.total_spikes(*n.network->find("hidden")) > 0);
  CHECK(one.total_spikes(*n.network->find("counter")) > 0);
}

TEST_CASE("bad TOML experiments: one line naming file, field, expected and found") {
  test::TempDir dir("experiment-bad");
  const std::string d = dir.path().string();
  auto pop = [](const std::string& extra) { return std::string(kHeader) + "[populations.a]\nsize = 10\n" + kNeuron + extra; };
  CHECK(test::experiment_error(dir, "m.toml", std::string(kHeader) + "[populations.a]\nsize = 10\nmodel = \"hh\"\n") ==
        d + "/m.toml: populations.a.model: expected one of the neuron models cuba_lif_exact, if, leaky_integrator, lif, "
            "loihi_cuba, got 'hh'");
  CHECK(test::experiment_error(dir, "p.toml", pop("tau_q = \"1 ms\"\n")) ==
        d + "/p.toml: populations.a.tau_q: expected one of the parameters of cuba_lif_exact: tau_m, tau_e, tau_i, v_rest, "
            "v_reset, v_threshold, refractory, P_vv, P_ee, P_ii, P_ve, P_vi, got 'tau_q'");
  const std::string neg = std::string(kHeader) + "[populations.a]\nsize = 10\nmodel = \"leaky_integrator\"\ntau = \"-5 ms\"\n";
  CHECK(test::experiment_error(dir, "n.toml", neg) == d + "/n.toml: populations.a.tau: expected a value > 0 s, got -0.005");
  const std::string small_tau = std::string(kHeader) + "[populations.a]\nsize = 10\nmodel = \"leaky_integrator\"\ntau = \"0.05 ms\"\n";
  CHECK(test::experiment_error(dir, "t.toml", small_tau) ==
        d + "/t.toml: populations.a.tau: expected a time constant of at least dt = 0.0001 s, got 5e-05 s");
  const std::string ref = std::string(kHeader) + "[populations.a]\nsize = 10\nmodel = \"if\"\nv_threshold = \"1 mV\"\n"
                                                 "v_reset = 0\nrefractory = \"0.01 ms\"\n";
  CHECK(test::experiment_error(dir, "r.toml", ref) ==
        d + "/r.toml: populations.a.refractory: expected 0 or a period of at least dt = 0.0001 s, got 1e-05 s");
  CHECK(test::experiment_error(dir, "u.toml", std::string(kHeader) + "[populations.a]\nsize = 10\nmodel = \"leaky_integrator\"\ntau = \"5 mV\"\n") ==
        d + "/u.toml: populations.a.tau: expected a quantity in ms, s, us (e.g. \"20 ms\"), got '5 mV'");
  const std::string proj = "[[projections]]\nsource = \"a\"\ntarget = \"a\"\nconnect = \"all_to_all\"\nweight = \"1 mV\"\n";
  CHECK(test::experiment_error(dir, "d.toml", pop(proj + "delay = \"0.05 ms\"\n")) ==
        d + "/d.toml: projections[0].delay: expected a delay of at least one step (dt = 0.0001 s), got 5e-05 s");
  // 1e30 s is 1e34 steps: converting it to a 64-bit step count would be undefined behaviour.
  CHECK(test::experiment_error(dir, "l.toml", pop(proj + "delay = \"1e30 s\"\n")) ==
        d + "/l.toml: projections[0].delay: expected a delay of at most 2147483647 time steps of dt = 0.0001 s, got 1e+30 s");
  // Arrays: indices beyond the population, lengths that differ.
  {
    h5::AtomicH5Writer w(dir / "arrays.h5");
    h5::Group g = w.root().create_group("projections/x");
    g.write<std::int32_t>("source_neuron", std::vector<std::int32_t>{0, 1, 2}, {3});
    g.write<std::int32_t>("target_neuron", std::vector<std::int32_t>{3, 10, 4}, {3});
    g.write<double>("weight_V", std::vector<double>{0.001, 0.001}, {2});
    w.commit();
  }
  const std::string arrays = "arrays = \"arrays.h5\"\n";
  const std::string from_h5 = "[[projections]]\nsource = \"a\"\ntarget = \"a\"\nconnect = \"h5:/projections/x\"\ndelay = \"1 ms\"\n";
  CHECK(test::experiment_error(dir, "i.toml", arrays + pop(from_h5 + "weight = \"1 mV\"\n")) ==
        d + "/i.toml: projections[0].connect: /projections/x/target_neuron[1]: expected a neuron index of a in [0, 10), got 10");
  CHECK(test::experiment_error(dir, "l.toml", arrays + std::string(kHeader) + "[populations.a]\nsize = 11\n" + kNeuron + from_h5 +
                                    "weight = \"h5:/projections/x/weight_V\"\n") ==
        d + "/l.toml: projections[0].weight: expected 3 weights (one per synapse), got 2 values in /projections/x/weight_V");
}
