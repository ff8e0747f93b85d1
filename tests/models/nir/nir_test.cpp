// SPDX-License-Identifier: MIT
// NIR export and import: the shipped LMUFormer and a generic layered SNN round-trip to networks
// whose simulation is spike-identical (and analog-identical) to the original; the file's layout
// is checked dataset by dataset with Debian's python3-h5py; bad input is refused verbatim.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "hw_backends/registry.hpp"
#include "models/lmuformer/lmuformer.hpp"
#include "models/nir/nir.hpp"
#include "sim/error.hpp"
#include "sim/hdf5/hdf5.hpp"
#include "sim/run.hpp"
#include "tests/support/registries.hpp"
#include "tests/support/temp_dir.hpp"

using namespace snnsim;

namespace {

/// Seeded graded inputs in [0, 1) with about a third exact zeros, for any input population.
struct Inputs : sim::TrialSource {
  sim::PopulationId input = 0;
  std::size_t size = 0;
  sim::TimeStep steps = 0;
  std::size_t trials = 0;
  std::size_t count() const override { return trials; }
  void fill(std::size_t trial, sim::Stimulus& s, std::vector<float>& buf) const override {
    buf.resize(static_cast<std::size_t>(steps) * size);
    std::uint64_t x = 0x9E3779B97F4A7C15ull * (trial + 1);
    for (float& v : buf) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      v = (x % 3 == 0) ? 0.0f : static_cast<float>(x % 1000) / 1000.0f;
    }
    s.values[input] = buf;
  }
};

std::vector<sim::TrialRecord> simulate(const sim::Network& net, std::size_t trials) {
  const sim::Backend& backend = test::registries().backends.get("cpu_event", "test", "backend");
  const auto compiled = backend.compile(net, {});
  Inputs in;
  in.input = *net.find("input");
  in.size = net.population(in.input).size;
  in.steps = net.steps();
  in.trials = trials;
  sim::RunOptions options;
  options.threads = 1;
  options.record.raster = true;
  std::vector<sim::TrialRecord> out(trials);
  sim::run_trials(net, *compiled, in, options, [&](std::size_t i, const sim::TrialRecord& r) { out[i] = r; });
  return out;
}

/// Same populations by name, same rasters, same outputs, bit for bit; returns the spike total.
std::int64_t require_identical(const sim::Network& a, const sim::Network& b, std::size_t trials) {
  REQUIRE(a.population_count() == b.population_count());
  REQUIRE(a.projection_count() == b.projection_count());
  const auto ra = simulate(a, trials), rb = simulate(b, trials);
  std::int64_t spikes = 0;
  for (std::size_t t = 0; t < trials; ++t) {
    for (sim::PopulationId p = 0; p < a.population_count(); ++p) {
      const sim::PopulationId q = *b.find(a.population(p).name);
      CHECK(ra[t].raster[p] == rb[t].raster[q]);
      spikes += static_cast<std::int64_t>(ra[t].raster[p].size());
    }
    CHECK(ra[t].outputs == rb[t].outputs);
  }
  return spikes;
}

models::ImportedNetwork round_trip(const sim::Network& net, const std::filesystem::path& file) {
  models::NirExporter().write(net, file, {});
  models::NirImporter importer;
  REQUIRE(importer.accepts(file));
  return importer.load(file, test::registries().neurons);
}

sim::Population lif(const std::string& name, std::size_t size, sim::ParamValues params) {
  sim::Population p;
  p.name = name;
  p.size = size;
  p.kind = sim::PopulationKind::Spiking;
  p.neuron_model = "lif";
  p.params = std::move(params);
  p.dynamics = test::registries().neurons.get("lif", "test", "model").instantiate(p.params, {}, size, "test", name);
  return p;
}

std::vector<double> ramp(std::size_t n, double scale, double offset) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = offset + scale * static_cast<double>((i * 7919) % 23) / 23.0;
  return v;
}

/// Input -> centred Conv1d (look-ahead) -> LIF a -> sparse (delay 2) -> LIF b (input affine,
/// decay_input 0) -> Linear + bias -> analog "readout" (+ identity residual of a sum) -> output.
std::unique_ptr<sim::Network> layered_snn() {
  auto net = std::make_unique<sim::Network>("layered", 20, sim::Precision::F32);
  sim::Population in;
  in.name = "input";
  in.size = 6;
  in.kind = sim::PopulationKind::Input;
  in.graded = true;
  const auto i = net->add_population(std::move(in));
  const auto a = net->add_population(lif("a", 8, {{"tau", 2.0}, {"v_threshold", 0.5}}));
  sim::Population bp = lif("b", 5, {{"tau", 3.0}, {"v_threshold", 0.75}, {"v_reset", -0.25}, {"decay_input", 0.0}});
  bp.input_affine = sim::Affine{ramp(5, 1.0, 0.5), ramp(5, 0.1, -0.05)};
  const auto b = net->add_population(std::move(bp));
  sim::Population sum;
  sum.name = "sum";
  sum.size = 5;
  sum.kind = sim::PopulationKind::Analog;
  const auto s = net->add_population(std::move(sum));

  sim::Conv1d conv{8, 6, 3, -1, ramp(8 * 6 * 3, 1.2, -0.3), ramp(8, 0.2, 0.0)};
  net->connect(i, a, {"conv", 0, conv});
  sim::Sparse sp;
  for (std::uint32_t src = 0; src < 8; ++src)
    for (std::uint32_t dst = 0; dst < 5; ++dst)
      if ((src + 2 * dst) % 3 != 0) {
        sp.source.push_back(src);
        sp.target.push_back(dst);
        sp.weight.push_back(0.05 + 0.15 * static_cast<double>(src % 4) + 0.1 * static_cast<double>(dst));
      }
  sp.delay = 2;
  net->connect(a, b, {"syn", 0, sp});
  net->connect(b, s, {"readout", 0, sim::Conv1d{5, 5, 1, 0, ramp(25, 2.0, -0.5), ramp(5, 0.3, 0.0)}});
  net->connect(b, s, {"residual", 0, sim::Identity{}});
  net->add_output(s, "logits");
  return net;
}

int python(const std::string& script, const std::string& arg) {
  const std::string cmd = "/usr/bin/python3 " + script + " '" + arg + "'";
  return std::system(cmd.c_str());
}

}  // namespace

TEST_CASE("nir: a generic layered SNN round-trips spike-identically") {
  const test::TempDir dir("nir");
  const auto net = layered_snn();
  const models::ImportedNetwork back = round_trip(*net, dir / "layered.nir");
  CHECK(back.dt_seconds == models::nir_default_dt);
  CHECK(back.network->steps() == 20);
  CHECK(back.network->name() == "layered");
  // Same projections in the same connection order, with the same connectivity.
  const auto pa = net->projections(), pb = back.network->projections();
  REQUIRE(pa.size() == pb.size());
  for (std::size_t j = 0; j < pa.size(); ++j) {
    CHECK(pa[j].projection->name == pb[j].projection->name);
    CHECK(pa[j].projection->connectivity.index() == pb[j].projection->connectivity.index());
  }
  const auto& sp = std::get<sim::Sparse>(pb[1].projection->connectivity);
  CHECK(sp.delay == 2);
  CHECK(sp.source.size() == std::get<sim::Sparse>(pa[1].projection->connectivity).source.size());
  CHECK(back.network->population(*back.network->find("b")).params.at("decay_input") == 0.0);
  CHECK(back.network->population(*back.network->find("b")).params.at("v_threshold") == 0.75);
  const std::int64_t spikes = require_identical(*net, *back.network, 8);
  CHECK(spikes > 100);  // the comparison is about real activity
}

TEST_CASE("nir: the shipped LMUFormer round-trips spike-identically") {
  const test::TempDir dir("nir");
  const models::LmuformerModel model = models::load_lmuformer(
      std::string(SNNSIM_SOURCE_DIR) + "/models/lmuformer/lmuformer_sfmnist.h5", test::registries().neurons);
  const models::ImportedNetwork back = round_trip(*model.network, dir / "lmuformer.nir");
  const std::int64_t spikes = require_identical(*model.network, *back.network, 4);
  CHECK(spikes > 1000);
}

TEST_CASE("nir: the layout as NIR's reference reader expects it, checked with h5py") {
  const test::TempDir dir("nir");
  const auto net = layered_snn();
  models::NirExporter().write(*net, dir / "layered.nir", {{{"dt", "0.0005"}}});
  const std::string script = std::string(SNNSIM_SOURCE_DIR) + "/tests/models/nir/check_nir_layout.py";
  CHECK(python(script, (dir / "layered.nir").string()) == 0);
}

TEST_CASE("nir: what NIR cannot express is refused by name, leaving no file") {
  const test::TempDir dir("nir");
  auto net = std::make_unique<sim::Network>("fixed", 5, sim::Precision::F32);
  sim::Population src;
  src.name = "poisson";
  src.size = 2;
  src.kind = sim::PopulationKind::Input;
  src.fixed_spikes = sim::SpikeTrains{{0, 1}, {1, 3}};
  net->add_population(std::move(src));
  const models::NirExporter exporter;
  CHECK(exporter.can_export(*net).reason ==
        "population poisson: expected an input fed from outside (NIR has no node for stored spike trains), got fixed "
        "spike trains");
  const std::string file = (dir / "out.nir").string();
  CHECK_THROWS_WITH_AS(exporter.write(*net, file, {}),
                       (file + ": population poisson: expected an input fed from outside (NIR has no node for stored "
                               "spike trains), got fixed spike trains").c_str(),
                       Error);
  CHECK(dir.entries().empty());
  const std::string missing = (dir / "no_folder" / "out.nir").string();
  CHECK_THROWS_WITH_AS(exporter.write(*layered_snn(), missing, {}),
                       (missing + ": expected an existing folder, got no folder " + (dir / "no_folder").string()).c_str(),
                       Error);
}

TEST_CASE("nir: unknown node types and inconsistent edges are refused by name") {
  const test::TempDir dir("nir");
  const std::filesystem::path good = dir / "good.nir";
  models::NirExporter().write(*layered_snn(), good, {});
  const std::string script = std::string(SNNSIM_SOURCE_DIR) + "/tests/models/nir/damage_nir.py";
  const models::NirImporter importer;
  auto damaged = [&](const std::string& how) {
    const std::filesystem::path out = dir / (how + ".nir");
    std::filesystem::copy_file(good, out);
    REQUIRE(std::system(("/usr/bin/python3 " + script + " " + how + " '" + out.string() + "'").c_str()) == 0);
    return out.string();
  };
  const std::string unknown = damaged("unknown_type");
  CHECK_THROWS_WITH_AS(importer.load(unknown, test::registries().neurons),
                       (unknown + ": node/nodes/a/type: expected one of the node types snnsim reads: Affine, Delay, "
                                  "Input, LIF, Linear, Output, got 'CubaLIF'").c_str(),
                       Error);
  const std::string dangling = damaged("dangling_edge");
  CHECK_THROWS_WITH_AS(importer.load(dangling, test::registries().neurons),
                       (dangling + ": node/edges[0]: expected names of nodes in node/nodes, got 'ghost' (no such node)").c_str(),
                       Error);
  const std::string huge = damaged("huge_lag");
  CHECK_THROWS_WITH_AS(importer.load(huge, test::registries().neurons),
                       (huge + ": node/nodes/a/metadata/lag: expected an integer from 0 to 2147483648, got 1e+300").c_str(),
                       Error);
  const std::string far = damaged("far_lag");
  CHECK_THROWS_WITH_AS(importer.load(far, test::registries().neurons),
                       (far + ": node/nodes/conv.tap2: expected a tap reading at most 2147483647 steps back or ahead "
                              "(lags and delays), got step t+2147483648 of input").c_str(),
                       Error);
  const std::string nan = damaged("nan_weight");
  CHECK_THROWS_WITH_AS(importer.load(nan, test::registries().neurons),
                       (nan + ": node/nodes/readout/weight: expected finite numbers, got nan at element 7").c_str(), Error);
  const std::string backwards = damaged("backwards_edge");
  CHECK_THROWS_WITH_AS(importer.load(backwards, test::registries().neurons),
                       (backwards + ": node/edges[0]: expected population -> weight, delay, population or Output; delay -> "
                                    "weight or population; weight -> population, got 'logits' (Output) -> 'a' (LIF)").c_str(),
                       Error);
}

namespace {

struct Cli {
  int status = 0;
  std::string out;  ///< stdout and stderr
};

Cli snnsim_cli(const std::string& args) {
  Cli r;
  FILE* p = ::popen((std::string(SNNSIM_BINARY) + " " + args + " 2>&1").c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) r.out.append(buf, n);
  const int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

}  // namespace

TEST_CASE("nir: snnsim export writes the shipped model and refuses bad input in one line, exit 2") {
  const test::TempDir dir("nir-cli");
  const std::string out = (dir / "lmu.nir").string();
  const Cli ok = snnsim_cli("export --format nir -o '" + out + "'");
  CHECK(ok.status == 0);
  CHECK(ok.out == "wrote " + out + " (nir from " + SNNSIM_SOURCE_DIR +
                      "/models/lmuformer/lmuformer_sfmnist.h5: 18 populations, 21 projections)\n");
  const models::ImportedNetwork back = models::NirImporter().load(out, test::registries().neurons);
  CHECK(back.network->population_count() == 18);

  const std::string missing = (dir / "nowhere" / "x.nir").string();
  const Cli no_folder = snnsim_cli("export --format nir -o '" + missing + "'");
  CHECK(no_folder.status == 2);
  CHECK(no_folder.out == "snnsim: " + missing + ": expected an existing folder, got no folder " +
                             (dir / "nowhere").string() + "\n");
  const Cli bad_dt = snnsim_cli("export --format nir --set dt=-1 -o '" + (dir / "y.nir").string() + "'");
  CHECK(bad_dt.status == 2);
  CHECK(bad_dt.out == "snnsim: " + (dir / "y.nir").string() + ": option dt: expected a positive number of seconds, got '-1'\n");
  const Cli bad_format = snnsim_cli("export --format onnx -o '" + (dir / "z.onnx").string() + "'");
  CHECK(bad_format.status == 2);
  CHECK(bad_format.out.rfind("snnsim: snnsim export: --format: expected one of the export formats ", 0) == 0);
  CHECK(dir.entries() == std::vector<std::string>{"lmu.nir"});
}
