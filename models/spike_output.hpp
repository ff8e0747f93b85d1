// SPDX-License-Identifier: MIT
#pragma once
/// Spike rasters in formats other tools read:
///  - CSV, one spike a row: `population,neuron,step` (header line first), populations in network
///    order, then step, then neuron;
///  - SONATA spikes in HDF5 (the Allen/BBP format NEST, NEURON and Brian2 tools read):
///    /spikes/<population>/node_ids (int64) and timestamps (float64, milliseconds, attribute
///    units = "ms"), group attribute sorting = "by_time"; /spikes@dt_ms records the step.
/// Both are written atomically (temporary file + rename).
#include <filesystem>
#include <vector>

#include "sim/network.hpp"
#include "sim/record.hpp"

namespace snnsim::models {

/// Writes the raster of `record` (recorded with RecordOptions::raster) to `path`: SONATA HDF5
/// when the extension is .h5, .hdf5 or .sonata, otherwise CSV.
void write_spikes(const std::filesystem::path& path, const sim::Network& net, const sim::TrialRecord& record,
                  double dt_seconds);

void write_spikes_csv(const std::filesystem::path& path, const sim::Network& net, const sim::TrialRecord& record);
void write_spikes_sonata(const std::filesystem::path& path, const sim::Network& net, const sim::TrialRecord& record,
                         double dt_seconds);

}  // namespace snnsim::models
