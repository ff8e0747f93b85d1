// SPDX-License-Identifier: MIT
// The Brian2-layout importer and the engine against Brian2's rasters: cuba.h5 carries Brian2's
// own raster; for ff.h5 the references are an independent NumPy simulation written from the
// peer README (numpy_reference.py, run here) and the digest of the raster Brian2 2.5.1 C++
// standalone produced (tests/data/brian2/ff_brian2_raster_digest.txt).
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "models/brian2/brian2_h5.hpp"
#include "models/spike_output.hpp"
#include "sim/error.hpp"
#include "sim/hdf5/hdf5.hpp"
#include "tests/support/error_of.hpp"
#include "tests/support/registries.hpp"
#include "tests/support/simulate.hpp"
#include "tests/support/temp_dir.hpp"

using namespace snnsim;

namespace {

models::ImportedNetwork load(const std::string& path) {
  return models::Brian2H5Importer().load(path, test::registries().neurons);
}

/// Rows "population,neuron,step" in network order, then step, neuron (the --spikes CSV order).
std::vector<std::string> rows(const sim::Network& net, const sim::TrialRecord& r) {
  std::vector<std::string> out;
  for (sim::PopulationId p = 0; p < r.raster.size(); ++p)
    for (const sim::SpikeEvent& e : r.raster[p]) out.push_back(fmt::format("{},{},{}", net.population(p).name, e.neuron, e.step));
  return out;
}

std::uint64_t fnv1a64(const std::vector<std::string>& lines) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const std::string& l : lines)
    for (char c : l + "\n") {
      h ^= static_cast<unsigned char>(c);
      h *= 0x100000001b3ULL;
    }
  return h;
}

std::string load_error(const std::filesystem::path& path) {
  return test::error_of([&] { (void)load(path.string()); });
}

/// The arrays of the small test file (valid as given).
struct SmallArrays {
  std::vector<double> v0{-0.06, -0.055, -0.051};
  std::vector<std::int32_t> target{2, 1};
  std::vector<double> weight{0.002, 0.003};
  std::int64_t delay = 10;
};

/// A small valid file: input (2 spikes) -> pop (3 neurons) with two synapses; `tweak` breaks it.
std::filesystem::path small_file(const test::TempDir& dir, const std::string& name,
                                 const std::function<void(h5::Group&)>& tweak = {}, const SmallArrays& a = {}) {
  const auto path = dir / name;
  h5::AtomicH5Writer w(path);
  h5::Group& root = w.root();
  root.write_attr("", "format", "snnsim-peer-network-v1");
  root.write_attr("", "dt_s", 1e-4);
  root.write_attr("", "steps", std::int64_t{100});
  h5::Group in = root.create_group("populations/input");
  in.write_attr("", "size", std::int64_t{2});
  in.write_attr("", "model", "spike_source");
  in.write<std::int32_t>("spike_neuron", std::vector<std::int32_t>{0, 1}, {2});
  in.write<std::int64_t>("spike_step", std::vector<std::int64_t>{3, 5}, {2});
  h5::Group pop = root.create_group("populations/pop");
  pop.write_attr("", "size", std::int64_t{3});
  pop.write_attr("", "model", "cuba_lif_exact");
  for (const auto& [k, v] : std::vector<std::pair<const char*, double>>{
           {"tau_m_s", 0.02}, {"tau_e_s", 0.005}, {"tau_i_s", 0.01}, {"v_rest_V", -0.06}, {"v_reset_V", -0.06},
           {"v_threshold_V", -0.05}, {"refractory_s", 0.005}})
    pop.write_attr("", k, v);
  pop.write<double>("v0_V", a.v0, {a.v0.size()});
  h5::Group proj = root.create_group("projections/in_to_pop");
  proj.write_attr("", "source", "input");
  proj.write_attr("", "target", "pop");
  proj.write_attr("", "target_var", "ge");
  proj.write_attr("", "delay_steps", a.delay);
  proj.write<std::int32_t>("source_neuron", std::vector<std::int32_t>{0, 1}, {2});
  proj.write<std::int32_t>("target_neuron", a.target, {a.target.size()});
  proj.write<double>("weight_V", a.weight, {a.weight.size()});
  if (tweak) tweak(root);
  w.commit();
  return path;
}

}  // namespace

TEST_CASE("cuba.h5 reproduces Brian2's raster spike for spike, with 1 and 2 threads") {
  const models::ImportedNetwork n = load(test::brian2_peer("cuba.h5"));
  CHECK(n.network->neuron_count() == 4000);
  CHECK(n.dt_seconds == doctest::Approx(1e-4));
  const std::vector<sim::SpikeEvent> reference = models::read_reference_spikes(test::brian2_peer("cuba.h5"), "cuba");
  REQUIRE(reference.size() == 24065);
  const sim::PopulationId cuba = *n.network->find("cuba");
  for (int threads : {1, 2}) {
    CAPTURE(threads);
    const sim::TrialRecord r = test::simulate_one_trial(n, threads);
    REQUIRE(r.raster[cuba].size() == reference.size());
    std::size_t equal = 0;
    for (std::size_t k = 0; k < reference.size(); ++k) equal += r.raster[cuba][k] == reference[k];
    CHECK(equal == 24065);
    // Spikes per neuron as the engine counts them (split over the threads at 2) against Brian2's.
    std::vector<std::int32_t> per_neuron(4000, 0);
    for (const sim::SpikeEvent& e : reference) ++per_neuron[e.neuron];
    CHECK(r.neuron_spikes[cuba] == per_neuron);
    // The synapses of every spike of steps <= 9988 (out-degrees summed over the reference raster
    // with NumPy); Brian2's one further delivery, at its last step, can act on nothing.
    CHECK(r.counters.total().acs == 1918703);
  }
}

TEST_CASE("ff.h5 matches the NumPy reference and Brian2's raster digest, with 1 and 2 threads") {
  const models::ImportedNetwork n = load(test::brian2_peer("ff.h5"));
  test::TempDir dir("brian2-ff");
  const auto csv = dir / "numpy.csv";
  const std::string cmd = fmt::format("/usr/bin/python3 {}/tests/models/brian2/numpy_reference.py {} {}",
                                      SNNSIM_SOURCE_DIR, test::brian2_peer("ff.h5"), csv.string());
  REQUIRE(std::system(cmd.c_str()) == 0);
  std::ifstream in(csv);
  std::vector<std::string> numpy;
  for (std::string line; std::getline(in, line);) numpy.push_back(line);
  REQUIRE(numpy.size() == 159854);
  numpy.erase(numpy.begin());  // header

  std::ifstream digest_file(std::string(SNNSIM_SOURCE_DIR) + "/tests/data/brian2/ff_brian2_raster_digest.txt");
  std::string line, digest;
  while (std::getline(digest_file, line))
    if (line.rfind("fnv1a64 ", 0) == 0) digest = line.substr(8);
  REQUIRE(digest.size() == 16);

  std::vector<std::string> by_threads[2];
  for (int threads : {1, 2}) {
    CAPTURE(threads);
    const sim::TrialRecord r = test::simulate_one_trial(n, threads);
    std::vector<std::string> got = rows(*n.network, r);
    CHECK(got.size() == 159853);
    CHECK(got == numpy);
    CHECK(fmt::format("{:016x}", fnv1a64(got)) == digest);
    by_threads[threads - 1] = std::move(got);
  }
  CHECK(by_threads[0] == by_threads[1]);
}

TEST_CASE("the Brian2 delay D is snnsim's delay D + 1: a spike at s first acts on the update of s + D + 1") {
  test::TempDir dir("brian2-small");
  SmallArrays strong;
  strong.weight = {3.0, 3.0};  // ge P_ve = 3 V x 0.00494 = 14.8 mV: fires at the first update that sees it
  const models::ImportedNetwork n = load(small_file(dir, "ok.h5", {}, strong).string());
  const auto& proj = std::get<sim::Sparse>(n.network->projections()[0].projection->connectivity);
  CHECK(proj.delay == 11);
  // Input 0 fires at step 3 -> pop neuron 2; input 1 at step 5 -> pop neuron 1. Brian2 adds the
  // weight at step s + 10 after that step's update, so v first moves (and fires) at s + 11.
  for (int threads : {1, 2}) {
    const sim::TrialRecord r = test::simulate_one_trial(n, threads);
    // After 50 refractory steps the still-large ge (x P_ee each step) fires them once more, in
    // the second update after the refractory period (numpy_reference.py gives the same raster).
    CHECK(rows(*n.network, r) ==
          std::vector<std::string>{"input,0,3", "input,1,5", "pop,2,14", "pop,1,16", "pop,2,65", "pop,1,67"});
  }
}

TEST_CASE("bad Brian2-layout files: one line naming file, field, expected and found") {
  test::TempDir dir("brian2-bad");
  const std::string d = dir.path().string();
  CHECK(load_error(small_file(dir, "model.h5", [](h5::Group& g) { g.write_attr("populations/pop", "model", "hh"); })) ==
        d + "/model.h5: /populations/pop@model: expected one of the neuron models cuba_lif_exact, if, leaky_integrator, lif, loihi_cuba, got 'hh'");
  CHECK(load_error(small_file(dir, "param.h5", [](h5::Group& g) { g.write_attr("populations/pop", "tau_x_s", 0.1); })) ==
        d + "/param.h5: /populations/pop@tau_x_s: expected one of the parameters of cuba_lif_exact: tau_m_s, tau_e_s, "
            "tau_i_s, v_rest_V, v_reset_V, v_threshold_V, refractory_s, P_vv, P_ee, P_ii, P_ve, P_vi, got 'tau_x_s'");
  CHECK(load_error(small_file(dir, "neg.h5", [](h5::Group& g) { g.write_attr("populations/pop", "tau_m_s", -0.02); })) ==
        d + "/neg.h5: /populations/pop.tau_m: expected a value > 0 s, got -0.02");
  CHECK(load_error(small_file(dir, "dt.h5", [](h5::Group& g) { g.write_attr("populations/pop", "tau_e_s", 5e-5); })) ==
        d + "/dt.h5: /populations/pop.tau_e: expected a time constant of at least dt = 0.0001 s, got 5e-05 s");
  CHECK(load_error(small_file(dir, "ref.h5", [](h5::Group& g) { g.write_attr("populations/pop", "refractory_s", 5e-5); })) ==
        d + "/ref.h5: /populations/pop.refractory: expected 0 or a period of at least dt = 0.0001 s, got 5e-05 s");
  SmallArrays beyond;
  beyond.target = {2, 3};
  CHECK(load_error(small_file(dir, "idx.h5", {}, beyond)) ==
        d + "/idx.h5: /projections/in_to_pop/target_neuron[1]: expected a neuron index of pop in [0, 3), got 3");
  SmallArrays lengths;
  lengths.weight = {0.002};
  CHECK(load_error(small_file(dir, "len.h5", {}, lengths)) ==
        d + "/len.h5: /projections/in_to_pop/weight_V: expected 2 values (as many as source_neuron), got 1");
  SmallArrays v0;
  v0.v0 = {-0.06};
  CHECK(load_error(small_file(dir, "v0.h5", {}, v0)) ==
        d + "/v0.h5: /populations/pop.initial.v: expected 3 values (one per neuron), got 1");
  SmallArrays delay;
  delay.delay = 0;
  CHECK(load_error(small_file(dir, "delay.h5", {}, delay)) ==
        d + "/delay.h5: /projections/in_to_pop@delay_steps: expected a delay of 1 to 2147483646 steps, got 0");
  delay.delay = (std::int64_t{1} << 31) - 1;  // snnsim's delay would be 2^31 steps, past sim::kMaxDelaySteps
  CHECK(load_error(small_file(dir, "long.h5", {}, delay)) ==
        d + "/long.h5: /projections/in_to_pop@delay_steps: expected a delay of 1 to 2147483646 steps, got 2147483647");
  // Found by fuzz_brian2_struct: with no population, 2^62 steps of nothing ran for ever.
  {
    h5::AtomicH5Writer w(dir / "empty.h5");
    w.root().write_attr("", "format", "snnsim-peer-network-v1");
    w.root().write_attr("", "dt_s", 1e-4);
    w.root().write_attr("", "steps", std::int64_t{1} << 62);
    w.root().create_group("populations");
    w.commit();
  }
  CHECK(load_error(dir / "empty.h5") == d + "/empty.h5: /populations: expected at least one population group, got none");
}

TEST_CASE("spike output: CSV rows population,neuron,step and SONATA /spikes/<population>/{node_ids,timestamps}") {
  test::TempDir dir("brian2-out");
  SmallArrays strong;
  strong.weight = {3.0, 3.0};
  const models::ImportedNetwork n = load(small_file(dir, "net.h5", {}, strong).string());
  const sim::TrialRecord r = test::simulate_one_trial(n, 1);
  models::write_spikes(dir / "s.csv", *n.network, r, n.dt_seconds);
  CHECK(test::TempDir::read(dir / "s.csv") ==
        "population,neuron,step\ninput,0,3\ninput,1,5\npop,2,14\npop,1,16\npop,2,65\npop,1,67\n");
  models::write_spikes(dir / "s.h5", *n.network, r, n.dt_seconds);
  const h5::File f = h5::File::open_read(dir / "s.h5");
  CHECK(f.read<std::int64_t>("spikes/pop/node_ids").data == std::vector<std::int64_t>{2, 1, 2, 1});
  const auto ms = f.read<double>("spikes/pop/timestamps").data;
  REQUIRE(ms.size() == 4);
  CHECK(ms[0] == doctest::Approx(1.4));  // step 14 x 0.1 ms
  CHECK(ms[3] == doctest::Approx(6.7));
  CHECK(f.read_string_attr("spikes/pop/timestamps", "units") == "ms");
  CHECK(f.read_string_attr("spikes/pop", "sorting") == "by_time");
  CHECK(f.read<std::int64_t>("spikes/input/node_ids").data == std::vector<std::int64_t>{0, 1});
}
