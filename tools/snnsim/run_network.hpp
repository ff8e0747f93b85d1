// SPDX-License-Identifier: MIT
#pragma once
/// `snnsim run --network FILE` and `snnsim bench --network FILE`: generic point-neuron networks
/// from network files (Brian2-layout HDF5, TOML experiments), one trial, optionally split over
/// threads inside the trial (results identical for any thread count).
#include <cstdint>
#include <optional>
#include <string>

#include "models/network_io.hpp"
#include "sim/backend.hpp"
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

int run_network(const NetworkRunArgs& args, const Registries& registries);

}  // namespace snnsim::tools
