// SPDX-License-Identifier: MIT
#include <algorithm>
#include <chrono>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "models/datasets/idx.hpp"
#include "models/lmuformer/lmuformer.hpp"
#include "sim/atomic_file.hpp"
#include "sim/distributed.hpp"
#include "sim/error.hpp"
#include "sim/report/sha256.hpp"
#include "sim/run.hpp"
#include "tools/snnsim/commands.hpp"
#include "tools/snnsim/fashion_trials.hpp"
#include "tools/snnsim/progress.hpp"
#include "tools/snnsim/report_output.hpp"
#include "tools/snnsim/run_network.hpp"

namespace snnsim::tools {

namespace {

struct RunArgs {
  std::string model = SNNSIM_DEFAULT_MODEL;
  std::string data = std::string(datasets::default_fashion_mnist_dir);
  std::string backend = "cpu_event";
  std::size_t first = 0;
  int threads = 0;
  std::string chip, chips;  ///< backend settings "chip" and "chips" (the loihi backend)
  ReportArgs report;  ///< --json, --csv, --energy-table, --raster-images, --per-sample
};

struct SampleResult {
  int label = 0, pred = 0;
  std::vector<float> logits;
};

/// Trials [block.begin, block.end) of another source, numbered from 0: this rank's images.
class TrialBlock final : public sim::TrialSource {
 public:
  TrialBlock(const sim::TrialSource& all, sim::Block block) : all_(&all), block_(block) {}
  std::size_t count() const override { return block_.size(); }
  void fill(std::size_t trial, sim::Stimulus& stimulus, std::vector<float>& buffer) const override {
    all_->fill(block_.begin + trial, stimulus, buffer);
  }

 private:
  const sim::TrialSource* all_;
  sim::Block block_;
};

/// What every rank reads and checks before simulating (agreed between ranks).
struct Loaded {
  const sim::Backend* backend = nullptr;
  std::vector<sim::EnergyTable> tables;
  models::LmuformerModel model;
  datasets::ImageSet images;
  std::unique_ptr<sim::CompiledNetwork> compiled;
  std::string model_sha256;
};

Loaded load(const RunArgs& args, const Registries& registries) {
  Loaded l;
  l.backend = &registries.backends.get(args.backend, "snnsim run", "--backend");
  if (!args.report.json.empty()) {
    const std::filesystem::path inputs[] = {args.model};
    ensure_not_input(args.report.json, inputs);
  }
  l.tables = energy_tables(args.report);
  l.model = models::load_lmuformer(args.model, registries.neurons);
  const models::LmuformerConfig& c = l.model.config;
  l.images = datasets::load_fashion_mnist(args.data, "t10k", args.first ? args.first : std::numeric_limits<std::size_t>::max());
  if (l.images.rows * l.images.cols != static_cast<std::size_t>(c.steps) * c.features)
    throw Error(args.model, "config_json: data", fmt::format("steps x features = {} pixels", l.images.rows * l.images.cols),
                fmt::format("{} x {}", c.steps, c.features));
  sim::BackendOptions backend_options;
  if (!args.chip.empty()) backend_options.settings["chip"] = args.chip;
  if (!args.chips.empty()) backend_options.settings["chips"] = args.chips;
  l.compiled = l.backend->compile(*l.model.network, backend_options);
  l.model_sha256 = report::file_sha256(args.model);
  return l;
}

/// Collective: every rank must simulate the same model, images and options.
void expect_same_inputs(const sim::Communicator& comm, const RunArgs& args, const Loaded& l) {
  if (!comm.uses_mpi()) return;
  comm.expect_same(l.model_sha256.substr(0, 16), args.model, "sha256 of the file");
  std::vector<unsigned char> data(l.images.pixels.begin(), l.images.pixels.end());
  data.insert(data.end(), l.images.labels.begin(), l.images.labels.end());
  comm.expect_same(report::bytes_sha256(data).substr(0, 16), args.data, "sha256 of the images");
  comm.expect_same(fmt::format("backend {}, chip '{}', chips '{}', --per-sample {}, --rasters {}", args.backend, args.chip,
                               args.chips, args.report.per_image, args.report.raster_images),
                   "snnsim run", "options");
}

/// Data-parallel runs: every rank's totals summed on rank 0 (integers, exact, any order), the
/// collector reduced, and every image's logits gathered in image order.
void reduce_to_root(const sim::Communicator& comm, sim::RunTotals& totals, report::RunCollector& collector,
                    std::vector<SampleResult>& samples, sim::Block mine, std::size_t classes) {
  if (!comm.uses_mpi()) return;
  std::vector<std::int64_t> sums(totals.spike_counts.begin(), totals.spike_counts.end());
  sums.push_back(static_cast<std::int64_t>(totals.trials));
  totals.counters.append_flat(sums);
  comm.reduce_sum(sums);
  collector.reduce_to_root(comm);
  std::vector<float> logits;
  for (std::size_t i = mine.begin; i < mine.end; ++i)
    logits.insert(logits.end(), samples[i].logits.begin(), samples[i].logits.end());
  const std::vector<std::vector<float>> all = comm.gather(logits);
  if (!comm.root()) return;
  const std::size_t cells = totals.spike_counts.size();
  std::copy(sums.begin(), sums.begin() + static_cast<std::ptrdiff_t>(cells), totals.spike_counts.begin());
  totals.trials = static_cast<std::size_t>(sums[cells]);
  totals.counters.read_flat(std::span<const std::int64_t>(sums).subspan(cells + 1));
  std::size_t image = 0;
  for (const std::vector<float>& part : all)
    for (std::size_t k = 0; k < part.size(); k += classes, ++image) {
      SampleResult& s = samples[image];
      s.logits.assign(part.begin() + static_cast<std::ptrdiff_t>(k), part.begin() + static_cast<std::ptrdiff_t>(k + classes));
      s.pred = models::predicted_class(s.logits);
    }
}

int run(const RunArgs& args, const Registries& registries, const sim::Communicator& comm) {
  const Loaded loaded = comm.all_or_none([&] { return load(args, registries); });
  expect_same_inputs(comm, args, loaded);
  const sim::Backend& backend = *loaded.backend;
  const std::vector<sim::EnergyTable>& tables = loaded.tables;
  const sim::Network& net = *loaded.model.network;
  const models::LmuformerConfig& c = loaded.model.config;
  const datasets::ImageSet& images = loaded.images;
  const auto& compiled = loaded.compiled;
  const int threads = sim::resolve_threads(args.threads);
  FashionTrials trials(images, loaded.model.input, static_cast<std::size_t>(c.steps), c.features);
  // Images split over ranks in contiguous blocks (sizes differ by at most one image).
  const sim::Block mine = sim::Block::of(images.count, comm.rank(), comm.size());
  const TrialBlock my_trials(trials, mine);
  std::vector<SampleResult> samples(images.count);
  for (std::size_t i = 0; i < images.count; ++i) samples[i].label = images.labels[i];
  report::RunCollector collector(net, images.count, collect_options(args.report));
  sim::RunOptions options = collector.run_options(mine.begin);
  options.threads = threads;
  ProgressBar bar("images");
  if (comm.root()) options.progress = [&bar](std::size_t done, std::size_t total) { bar.update(done, total); };

  comm.barrier();
  const auto start = std::chrono::steady_clock::now();
  sim::RunTotals totals = comm.all_or_none([&] {
    return sim::run_trials(net, *compiled, my_trials, options, [&](std::size_t i, const sim::TrialRecord& r) {
      SampleResult& s = samples[mine.begin + i];
      s.logits = models::mean_logits(r, c.classes);
      s.pred = models::predicted_class(s.logits);
      collector.add_trial(mine.begin + i, r);
    });
  });
  reduce_to_root(comm, totals, collector, samples, mine, c.classes);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Rank 0 alone reports and writes; a failure (e.g. an unwritable --json) is agreed by all ranks.
  return comm.all_or_none([&] {
    if (!comm.root()) return 0;
    std::size_t correct = 0;
    for (const SampleResult& s : samples) correct += s.pred == s.label;
    const double n = static_cast<double>(images.count);
    const double accuracy = n > 0 ? static_cast<double>(correct) / n : 0.0;

    fmt::print("model    {} (T {}, F {}, D {}, M {}, MLP {}, depth {}, {} classes)\n", args.model, c.steps, c.features,
               c.dim, c.memory, c.hidden, c.depth, c.classes);
    fmt::print("data     {} Fashion-MNIST test images from {}\n", images.count, args.data);
    fmt::print("backend  {}, {} thread{}\n", backend.name(), threads, threads == 1 ? "" : "s");
    if (comm.uses_mpi())
      fmt::print("mpi      {} rank{}, images in contiguous blocks of {} to {}\n", comm.size(), comm.size() == 1 ? "" : "s",
                 images.count / static_cast<std::size_t>(comm.size()),
                 (images.count + static_cast<std::size_t>(comm.size()) - 1) / static_cast<std::size_t>(comm.size()));
    fmt::print("accuracy {:.2f} % ({}/{})\n\n", 100.0 * accuracy, correct, images.count);
    fmt::print("{:<28} {:>8} {:>13} {:>12}\n", "spiking layer", "neurons", "spikes/image", "firing rate");
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
    }
    const double all_rate = all_spikes / static_cast<double>(all_neurons * static_cast<std::size_t>(c.steps));
    fmt::print("{:<28} {:>8} {:>13.1f} {:>12.3f}\n\n", "all", all_neurons, all_spikes, all_rate);

    report::Provenance provenance{.snnsim_version = SNNSIM_VERSION,
                                  .backend = std::string(backend.name()),
                                  .backend_details = compiled->describe(),
                                  .threads = threads,
                                  .model = args.model,
                                  .model_sha256 = loaded.model_sha256,
                                  .data = fmt::format("Fashion-MNIST t10k, first {} images, from {}", images.count, args.data),
                                  .command = command_line()};
    nlohmann::json j = report::build_run_report({net, totals, collector, tables, std::move(provenance)});
    j["accuracy"] = {{"correct", correct}, {"images", images.count}, {"accuracy", accuracy}};
    j["wall_seconds"] = seconds;
    if (comm.uses_mpi()) j["provenance"]["mpi_ranks"] = comm.size();  // run-specific, as threads
    if (args.report.per_image)
      for (std::size_t i = 0; i < samples.size(); ++i) {
        nlohmann::json& im = j["per_image"][i];
        im["label"] = samples[i].label;
        im["pred"] = samples[i].pred;
        im["logits"] = samples[i].logits;
      }
    print_ops_summary(j);
    if (const nlohmann::json details = compiled->describe(); details.contains("summary_lines"))
      for (const nlohmann::json& line : details["summary_lines"]) fmt::print("{}\n", line.get<std::string>());
    fmt::print("time      {:.2f} s ({:.0f} images/s)\n", seconds, seconds > 0 ? n / seconds : 0.0);
    write_report_outputs(args.report, j);
    return 0;
  });
}

}  // namespace

Command add_run_command(CLI::App& app, const Registries& registries, const sim::Communicator& comm) {
  auto args = std::make_shared<RunArgs>();
  auto network = std::make_shared<NetworkRunArgs>();
  app.add_option("--model", args->model, "model file (golden HDF5 layout)")->capture_default_str();
  app.add_option("--data", args->data, "folder with Fashion-MNIST IDX files (t10k-*.gz)")->capture_default_str();
  app.add_option("--backend", args->backend, "backend: " + registries.backends.joined_names())->capture_default_str();
  app.add_option("--first", args->first, "simulate only the first N test images (0: all)");
  app.add_option("--threads", args->threads, "OpenMP threads over images (0: all cores); results do not depend on it");
  app.add_option("--chip", args->chip, "with --backend loihi: loihi1, loihi2 (default) or a chip TOML file");
  app.add_option("--chips", args->chips, "with --backend loihi: chips the network may be spread over (default 1)");
  add_report_options(app, args->report);
  app.footer("Example: snnsim run --first 1000 --backend dense_reference --json run.json");
  // Generic networks from files (run_network.cpp): --network switches from the LMUFormer run.
  app.add_option("--network", network->network, "simulate a network file (Brian2-layout HDF5, TOML experiment) instead");
  app.add_option("--spikes", network->spikes, "with --network: write the spike raster (.csv: population,neuron,step; .h5: SONATA)");
  app.add_option("--seed", network->seed, "with --network: seed for rule-based connectivity and Poisson sources (default: the file's)");
  return [args, network, &registries, &comm] {
    if (network->network.empty()) return run(*args, registries, comm);
    network->backend = args->backend;
    network->threads = args->threads;
    network->json = args->report.json;
    return run_network(*network, registries, comm);
  };
}

}  // namespace snnsim::tools
