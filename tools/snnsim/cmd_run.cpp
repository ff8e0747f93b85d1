// SPDX-License-Identifier: MIT
#include <algorithm>
#include <chrono>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "models/datasets/idx.hpp"
#include "models/lmuformer/lmuformer.hpp"
#include "sim/atomic_file.hpp"
#include "sim/error.hpp"
#include "sim/run.hpp"
#include "tools/snnsim/commands.hpp"
#include "tools/snnsim/fashion_trials.hpp"
#include "tools/snnsim/progress.hpp"

namespace snnsim::tools {

namespace {

struct RunArgs {
  std::string model = SNNSIM_DEFAULT_MODEL;
  std::string data = std::string(datasets::default_fashion_mnist_dir);
  std::string backend = "cpu_event";
  std::size_t first = 0;
  int threads = 0;
  std::string json;
  bool per_sample = false;
};

struct SampleResult {
  int label = 0, pred = 0;
  std::vector<float> logits;
  std::vector<std::int64_t> spikes;  ///< per population
};

std::string si(double v) {
  if (v >= 1e9) return fmt::format("{:.2f} G", v / 1e9);
  if (v >= 1e6) return fmt::format("{:.2f} M", v / 1e6);
  if (v >= 1e3) return fmt::format("{:.1f} k", v / 1e3);
  return fmt::format("{:.0f}", v);
}

int run(const RunArgs& args, const Registries& registries) {
  const sim::Backend& backend = registries.backends.get(args.backend, "snnsim run", "--backend");
  const models::LmuformerModel model = models::load_lmuformer(args.model, registries.neurons);
  const sim::Network& net = *model.network;
  const models::LmuformerConfig& c = model.config;
  const datasets::ImageSet images = datasets::load_fashion_mnist(
      args.data, "t10k", args.first ? args.first : std::numeric_limits<std::size_t>::max());
  if (images.rows * images.cols != static_cast<std::size_t>(c.steps) * c.features)
    throw Error(args.model, "config_json: data", fmt::format("steps x features = {} pixels", images.rows * images.cols),
                fmt::format("{} x {}", c.steps, c.features));

  const auto compiled = backend.compile(net, {});
  const int threads = sim::resolve_threads(args.threads);
  FashionTrials trials(images, model.input, static_cast<std::size_t>(c.steps), c.features);
  std::vector<SampleResult> samples(images.count);
  sim::RunOptions options;
  options.threads = threads;
  ProgressBar bar("images");
  options.progress = [&bar](std::size_t done, std::size_t total) { bar.update(done, total); };

  const auto start = std::chrono::steady_clock::now();
  const sim::RunTotals totals = sim::run_trials(net, *compiled, trials, options, [&](std::size_t i, const sim::TrialRecord& r) {
    SampleResult& s = samples[i];
    s.label = images.labels[i];
    s.logits = models::mean_logits(r, c.classes);
    s.pred = static_cast<int>(std::max_element(s.logits.begin(), s.logits.end()) - s.logits.begin());
    if (args.per_sample) {
      s.spikes.resize(net.population_count());
      for (sim::PopulationId p = 0; p < net.population_count(); ++p) s.spikes[p] = r.total_spikes(p);
    }
  });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::size_t correct = 0;
  for (const SampleResult& s : samples) correct += s.pred == s.label;
  const double n = static_cast<double>(images.count);
  const double accuracy = n > 0 ? static_cast<double>(correct) / n : 0.0;

  fmt::print("model    {} (T {}, F {}, D {}, M {}, MLP {}, depth {}, {} classes)\n", args.model, c.steps, c.features,
             c.dim, c.memory, c.hidden, c.depth, c.classes);
  fmt::print("data     {} Fashion-MNIST test images from {}\n", images.count, args.data);
  fmt::print("backend  {}, {} thread{}\n", backend.name(), threads, threads == 1 ? "" : "s");
  fmt::print("accuracy {:.2f} % ({}/{})\n\n", 100.0 * accuracy, correct, images.count);
  fmt::print("{:<28} {:>8} {:>13} {:>12}\n", "spiking layer", "neurons", "spikes/image", "firing rate");
  nlohmann::json layers_json = nlohmann::json::array();
  std::size_t all_neurons = 0;
  double all_spikes = 0;
  for (sim::PopulationId p = 0; p < net.population_count(); ++p) {
    const sim::Population& pop = net.population(p);
    if (pop.kind != sim::PopulationKind::Spiking) continue;
    std::int64_t spikes = 0;
    for (sim::TimeStep t = 0; t < c.steps; ++t) spikes += totals.spikes(p, t);
    const double per_image = n > 0 ? static_cast<double>(spikes) / n : 0.0;
    const double rate = per_image / static_cast<double>(pop.size * static_cast<std::size_t>(c.steps));
    fmt::print("{:<28} {:>8} {:>13.1f} {:>12.3f}\n", pop.name, pop.size, per_image, rate);
    all_neurons += pop.size;
    all_spikes += per_image;
    nlohmann::json per_step = nlohmann::json::array();
    for (sim::TimeStep t = 0; t < c.steps; ++t) per_step.push_back(totals.spikes(p, t));
    layers_json.push_back({{"name", pop.name}, {"neurons", pop.size}, {"spikes", spikes},
                           {"spikes_per_image", per_image}, {"firing_rate", rate}, {"spikes_per_step", per_step}});
  }
  const double all_rate = all_spikes / static_cast<double>(all_neurons * static_cast<std::size_t>(c.steps));
  fmt::print("{:<28} {:>8} {:>13.1f} {:>12.3f}\n\n", "all", all_neurons, all_spikes, all_rate);

  const sim::OpCounts ops = totals.counters.total();
  auto per = [n](std::int64_t v) { return n > 0 ? static_cast<double>(v) / n : 0.0; };
  const double dense = per(ops.dense_ops);
  fmt::print("ops/image {} synops ({} ACs + {} MACs), {} neuron updates, {} dense-equivalent ({:.1f} % of dense)\n",
             si(per(ops.synops())), si(per(ops.acs)), si(per(ops.macs)), si(per(ops.neuron_updates)), si(dense),
             dense > 0 ? 100.0 * (per(ops.acs) + per(ops.macs)) / dense : 0.0);
  fmt::print("time      {:.2f} s ({:.0f} images/s)\n", seconds, seconds > 0 ? n / seconds : 0.0);

  if (!args.json.empty()) {
    nlohmann::json j;
    j["snnsim_version"] = SNNSIM_VERSION;
    j["model"] = {{"path", args.model}, {"name", net.name()}, {"steps", c.steps}, {"features", c.features},
                  {"dim", c.dim}, {"memory", c.memory}, {"hidden", c.hidden}, {"depth", c.depth},
                  {"classes", c.classes}};
    j["backend"] = backend.name();
    j["threads"] = threads;
    j["images"] = images.count;
    j["correct"] = correct;
    j["accuracy"] = accuracy;
    j["wall_seconds"] = seconds;
    j["layers"] = layers_json;
    j["ops_per_image"] = {{"synops", per(ops.synops())}, {"acs", per(ops.acs)}, {"macs", per(ops.macs)},
                          {"adds", per(ops.adds)}, {"neuron_updates", per(ops.neuron_updates)},
                          {"dense_ops", dense}, {"executed_ops", per(ops.executed_ops)}};
    if (args.per_sample) {
      nlohmann::json list = nlohmann::json::array();
      for (std::size_t i = 0; i < samples.size(); ++i) {
        nlohmann::json spikes = nlohmann::json::object();
        for (sim::PopulationId p = 0; p < net.population_count(); ++p)
          if (net.population(p).kind == sim::PopulationKind::Spiking) spikes[net.population(p).name] = samples[i].spikes[p];
        list.push_back({{"index", i}, {"label", samples[i].label}, {"pred", samples[i].pred},
                        {"logits", samples[i].logits}, {"spikes", spikes}});
      }
      j["samples"] = list;
    }
    write_file_atomic(args.json, j.dump(1) + "\n");
  }
  return 0;
}

}  // namespace

Command add_run_command(CLI::App& app, const Registries& registries) {
  auto args = std::make_shared<RunArgs>();
  app.add_option("--model", args->model, "model file (golden HDF5 layout)")->capture_default_str();
  app.add_option("--data", args->data, "folder with Fashion-MNIST IDX files (t10k-*.gz)")->capture_default_str();
  app.add_option("--backend", args->backend, "backend: " + registries.backends.joined_names())->capture_default_str();
  app.add_option("--first", args->first, "simulate only the first N test images (0: all)");
  app.add_option("--threads", args->threads, "OpenMP threads over images (0: all cores); results do not depend on it");
  app.add_option("--json", args->json, "write the run report as JSON to this file (atomically)");
  app.add_flag("--per-sample", args->per_sample, "add per-image index, label, pred, logits and spikes to --json");
  app.footer("Example: snnsim run --first 1000 --backend dense_reference --json run.json");
  return [args, &registries] { return run(*args, registries); };
}

}  // namespace snnsim::tools
