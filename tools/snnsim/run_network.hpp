// SPDX-License-Identifier: MIT
#pragma once
/// `snnsim run --network FILE` and `snnsim bench --network FILE`: generic point-neuron networks
/// from network files (Brian2-layout HDF5, TOML experiments), one trial, optionally split over
/// threads inside the trial and, under mpirun, over ranks (hw_backends/distributed): results
/// identical for any thread and rank count.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "hw_backends/distributed/network_parallel.hpp"
#include "models/network_io.hpp"
#include "sim/backend.hpp"
#include "sim/distributed.hpp"
#include "tools/snnsim/app.hpp"

namespace snnsim::tools {

struct NetworkRunArgs {
  std::string network;
  std::string spikes;  ///< CSV or SONATA HDF5 raster output ("" : none)
  std::string backend = "cpu_event";
  int threads = 1;     ///< threads inside the trial (0: all cores)
  std::optional<std::uint64_t> seed;
  std::string json;
};

/// Loads the file with the importer that accepts it (seed overridden when given).
models::ImportedNetwork load_network(const std::string& path, std::optional<std::uint64_t> seed,
                                     const Registries& registries);

/// Compiles for `threads` threads inside one trial.
std::unique_ptr<sim::CompiledNetwork> compile_network(const sim::Backend& backend, const sim::Network& net,
                                                      int threads);

/// Collective: every rank must have read the same network file (SHA-256 of its bytes) with the
/// same seed and backend; otherwise every rank fails with the first differing rank's line.
void expect_same_network(const sim::Communicator& comm, const std::string& path, const models::ImportedNetwork& imported,
                         const std::string& backend);

/// Under mpirun only the cpu_event engine is distributed (hw_backends/distributed).
void check_distributed_backend(const sim::Communicator& comm, const std::string& backend, const std::string& command);

/// A network file loaded and checked alike on every rank: the backend, the network, the threads.
struct PreparedNetwork {
  const sim::Backend* backend = nullptr;
  models::ImportedNetwork imported;
  int threads = 1;
};

/// Collective: `check` (the command's own argument checks), then the backend, the file and the
/// thread count, each rank failing with the first failing rank's line; then expect_same_network.
PreparedNetwork prepare_network(const sim::Communicator& comm, const Registries& registries, const std::string& command,
                                const std::string& path, const std::string& backend, int threads,
                                std::optional<std::uint64_t> seed, const std::function<void()>& check);

/// One trial of a prepared network, compiled once (collectively): the backend's engine on one
/// process, the distributed engine (hw_backends/distributed) under mpirun.
class NetworkSimulation {
 public:
  NetworkSimulation(const PreparedNetwork& prepared, const sim::Communicator& comm);
  /// A collective under mpirun; the record is complete on rank 0.
  void run_trial(const sim::Stimulus& stimulus, const sim::RecordOptions& options, sim::TrialRecord& record,
                 hw_backends::ExchangeTimes& times) const;
  bool distributed() const { return distributed_ != nullptr; }
  /// The distributed engine's description ("exchange_every_steps", ...); null on one process.
  nlohmann::json mpi() const;

 private:
  std::unique_ptr<sim::CompiledNetwork> compiled_;
  std::unique_ptr<sim::Workspace> workspace_;
  std::unique_ptr<hw_backends::NetworkParallel> distributed_;
};

int run_network(const NetworkRunArgs& args, const Registries& registries, const sim::Communicator& comm);

}  // namespace snnsim::tools
