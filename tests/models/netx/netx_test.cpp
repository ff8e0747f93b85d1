// SPDX-License-Identifier: MIT
// NetX export: a dense + LIF chain is written in lava-dl's NetX layout with the Loihi 2
// quantiser's integers (checked here against the quantiser, and dataset by dataset with Debian's
// python3-h5py); what NetX cannot express is refused by name with the supported list.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>

#include "hw_backends/loihi/chip.hpp"
#include "hw_backends/loihi/lowering.hpp"
#include "hw_backends/loihi/quantizer.hpp"
#include "models/lmuformer/lmuformer.hpp"
#include "models/netx/netx.hpp"
#include "sim/error.hpp"
#include "sim/hdf5/hdf5.hpp"
#include "tests/support/registries.hpp"
#include "tests/support/temp_dir.hpp"

using namespace snnsim;

namespace {

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

/// spikes (8) -> fc1 (dense + bias) -> l1 LIF (6) -> syn (sparse, delay 2) -> l2 LIF (4).
std::unique_ptr<sim::Network> dense_chain() {
  auto net = std::make_unique<sim::Network>("chain", 16, sim::Precision::F32);
  sim::Population in;
  in.name = "spikes";
  in.size = 8;
  in.kind = sim::PopulationKind::Input;
  const auto i = net->add_population(std::move(in));
  const auto l1 = net->add_population(lif("l1", 6, {{"tau", 2.0}, {"v_threshold", 1.0}}));
  const auto l2 = net->add_population(lif("l2", 4, {{"tau", 2.0}, {"v_threshold", 0.5}}));
  std::vector<double> w(6 * 8), b(6);
  for (std::size_t k = 0; k < w.size(); ++k) w[k] = 0.9 * std::sin(0.7 * static_cast<double>(k) + 0.3);
  for (std::size_t k = 0; k < b.size(); ++k) b[k] = 0.05 * static_cast<double>(k);
  net->connect(i, l1, {"fc1", 0, sim::Conv1d{6, 8, 1, 0, w, b}});
  sim::Sparse s;
  for (std::uint32_t src = 0; src < 6; ++src)
    for (std::uint32_t dst = 0; dst < 4; ++dst) {
      s.source.push_back(src);
      s.target.push_back(dst);
      s.weight.push_back(0.6 - 0.2 * static_cast<double>((src + dst) % 5));
    }
  s.delay = 2;
  net->connect(l1, l2, {"syn", 0, s});
  return net;
}

hw_backends::loihi::Program quantized(const sim::Network& net) {
  namespace loihi = hw_backends::loihi;
  loihi::ChipSpec chip = loihi::load_chip("loihi2", loihi::default_chip_dir());
  chip.weight_exp_min = chip.weight_exp_max = 0;
  return loihi::quantize(loihi::lower(net, "test"), chip, {}, "test");
}

}  // namespace

TEST_CASE("netx: a dense + LIF chain is written with the Loihi quantiser's integers") {
  const test::TempDir dir("netx");
  const auto net = dense_chain();
  const std::filesystem::path file = dir / "chain.net";
  models::NetxExporter().write(*net, file, {});
  const hw_backends::loihi::Program program = quantized(*net);
  REQUIRE(program.groups.size() == 2);
  const h5::File f = h5::File::open_read(file);
  CHECK(f.group("layer").children() == std::vector<std::string>{"0", "1", "2"});
  CHECK(f.read_strings("layer/0/type").data == std::vector<std::string>{"input"});
  CHECK(f.read<std::int64_t>("layer/0/shape").data == std::vector<std::int64_t>{8});
  for (std::size_t layer = 1; layer <= 2; ++layer) {
    const hw_backends::loihi::CompartmentGroup& g = program.groups[layer - 1];
    const hw_backends::loihi::SynapseGroup& s = program.synapses[g.synapses.at(0)];
    const std::string base = "layer/" + std::to_string(layer);
    CHECK(f.read_strings(base + "/type").data == std::vector<std::string>{"dense"});
    const auto w = f.read<float>(base + "/weight", {s.out, s.in});
    for (std::size_t o = 0; o < s.out; ++o)
      for (std::size_t i = 0; i < s.in; ++i)
        CHECK(w.data[o * s.in + i] == static_cast<float>(s.row(0, i)[o] * (std::int64_t{1} << s.weight_exp)));
    CHECK(f.read_string(base + "/neuron/type") == "CUBA");
    CHECK(f.read<std::int64_t>(base + "/neuron/iDecay").data[0] == g.cuba.du + 1);
    CHECK(f.read<std::int64_t>(base + "/neuron/vDecay").data[0] == g.cuba.dv);
    CHECK(f.read<std::int64_t>(base + "/neuron/vThMant").data[0] == g.cuba.vth);
  }
  // tau = 2: the current forgets each step (du = 4095, iDecay 4096), v halves (dv = 2048).
  CHECK(f.read<std::int64_t>("layer/1/neuron/iDecay").data[0] == 4096);
  CHECK(f.read<std::int64_t>("layer/1/neuron/vDecay").data[0] == 2048);
  CHECK(!f.has("layer/1/delay"));
  CHECK(f.read<float>("layer/2/delay").data == std::vector<float>(4, 2.0f));  // the sparse delay of 2 steps
  const std::string script = std::string(SNNSIM_SOURCE_DIR) + "/tests/models/netx/check_netx_layout.py";
  CHECK(std::system(("/usr/bin/python3 " + script + " '" + file.string() + "'").c_str()) == 0);
}

TEST_CASE("netx: layers NetX cannot express are refused by name with the supported list, leaving no file") {
  const test::TempDir dir("netx");
  const models::LmuformerModel model = models::load_lmuformer(
      std::string(SNNSIM_SOURCE_DIR) + "/models/lmuformer/lmuformer_sfmnist.h5", test::registries().neurons);
  const std::string file = (dir / "lmu.net").string();
  const std::string supported =
      "one of the layers NetX supports: an input of spikes fed from outside, then a chain of dense layers "
      "(kernel-1 or sparse projections) of CUBA neurons (neuron model lif)";
  CHECK_THROWS_WITH_AS(models::NetxExporter().write(*model.network, file, {}),
                       (file + ": population input: expected " + supported + ", got a graded input").c_str(), Error);
  auto net = dense_chain();
  sim::Population extra;
  extra.name = "readout";
  extra.size = 4;
  extra.kind = sim::PopulationKind::Analog;
  const auto r = net->add_population(std::move(extra));
  net->connect(*net->find("l2"), r, {"head", 0, sim::Identity{}});
  CHECK(models::NetxExporter().can_export(*net).reason == "population readout: expected " + supported + ", got an analog stream");
  CHECK_THROWS_WITH_AS(models::NetxExporter().write(*net, file, {}),
                       (file + ": population readout: expected " + supported + ", got an analog stream").c_str(), Error);
  CHECK(dir.entries().empty());
}
