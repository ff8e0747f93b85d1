// SPDX-License-Identifier: MIT
#pragma once
/// `snnsim run --network FILE` and `snnsim bench --network FILE`: generic point-neuron networks
/// from network files (Brian2-layout HDF5, TOML experiments), one trial, optionally split over
/// threads inside the trial and, under mpirun, over ranks (hw_backends/distributed): results
/// identical for any thread and rank count.
#include <cstdint>
#include <optional>
#include <string>

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

int run_network(const NetworkRunArgs& args, const Registries& registries, const sim::Communicator& comm);

}  // namespace snnsim::tools
