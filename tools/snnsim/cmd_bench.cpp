// SPDX-License-Identifier: MIT
// `snnsim bench --network FILE`: the speed of one network, the median of N runs of the whole trial
// (load and compile excluded, as in Brian2's own run-time figure). Under mpirun the trial runs over
// the ranks (hw_backends/distributed) and each rank's compute, communication and waiting time is
// reported (their definitions: hw_backends/distributed/network_parallel.hpp, ExchangeTimes).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "hw_backends/distributed/network_parallel.hpp"
#include "sim/atomic_file.hpp"
#include "sim/error.hpp"
#include "sim/run.hpp"
#include "tools/snnsim/commands.hpp"
#include "tools/snnsim/bench_lmuformer.hpp"
#include "tools/snnsim/run_network.hpp"

namespace snnsim::tools {

namespace {

struct BenchArgs {
  std::string network;
  std::string backend = "cpu_event";
  int threads = 1;
  int runs = 5;
  std::string json;
};

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
}

/// What this rank measured, per run (means over the runs), to gather on rank 0: compute,
/// communication and waiting seconds, exchanges, spikes sent and received.
std::vector<double> rank_times(const hw_backends::ExchangeTimes& t, int runs) {
  const double r = runs;
  return {t.compute / r, t.communication / r, t.waiting / r, static_cast<double>(t.exchanges) / r,
          static_cast<double>(t.spikes_sent) / r, static_cast<double>(t.spikes_received) / r};
}

int bench(const BenchArgs& args, const Registries& registries, const sim::Communicator& comm) {
  const PreparedNetwork prepared =
      prepare_network(comm, registries, "snnsim bench", args.network, args.backend, args.threads, std::nullopt, [&] {
        if (args.runs < 1) throw Error("snnsim bench", "--runs", "at least 1 run", fmt::format("{}", args.runs));
      });
  const models::ImportedNetwork& imported = prepared.imported;
  const sim::Network& net = *imported.network;
  const int threads = prepared.threads;
  const sim::Backend& backend = *prepared.backend;
  // One process: the backend's engine; under mpirun: the distributed engine, timed per rank.
  const NetworkSimulation simulation(prepared, comm);
  const bool distributed = simulation.distributed();
  hw_backends::ExchangeTimes times;
  sim::RecordOptions options;  // counters on (they give the synaptic events), no raster
  sim::TrialRecord record;
  // Wall time, and process CPU time with std::clock() as Brian2's standalone timer measures it
  // (equal on an idle machine; CPU time is what to compare with Brian2 on a busy one).
  std::vector<double> walls, cpus;
  std::int64_t events = 0, spikes = 0;
  for (int r = 0; r < args.runs; ++r) {
    record.reset(net, options);
    comm.barrier();  // ranks start each run together
    const auto start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    simulation.run_trial(imported.stimulus, options, record, times);
    cpus.push_back(static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC);
    walls.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    events = record.counters.total().acs;
    spikes = 0;
    for (sim::PopulationId p = 0; p < net.population_count(); ++p) spikes += record.total_spikes(p);
  }
  const std::vector<std::vector<double>> ranks = comm.gather(rank_times(times, args.runs));
  const double rss = peak_rss_mib();
  const std::vector<std::vector<double>> rss_of = comm.gather(std::vector<double>{rss});
  return comm.all_or_none([&] {
    if (!comm.root()) return 0;
    auto median_of = [](std::vector<double> v) {
      std::sort(v.begin(), v.end());
      return v[v.size() / 2];
    };
    const double median = median_of(walls), median_cpu = median_of(cpus);
    const double simulated = imported.dt_seconds * static_cast<double>(net.steps());
    const double per_second = simulated > 0 ? median / simulated : 0.0;
    const double events_per_s = median > 0 ? static_cast<double>(events) / median : 0.0;
    fmt::print("network            {} ({}, {} neurons, {} steps)\n", args.network, net.name(), net.neuron_count(), net.steps());
    fmt::print("backend            {}, {} thread{} in the trial\n", backend.name(), threads, threads == 1 ? "" : "s");
    fmt::print("runs               {} (wall s: {})\n", args.runs, fmt::join(walls, " "));
    fmt::print("spikes             {}\n", spikes);
    fmt::print("wall s per sim s   {:.4f} (median)\n", per_second);
    fmt::print("CPU s per sim s    {:.4f} (median, std::clock of all threads{})\n",
               simulated > 0 ? median_cpu / simulated : 0.0, distributed ? " of rank 0" : "");
    fmt::print("synaptic events/s  {:.3g}\n", events_per_s);
    fmt::print("peak memory        {:.1f} MiB{}\n", rss, distributed ? " (rank 0)" : "");
    nlohmann::json per_rank = nlohmann::json::array();
    if (distributed) {
      const nlohmann::json d = simulation.mpi();
      fmt::print("\nmpi: {} ranks x {} threads, spikes exchanged every {} steps; seconds per run (mean of {}):\n",
                 comm.size(), threads, d.at("exchange_every_steps").get<int>(), args.runs);
      fmt::print("{:>4} {:>10} {:>14} {:>10} {:>10} {:>12} {:>14} {:>9}\n", "rank", "compute", "communication", "waiting",
                 "exchanges", "spikes sent", "bytes/exchange", "peak MiB");
      for (std::size_t q = 0; q < ranks.size(); ++q) {
        const std::vector<double>& t = ranks[q];
        // Bytes received per exchange: every rank's spikes (uint32 each) plus the counts.
        const double bytes = t[3] > 0 ? 4.0 * t[5] / t[3] : 0.0;
        fmt::print("{:>4} {:>10.4f} {:>14.4f} {:>10.4f} {:>10.0f} {:>12.0f} {:>14.0f} {:>9.1f}\n", q, t[0], t[1], t[2],
                   t[3], t[4], bytes, rss_of[q][0]);
        per_rank.push_back({{"rank", q}, {"compute_s", t[0]}, {"communication_s", t[1]}, {"waiting_s", t[2]},
                            {"exchanges", t[3]}, {"spikes_sent", t[4]}, {"spikes_received", t[5]},
                            {"spike_bytes_per_exchange", bytes}, {"peak_rss_mib", rss_of[q][0]}});
      }
    }
    if (!args.json.empty()) {
      nlohmann::json j{{"network", args.network}, {"name", net.name()}, {"backend", backend.name()},
                       {"threads", threads}, {"runs", args.runs}, {"wall_seconds", walls},
                       {"median_wall_seconds", median}, {"wall_seconds_per_simulated_second", per_second},
                       {"cpu_seconds", cpus}, {"median_cpu_seconds", median_cpu},
                       {"synaptic_events", events}, {"synaptic_events_per_second", events_per_s},
                       {"spikes", spikes}, {"peak_rss_mib", rss}};
      if (distributed) j["mpi"] = {{"ranks", comm.size()}, {"per_rank", per_rank}};
      write_file_atomic(args.json, j.dump(1) + "\n");
    }
    return 0;
  });
}

}  // namespace

Command add_bench_command(CLI::App& app, const Registries& registries, const sim::Communicator& comm) {
  auto args = std::make_shared<BenchArgs>();
  app.add_option("--network", args->network, "network file (Brian2-layout HDF5, TOML experiment)");
  app.add_option("--backend", args->backend, "backend: " + registries.backends.joined_names())->capture_default_str();
  app.add_option("--threads", args->threads, "threads inside the trial (0: all cores)")->capture_default_str();
  app.add_option("--runs", args->runs, "runs; the median is reported")->capture_default_str();
  app.add_option("--json", args->json, "also write the figures as JSON to this file");
  app.footer("Examples: snnsim bench --network ../shared/peers/brian2/cuba.h5 --threads 2 --runs 5\n"
             "          snnsim bench lmuformer --threads 1 2 --runs 3");
  auto lmuformer = std::make_shared<Command>();
  add_bench_lmuformer(app, registries, *lmuformer);
  return [args, lmuformer, &registries, &comm] {
    comm.all_or_none([&] {
      if (*lmuformer && comm.size() > 1)
        throw Error("snnsim bench lmuformer", "mpirun", "one process (it times thread counts)",
                    fmt::format("{} ranks", comm.size()));
      if (!*lmuformer && args->network.empty())
        throw Error("snnsim bench", "--network", "a network file, or the subcommand lmuformer", "nothing");
    });
    if (*lmuformer) return (*lmuformer)();
    return bench(*args, registries, comm);
  };
}

}  // namespace snnsim::tools
