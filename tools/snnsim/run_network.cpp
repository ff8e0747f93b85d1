// SPDX-License-Identifier: MIT
#include "tools/snnsim/run_network.hpp"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "models/spike_output.hpp"
#include "sim/atomic_file.hpp"
#include "sim/error.hpp"
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

namespace {

std::size_t synapse_count(const sim::Network& net) {
  std::size_t n = 0;
  for (const sim::EdgeRef& e : net.projections())
    if (const auto* s = std::get_if<sim::Sparse>(&e.projection->connectivity)) n += s->source.size();
  return n;
}

}  // namespace

int run_network(const NetworkRunArgs& args, const Registries& registries) {
  const sim::Backend& backend = registries.backends.get(args.backend, "snnsim run", "--backend");
  if (!args.spikes.empty()) {
    const std::filesystem::path inputs[] = {args.network};
    ensure_not_input(args.spikes, inputs);
  }
  const models::ImportedNetwork imported = load_network(args.network, args.seed, registries);
  const sim::Network& net = *imported.network;
  const int threads = sim::resolve_threads(args.threads);
  const auto compiled = compile_network(backend, net, threads);
  const auto ws = compiled->make_workspace();
  sim::RecordOptions options;
  options.raster = !args.spikes.empty();
  sim::TrialRecord record;
  record.reset(net, options);

  const auto start = std::chrono::steady_clock::now();
  compiled->run_trial(*ws, imported.stimulus, options, record);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const double simulated = imported.dt_seconds * static_cast<double>(net.steps());
  fmt::print("network  {} ({}): {} neurons, {} synapses, {} steps of {:g} ms\n", args.network, net.name(),
             net.neuron_count(), synapse_count(net), net.steps(), imported.dt_seconds * 1e3);
  fmt::print("backend  {}, {} thread{} in the trial\n", backend.name(), threads, threads == 1 ? "" : "s");
  fmt::print("\n{:<16} {:>8} {:>10} {:>10}\n", "population", "neurons", "spikes", "rate (Hz)");
  nlohmann::json pops = nlohmann::json::array();
  std::int64_t all_spikes = 0;
  for (sim::PopulationId p = 0; p < net.population_count(); ++p) {
    const sim::Population& pop = net.population(p);
    const std::int64_t spikes = record.total_spikes(p);
    const double rate = simulated > 0 ? static_cast<double>(spikes) / static_cast<double>(pop.size) / simulated : 0.0;
    fmt::print("{:<16} {:>8} {:>10} {:>10.2f}\n", pop.name, pop.size, spikes, rate);
    all_spikes += spikes;
    pops.push_back({{"name", pop.name}, {"size", pop.size}, {"spikes", spikes}, {"rate_hz", rate}});
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
                    {"neurons", net.neuron_count()}, {"synapses", synapse_count(net)}};
    j["backend"] = backend.name();
    j["threads"] = threads;
    j["populations"] = pops;
    j["spikes"] = all_spikes;
    j["synaptic_events"] = ops.acs;
    j["wall_seconds"] = seconds;
    write_file_atomic(args.json, j.dump(1) + "\n");
  }
  return 0;
}

}  // namespace snnsim::tools
