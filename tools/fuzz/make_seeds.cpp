// SPDX-License-Identifier: MIT
// fuzz_make_seeds OUTDIR: writes small, valid model and network files for the seed corpora
// (make_corpus.sh): LMUFormers in the golden layout with tiny shapes (the golden file itself is
// 5 MB, too slow to mutate), and their NIR exports plus a small recurrent network's.
#include <filesystem>
#include <iostream>

#include "models/lmuformer/lmuformer.hpp"
#include "models/nir/nir.hpp"
#include "neurons/registry.hpp"
#include "sim/error.hpp"
#include "tests/support/lmuformer_file.hpp"

namespace {

using namespace snnsim;

sim::Population lif(const std::string& name, std::size_t size, double tau, double threshold) {
  sim::Population p;
  p.name = name;
  p.size = size;
  p.kind = sim::PopulationKind::Spiking;
  p.neuron_model = "lif";
  p.params = {{"tau", tau}, {"v_threshold", threshold}};
  return p;
}

/// input -> a (conv, look-ahead) <-> b (sparse, recurrent with delays) -> readout.
std::unique_ptr<sim::Network> recurrent_snn(const sim::NeuronRegistry& neurons) {
  auto net = std::make_unique<sim::Network>("recurrent", 12, sim::Precision::F32);
  sim::Population in;
  in.name = "input";
  in.size = 3;
  in.kind = sim::PopulationKind::Input;
  in.graded = true;
  const auto i = net->add_population(std::move(in));
  sim::Population pa = lif("a", 4, 2.0, 0.5), pb = lif("b", 3, 3.0, 0.75);
  for (sim::Population* p : {&pa, &pb})
    p->dynamics = neurons.get("lif", "seeds", p->name).instantiate(p->params, {}, p->size, "seeds", p->name);
  const auto a = net->add_population(std::move(pa));
  const auto b = net->add_population(std::move(pb));
  std::vector<double> w(4 * 3 * 3);
  for (std::size_t k = 0; k < w.size(); ++k) w[k] = 0.1 * static_cast<double>(k % 7) - 0.2;
  net->connect(i, a, {"conv", 0, sim::Conv1d{4, 3, 3, -1, w, {0.1, 0.2, 0.3, 0.4}}});
  sim::Sparse ab{{0, 1, 2, 3}, {0, 1, 2, 0}, {0.6, 0.7, 0.8, 0.9}, 2};
  net->connect(a, b, {"ab", 0, ab});
  sim::Sparse ba{{0, 1, 2}, {3, 2, 1}, {0.5, -0.4, 0.3}, 2};
  net->connect(b, a, {"ba", 0, ba});
  net->add_output(b, "out");
  return net;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fuzz_make_seeds OUTDIR\n";
    return 2;
  }
  const std::filesystem::path out = argv[1];
  try {
    std::filesystem::create_directories(out);
    sim::NeuronRegistry neurons{"neuron model"};
    neurons::register_builtin_neurons(neurons);
    test::LmuformerShape one{.steps = 4, .features = 2, .dim = 4, .memory = 3, .hidden = 5, .depth = 1, .classes = 3};
    test::LmuformerShape two{.steps = 6, .features = 3, .dim = 3, .memory = 2, .hidden = 4, .depth = 2, .classes = 2};
    test::write_lmuformer_file(out / "lmuformer_tiny.h5", one);
    test::write_lmuformer_file(out / "lmuformer_tiny2.h5", two);
    const models::NirExporter nir;
    nir.write(*models::load_lmuformer(out / "lmuformer_tiny.h5", neurons).network, out / "lmuformer_tiny.nir", {});
    nir.write(*recurrent_snn(neurons), out / "recurrent.nir", {});
  } catch (const Error& e) {
    std::cerr << "fuzz_make_seeds: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
