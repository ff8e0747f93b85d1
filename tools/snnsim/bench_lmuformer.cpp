// SPDX-License-Identifier: MIT
// `snnsim bench lmuformer`: images per second of the LMUFormer on Fashion-MNIST for each thread
// count (median of N whole runs, model loading excluded), side by side in the same invocation with
// the PyTorch peer (tools/scripts/pytorch_peer.py, Debian's python3-torch) when it is installed.
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <memory>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "models/datasets/idx.hpp"
#include "models/lmuformer/lmuformer.hpp"
#include "sim/atomic_file.hpp"
#include "sim/error.hpp"
#include "sim/run.hpp"
#include "tools/snnsim/bench_lmuformer.hpp"
#include "tools/snnsim/fashion_trials.hpp"

namespace snnsim::tools {

namespace {

struct Args {
  std::string model = SNNSIM_DEFAULT_MODEL;
  std::string data = std::string(datasets::default_fashion_mnist_dir);
  std::string backend = "cpu_event";
  std::size_t images = 10000;
  std::vector<int> threads = {1, 2};
  int runs = 3;
  bool peer = true;
  std::string peer_batches = "1,32,256";
  std::string json;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

/// Runs the PyTorch peer; an empty object when python3-torch is not installed.
nlohmann::json run_peer(const Args& a) {
  std::string threads;
  for (int t : a.threads) threads += (threads.empty() ? "" : ",") + std::to_string(t);
  const std::string cmd = fmt::format("/usr/bin/python3 {}/tools/scripts/pytorch_peer.py '{}' --data '{}' --images {} "
                                      "--batch {} --threads {} 2>/dev/null",
                                      SNNSIM_SOURCE_DIR, a.model, a.data, a.images, a.peer_batches, threads);
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  if (!pipe) return nlohmann::json::object();
  std::string out;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), pipe.get())) out += buf.data();
  try {
    return nlohmann::json::parse(out);
  } catch (const nlohmann::json::exception&) {
    return nlohmann::json{{"available", false}, {"reason", "the peer printed no JSON"}};
  }
}

int bench(const Args& a, const Registries& registries) {
  if (a.runs < 1) throw Error("snnsim bench lmuformer", "--runs", "at least 1 run", fmt::format("{}", a.runs));
  const sim::Backend& backend = registries.backends.get(a.backend, "snnsim bench lmuformer", "--backend");
  const models::LmuformerModel model = models::load_lmuformer(a.model, registries.neurons);
  const datasets::ImageSet images = datasets::load_fashion_mnist(a.data, "t10k", a.images);
  const auto compiled = backend.compile(*model.network, {});
  const FashionTrials trials(images, model.input, static_cast<std::size_t>(model.config.steps), model.config.features);

  nlohmann::json result = {{"model", a.model}, {"backend", backend.name()}, {"images", images.count}};
  nlohmann::json mine = nlohmann::json::array();
  fmt::print("snnsim {} on {} images, median of {} runs:\n", backend.name(), images.count, a.runs);
  for (int threads : a.threads) {
    std::vector<double> seconds;
    for (int r = 0; r < a.runs; ++r) {
      sim::RunOptions options;
      options.threads = threads;
      options.record.counters_per_trial = false;  // counted as `run` counts them: totals only
      const auto start = std::chrono::steady_clock::now();
      sim::run_trials(*model.network, *compiled, trials, options, [](std::size_t, const sim::TrialRecord&) {});
      seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    const double s = median(seconds);
    const double ips = static_cast<double>(images.count) / s;
    fmt::print("  {} thread{}: {:.0f} images/s ({:.3f} s)\n", threads, threads == 1 ? " " : "s", ips, s);
    mine.push_back({{"threads", threads}, {"seconds", s}, {"images_per_second", ips}});
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  result["snnsim"] = mine;
  result["peak_rss_mib"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
  fmt::print("  peak RSS {:.1f} MiB\n", result["peak_rss_mib"].get<double>());

  if (a.peer) {
    const nlohmann::json peer = run_peer(a);
    result["pytorch"] = peer;
    if (!peer.value("available", false)) {
      fmt::print("PyTorch peer not run: {}\n", peer.value("reason", std::string("/usr/bin/python3 with torch not found")));
    } else {
      fmt::print("PyTorch {} (dense float32, {}):\n", peer.value("torch_version", ""), peer.value("path", ""));
      for (const auto& run : peer["runs"])
        fmt::print("  {} thread{}, batch {:>3}: {:.0f} images/s\n", run["threads"].get<int>(),
                   run["threads"].get<int>() == 1 ? " " : "s", run["batch"].get<int>(), run["images_per_second"].get<double>());
      for (const auto& m : mine) {
        double best = 0;
        for (const auto& run : peer["runs"])
          if (run["threads"] == m["threads"]) best = std::max(best, run["images_per_second"].get<double>());
        if (best > 0)
          fmt::print("ratio snnsim / best PyTorch batch, {} thread{}: {:.1f}x\n", m["threads"].get<int>(),
                     m["threads"].get<int>() == 1 ? "" : "s", m["images_per_second"].get<double>() / best);
      }
    }
  }
  if (!a.json.empty()) write_file_atomic(a.json, result.dump(1) + "\n");
  return 0;
}

}  // namespace

void add_bench_lmuformer(CLI::App& bench_app, const Registries& registries, Command& selected) {
  CLI::App* app = bench_app.add_subcommand("lmuformer", "images/s of the LMUFormer, side by side with PyTorch");
  auto a = std::make_shared<Args>();
  app->add_option("--model", a->model, "model file (golden HDF5 layout)")->capture_default_str();
  app->add_option("--data", a->data, "folder with Fashion-MNIST IDX files")->capture_default_str();
  app->add_option("--backend", a->backend, "backend: " + registries.backends.joined_names())->capture_default_str();
  app->add_option("--images", a->images, "test images per run")->capture_default_str();
  app->add_option("--threads", a->threads, "thread counts to measure (e.g. 1 2)")->capture_default_str();
  app->add_option("--runs", a->runs, "whole runs per thread count; the median is reported")->capture_default_str();
  app->add_option("--peer-batches", a->peer_batches, "PyTorch batch sizes")->capture_default_str();
  app->add_flag("!--no-peer", a->peer, "do not run the PyTorch peer");
  app->add_option("--json", a->json, "also write the figures as JSON to this file");
  app->footer("Speed is measured here, never in tests. Quote ratios measured in the same run.");
  app->callback([a, &registries, &selected] { selected = [a, &registries] { return bench(*a, registries); }; });
}

}  // namespace snnsim::tools
