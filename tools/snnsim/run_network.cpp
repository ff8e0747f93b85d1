// SPDX-License-Identifier: MIT
#include "tools/snnsim/run_network.hpp"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "hw_backends/distributed/network_parallel.hpp"
#include "models/spike_output.hpp"
#include "sim/atomic_file.hpp"
#include "sim/error.hpp"
#include "sim/report/sha256.hpp"
#include "sim/run.hpp"

namespace snnsim::tools {

models::ImportedNetwork load_network(const std::string& path, std::optional<std::uint64_t> seed,
                                     const Registries& registries) {
  const models::NetworkImporter& importer = models::importer_for(registries.importers, path);
  return seed ? importer.load_seeded(path, registries.neurons, *seed) : importer.load(path, registries.neurons);
}

std::unique_ptr<sim::CompiledNetwork> compile_network(const sim::Backend& backend, const sim::Network& net,
                                                      int threads) {
  sim::BackendOptions options;
  options.settings["threads"] = std::to_string(sim::resolve_threads(threads));
  return backend.compile(net, options);
}

void expect_same_network(const sim::Communicator& comm, const std::string& path, const models::ImportedNetwork& imported,
                         const std::string& backend) {
  if (!comm.uses_mpi()) return;
  // Abbreviated digest: 16 hex digits tell files apart and keep the error line short.
  comm.expect_same(report::file_sha256(path).substr(0, 16), path, "sha256 of the file");
  comm.expect_same(fmt::format("seed {}, backend {}", imported.seed, backend), path, "options");
}

void check_distributed_backend(const sim::Communicator& comm, const std::string& backend, const std::string& command) {
  if (comm.uses_mpi() && backend != "cpu_event")
    throw Error(command, "--backend", "cpu_event under mpirun (the distributed engine)", backend);
}

PreparedNetwork prepare_network(const sim::Communicator& comm, const Registries& registries, const std::string& command,
                                const std::string& path, const std::string& backend, int threads,
                                std::optional<std::uint64_t> seed, const std::function<void()>& check) {
  PreparedNetwork prepared = comm.all_or_none([&] {
    check();
    PreparedNetwork p;
    p.backend = &registries.backends.get(backend, command, "--backend");
    check_distributed_backend(comm, backend, command);
    p.imported = load_network(path, seed, registries);
    p.threads = sim::resolve_threads(threads);
    return p;
  });
  expect_same_network(comm, path, prepared.imported, backend);
  return prepared;
}

NetworkSimulation::NetworkSimulation(const PreparedNetwork& prepared, const sim::Communicator& comm) {
  const sim::Network& net = *prepared.imported.network;
  comm.all_or_none([&] {
    if (comm.uses_mpi()) {
      distributed_ = hw_backends::compile_network_parallel(net, comm, prepared.threads);
    } else {
      compiled_ = compile_network(*prepared.backend, net, prepared.threads);
      workspace_ = compiled_->make_workspace();
    }
  });
}

void NetworkSimulation::run_trial(const sim::Stimulus& stimulus, const sim::RecordOptions& options,
                                  sim::TrialRecord& record, hw_backends::ExchangeTimes& times) const {
  if (distributed_)
    distributed_->run_trial(stimulus, options, record, times);
  else
    compiled_->run_trial(*workspace_, stimulus, options, record);
}

nlohmann::json NetworkSimulation::mpi() const {
  return distributed_ ? distributed_->describe().at("distributed") : nlohmann::json();
}

int run_network(const NetworkRunArgs& args, const Registries& registries, const sim::Communicator& comm) {
  const PreparedNetwork prepared =
      prepare_network(comm, registries, "snnsim run", args.network, args.backend, args.threads, args.seed, [&] {
        if (args.spikes.empty()) return;
        const std::filesystem::path inputs[] = {args.network};
        ensure_not_input(args.spikes, inputs);
      });
  const sim::Network& net = *prepared.imported.network;
  const models::ImportedNetwork& imported = prepared.imported;
  const sim::Backend& backend = *prepared.backend;
  const int threads = prepared.threads;
  const NetworkSimulation simulation(prepared, comm);
  sim::RecordOptions options;
  options.raster = !args.spikes.empty();
  sim::TrialRecord record;
  record.reset(net, options);

  comm.barrier();  // ranks start together: the time is the run's, not the slowest loader's
  const auto start = std::chrono::steady_clock::now();
  hw_backends::ExchangeTimes times;
  simulation.run_trial(imported.stimulus, options, record, times);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const nlohmann::json mpi = simulation.mpi();

  // Rank 0 alone reports and writes (its record is the whole network's); a failure to write is
  // agreed, so every rank exits with it.
  comm.all_or_none([&] {
    if (!comm.root()) return;
    const double simulated = imported.dt_seconds * static_cast<double>(net.steps());
    fmt::print("network  {} ({}): {} neurons, {} synapses, {} steps of {:g} ms\n", args.network, net.name(),
               net.neuron_count(), net.synapse_count(), net.steps(), imported.dt_seconds * 1e3);
    fmt::print("backend  {}, {} thread{} in the trial\n", backend.name(), threads, threads == 1 ? "" : "s");
    if (!mpi.is_null())
      fmt::print("mpi      {} rank{}, spikes exchanged every {} steps\n", comm.size(), comm.size() == 1 ? "" : "s",
                 mpi.at("exchange_every_steps").get<int>());
    fmt::print("\n{:<16} {:>8} {:>10} {:>10}\n", "population", "neurons", "spikes", "rate (Hz)");
    nlohmann::json pops = nlohmann::json::array();
    std::int64_t all_spikes = 0;
    for (sim::PopulationId p = 0; p < net.population_count(); ++p) {
      const sim::Population& pop = net.population(p);
      const std::int64_t spikes = record.total_spikes(p);
      const double rate = simulated > 0 ? static_cast<double>(spikes) / static_cast<double>(pop.size) / simulated : 0.0;
      fmt::print("{:<16} {:>8} {:>10} {:>10.2f}\n", pop.name, pop.size, spikes, rate);
      all_spikes += spikes;
      const sim::OpCounts c = record.counters.population_total(p);
      pops.push_back({{"name", pop.name}, {"size", pop.size}, {"spikes", spikes}, {"rate_hz", rate},
                      {"neuron_updates", c.neuron_updates}});
    }
    nlohmann::json projections = nlohmann::json::array();
    for (const sim::EdgeRef& e : net.projections()) {
      const sim::OpCounts c = record.counters.projection_total(e.projection->index);
      projections.push_back({{"name", e.projection->name}, {"synaptic_events", c.acs}, {"dense_ops", c.dense_ops},
                             {"executed_ops", c.executed_ops}});
    }
    const sim::OpCounts ops = record.counters.total();
    fmt::print("{:<16} {:>8} {:>10}\n\n", "all", "", all_spikes);
    fmt::print("synaptic events {}, neuron updates {}\n", ops.acs, ops.neuron_updates);
    fmt::print("time     {:.3f} s ({:.3f} s per simulated second)\n", seconds, simulated > 0 ? seconds / simulated : 0.0);
    if (!args.spikes.empty()) {
      if (!imported.record_spikes.empty())  // the file's [record] spikes: only those populations
        for (sim::PopulationId p = 0; p < net.population_count(); ++p)
          if (std::find(imported.record_spikes.begin(), imported.record_spikes.end(), net.population(p).name) ==
              imported.record_spikes.end())
            record.raster[p].clear();
      models::write_spikes(args.spikes, net, record, imported.dt_seconds);
      fmt::print("spikes   {}\n", args.spikes);
    }
    if (!args.json.empty()) {
      nlohmann::json j;
      j["network"] = {{"path", args.network}, {"name", net.name()}, {"steps", net.steps()}, {"dt_s", imported.dt_seconds},
                      {"neurons", net.neuron_count()}, {"synapses", net.synapse_count()}};
      j["backend"] = backend.name();
      j["threads"] = threads;
      if (!mpi.is_null()) j["mpi"] = mpi;  // run-specific, as threads and wall_seconds
      j["populations"] = pops;
      j["projections"] = projections;
      j["spikes"] = all_spikes;
      j["synaptic_events"] = ops.acs;
      j["neuron_updates"] = ops.neuron_updates;
      j["wall_seconds"] = seconds;
      write_file_atomic(args.json, j.dump(1) + "\n");
    }
  });
  return 0;
}

}  // namespace snnsim::tools
