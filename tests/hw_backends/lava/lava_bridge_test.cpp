// SPDX-License-Identifier: MIT
// The Lava bridge: CPython embedded through its C API runs a Dense + LIF chain (its numpy engine
// everywhere, Lava's fixed_pt simulation where Lava imports) and must give the Loihi backend's
// spikes exactly; exceptions raised in Python surface as snnsim errors; without Lava, compile()
// says in one line how to install it.
#include <doctest/doctest.h>

#include <cmath>

#include "hw_backends/lava/lava_backend.hpp"
#include "hw_backends/lava/python_runtime.hpp"
#include "sim/error.hpp"
#include "sim/run.hpp"
#include "tests/support/registries.hpp"

using namespace snnsim;

namespace {

sim::Population lif(const std::string& name, std::size_t size, double v_threshold) {
  sim::Population p;
  p.name = name;
  p.size = size;
  p.kind = sim::PopulationKind::Spiking;
  p.neuron_model = "lif";
  p.params = {{"tau", 2.0}, {"v_threshold", v_threshold}};
  p.dynamics = test::registries().neurons.get("lif", "test", "model").instantiate(p.params, {}, size, "test", name);
  return p;
}

std::vector<double> weights(std::size_t n, double phase) {
  std::vector<double> w(n);
  for (std::size_t k = 0; k < n; ++k) w[k] = 0.25 + 0.6 * std::sin(0.9 * static_cast<double>(k) + phase);
  return w;
}

/// spikes (10) -> fc1 -> l1 LIF (7) -> fc2 -> l2 LIF (5), no biases.
std::unique_ptr<sim::Network> chain() {
  auto net = std::make_unique<sim::Network>("chain", 20, sim::Precision::F32);
  sim::Population in;
  in.name = "spikes";
  in.size = 10;
  in.kind = sim::PopulationKind::Input;
  const auto i = net->add_population(std::move(in));
  const auto l1 = net->add_population(lif("l1", 7, 0.8));
  const auto l2 = net->add_population(lif("l2", 5, 0.6));
  net->connect(i, l1, {"fc1", 0, sim::Conv1d{7, 10, 1, 0, weights(70, 0.1), {}}});
  net->connect(l1, l2, {"fc2", 0, sim::Conv1d{5, 7, 1, 0, weights(35, 1.3), {}}});
  return net;
}

struct RandomSpikes : sim::TrialSource {
  std::vector<sim::SpikeTrains> trains;
  sim::PopulationId input = 0;
  RandomSpikes(std::size_t trials, std::size_t size, sim::TimeStep steps) {
    std::uint64_t x = 0x2545F4914F6CDD1Dull;
    for (std::size_t t = 0; t < trials; ++t) {
      sim::SpikeTrains s;
      for (sim::TimeStep k = 0; k < steps; ++k)
        for (std::uint32_t n = 0; n < size; ++n) {
          x ^= x << 13, x ^= x >> 7, x ^= x << 17;
          if (x % 100 < 35) s.step.push_back(k), s.neuron.push_back(n);
        }
      trains.push_back(std::move(s));
    }
  }
  std::size_t count() const override { return trains.size(); }
  void fill(std::size_t trial, sim::Stimulus& s, std::vector<float>&) const override { s.spikes[input] = &trains[trial]; }
};

std::vector<sim::TrialRecord> simulate(const sim::Network& net, const sim::Backend& backend, const sim::BackendOptions& o) {
  const auto compiled = backend.compile(net, o);
  RandomSpikes spikes(5, 10, net.steps());
  sim::RunOptions options;
  options.threads = 2;  // two OpenMP workers take turns at the GIL
  options.record.raster = true;
  std::vector<sim::TrialRecord> out(spikes.count());
  sim::run_trials(net, *compiled, spikes, options, [&](std::size_t i, const sim::TrialRecord& r) { out[i] = r; });
  return out;
}

/// Spike-identical to the Loihi backend (bit-exact integer CUBA); returns the spikes compared.
std::size_t require_same_as_loihi(const sim::Network& net, const std::string& engine) {
  const auto expected = simulate(net, test::registries().backends.get("loihi", "test", "backend"), {});
  const auto got = simulate(net, hw_backends::lava::LavaBackend{}, {{{"engine", engine}}});
  std::size_t spikes = 0;
  for (std::size_t t = 0; t < expected.size(); ++t)
    for (sim::PopulationId p = 0; p < net.population_count(); ++p) {
      if (net.population(p).kind != sim::PopulationKind::Spiking) continue;  // the loihi backend records no input raster
      CHECK(expected[t].raster[p] == got[t].raster[p]);
      spikes += expected[t].raster[p].size();
    }
  return spikes;
}

std::string lava_status() {
  return hw_backends::lava::PythonRuntime::instance().call(LAVA_PYTHON_DIR, "snnsim_lava", "lava_status", "");
}

}  // namespace

TEST_CASE("lava bridge: Python's numpy engine reproduces the Loihi backend's spikes through the C API") {
  const auto net = chain();
  // Supported exactly when Lava imports (the network itself is a chain Lava can build).
  CHECK(hw_backends::lava::LavaBackend{}.supports(*net).ok == lava_status().empty());
  CHECK(require_same_as_loihi(*net, "numpy") > 200);
}

TEST_CASE("lava bridge: exceptions raised in Python surface as snnsim errors") {
  const auto& py = hw_backends::lava::PythonRuntime::instance();
  const std::string bad = R"({"steps": 1, "ticks": 2, "input_size": 2, "engine": "numpy", "spikes": [],
      "layers": [{"size": 1, "weights": [[1]], "weight_exp": 0, "du": 0, "dv": 0, "vth": 1}]})";
  CHECK_THROWS_WITH_AS(py.call(LAVA_PYTHON_DIR, "snnsim_lava", "run", bad),
                       "python snnsim_lava.run: expected a result, got ValueError: weights of shape (1, 1) for a layer "
                       "of 1 reading 2",
                       Error);
  CHECK_THROWS_WITH_AS(py.call(LAVA_PYTHON_DIR, "snnsim_lava", "run", "not json"),
                       "python snnsim_lava.run: expected a result, got JSONDecodeError: Expecting value: line 1 column "
                       "1 (char 0)",
                       Error);
  CHECK_THROWS_WITH_AS(py.call(LAVA_PYTHON_DIR, "no_such_module", "run", ""),
                       (std::string("python no_such_module.run: import no_such_module: expected an importable module in ") +
                        LAVA_PYTHON_DIR + ", got ModuleNotFoundError: No module named 'no_such_module'").c_str(),
                       Error);
  CHECK_THROWS_WITH_AS(hw_backends::lava::LavaBackend{}.compile(*chain(), {{{"engine", "torch"}}}),
                       "backend lava: option engine: expected lava or numpy, got 'torch'", Error);
}

TEST_CASE("lava bridge: Lava's fixed_pt simulation where Lava imports, else one line saying how to install it") {
  const auto net = chain();
  const std::string status = lava_status();
  if (status.empty()) {
    CHECK(require_same_as_loihi(*net, "lava") > 200);
    return;
  }
  try {
    hw_backends::lava::LavaBackend{}.compile(*net, {});
    FAIL("compile() without Lava must throw");
  } catch (const Error& e) {
    const std::string what = e.what();
    CHECK(what.rfind("backend lava: Python 3.", 0) == 0);
    CHECK(what.find(": expected Lava importable (install it with `pip install lava-nc`, or put lava-nc/lava's src on "
                    "PYTHONPATH), got ModuleNotFoundError: No module named 'lava'") != std::string::npos);
    CHECK(what.find('\n') == std::string::npos);
  }
}
