// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include "models/datasets/idx.hpp"
#include "models/lmuformer/lmuformer.hpp"
#include "sim/error.hpp"
#include "sim/run.hpp"
#include "tests/support/lmuformer_file.hpp"
#include "tests/support/error_of.hpp"
#include "tests/support/registries.hpp"
#include "tests/support/temp_dir.hpp"

using namespace snnsim;

namespace {

std::string load_error(const std::filesystem::path& path) {
  return test::error_of([&] { (void)models::load_lmuformer(path, test::registries().neurons); });
}

/// Runs `n` Fashion-MNIST test images through `model` on `backend` with full rasters.
std::vector<sim::TrialRecord> run_images(const models::LmuformerModel& model, const std::string& backend, std::size_t n,
                                         int threads) {
  const datasets::ImageSet images = datasets::load_fashion_mnist(datasets::default_fashion_mnist_dir, "t10k", n);
  const auto compiled = test::registries().backends.get(backend, "test", "backend").compile(*model.network, {});
  struct Trials : sim::TrialSource {
    const datasets::ImageSet* images;
    const models::LmuformerModel* model;
    std::size_t count() const override { return images->count; }
    void fill(std::size_t i, sim::Stimulus& s, std::vector<float>& buf) const override {
      buf = datasets::image_to_sequence(images->pixels.data() + i * 784, 28, 28,
                                        static_cast<std::size_t>(model->config.steps), model->config.features);
      s.values[model->input] = buf;
    }
  } trials;
  trials.images = &images;
  trials.model = &model;
  std::vector<sim::TrialRecord> records(n);
  sim::RunOptions options;
  options.threads = threads;
  options.record.raster = true;
  sim::run_trials(*model.network, *compiled, trials, options,
                  [&](std::size_t i, const sim::TrialRecord& r) { records[i] = r; });
  return records;
}

}  // namespace

TEST_CASE("the shipped LMUFormer is read with its dimensions, layers and neuron counts from the file") {
  const models::LmuformerModel m = models::load_lmuformer(test::golden_model(), test::registries().neurons);
  CHECK(m.config.steps == 28);
  CHECK(m.config.features == 28);
  CHECK(m.config.dim == 128);
  CHECK(m.config.memory == 256);
  CHECK(m.config.hidden == 512);
  CHECK(m.config.depth == 1);
  CHECK(m.config.classes == 10);
  CHECK(m.network->neuron_count() == 1793);  // golden README section 7
  CHECK(m.config.spiking_layers == test::lmuformer_spiking_layers({.depth = 1}));
  CHECK(sim::make_schedule(*m.network).max_lag == 5);  // five stacked K = 3 convolutions
  const sim::Population& prev = m.network->population(*m.network->find("block.0.attn.prev_lif"));
  CHECK(prev.params.at("v_threshold") == 0.5);
  CHECK(prev.size == 128);
}

TEST_CASE("a model of another width, depth and sequence layout runs, and both backends agree spike for spike") {
  test::TempDir dir("lmuformer");
  const test::LmuformerShape shape{.steps = 56, .features = 14, .dim = 24, .memory = 40, .hidden = 48, .depth = 2,
                                   .classes = 10, .seed = 11};
  const auto path = dir.path() / "other.h5";
  test::write_lmuformer_file(path, shape);
  const models::LmuformerModel m = models::load_lmuformer(path, test::registries().neurons);
  CHECK(m.config.steps == 56);
  CHECK(m.config.features == 14);
  CHECK(m.config.dim == 24);
  CHECK(m.config.depth == 2);
  CHECK(m.config.spiking_layers == test::lmuformer_spiking_layers(shape));

  const auto event = run_images(m, "cpu_event", 12, 2);
  const auto dense = run_images(m, "dense_reference", 12, 1);
  std::size_t active_layers = 0;
  for (sim::PopulationId p = 0; p < m.network->population_count(); ++p) {
    std::int64_t total = 0;
    for (std::size_t i = 0; i < event.size(); ++i) {
      CHECK(event[i].raster[p] == dense[i].raster[p]);
      total += event[i].total_spikes(p);
    }
    if (m.network->population(p).kind == sim::PopulationKind::Spiking && total > 0) ++active_layers;
  }
  for (std::size_t i = 0; i < event.size(); ++i) CHECK(event[i].outputs == dense[i].outputs);
  // The comparison means something only if the random network is active throughout.
  CHECK(active_layers >= m.config.spiking_layers.size() - 1);
}

TEST_CASE("bad model files give one line naming the file, the field, what was expected and what was found") {
  test::TempDir dir("badmodel");
  const test::LmuformerShape shape{.steps = 28, .features = 28, .dim = 8, .memory = 16, .hidden = 16};
  auto damaged = [&](const char* name, const test::Damage& d) {
    const auto p = dir.path() / name;
    test::write_lmuformer_file(p, shape, d);
    return p;
  };
  const auto missing = damaged("missing.h5", {.drop = "head.bias"});
  CHECK(load_error(missing) == missing.string() + ": /weights/head.bias: expected a dataset of shape [10], got nothing");
  const auto wrong = damaged("wrong.h5", {.reshape = "block.0.mlp.fc2_conv.weight"});
  CHECK(load_error(wrong) == wrong.string() +
                               ": /weights/block.0.mlp.fc2_conv.weight: expected shape [8, 16, 1], got shape [9, 16, 1]");
  const auto nan = damaged("nan.h5", {.nan = "patch_embed.proj_conv2.weight"});
  CHECK(load_error(nan) == nan.string() + ": /weights/patch_embed.proj_conv2.weight: expected finite values, got nan at index 3");
  const auto json = damaged("json.h5", {.config_json = "{\"data\": {\"steps\": 28,"});
  CHECK(load_error(json) == json.string() + ": config_json: expected valid JSON, got a parse error at byte 23");
  const auto steps = damaged("steps.h5", {.config_json = R"({"data": {"steps": -3, "features": 28}})"});
  CHECK(load_error(steps) == steps.string() + ": config_json: data.steps: expected a positive integer, got -3");
  const auto neurons = damaged("neurons.h5", {.config_json = R"({"data": {"steps": 28, "features": 28}})"});
  CHECK(load_error(neurons) == neurons.string() +
                                 ": config_json: neurons.patch_embed.proj_lif: expected LIF parameters (tau, v_threshold, "
                                 "v_reset, decay_input), got nothing");
  CHECK(load_error(dir.path() / "absent.h5") == (dir.path() / "absent.h5").string() +
                                                  ": expected a readable HDF5 file, got no such file");
}
