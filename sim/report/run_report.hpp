// SPDX-License-Identifier: MIT
#pragma once
/// The run report: everything a run measured (spikes, operation counts, sparsity, energy,
/// rasters of a few images, the model summary and the run's provenance) as one JSON document of
/// format "snnsim-run-v1". `snnsim run --json` writes it, `--csv DIR` flattens it into tables,
/// `snnsim report` renders it as HTML. The schema, every figure with its unit and formula, is
/// documented in README.md ("Run report: operation counts, sparsity and energy").
///
/// Operations are attributed to the layer whose output causes them: a projection's ACs, MACs,
/// adds and dense-equivalent operations count for its source population (so a spiking layer's
/// synops are its spikes times its fan-out), a population's neuron and state updates and its
/// spikes for itself. Summed over populations this gives every operation exactly once.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/distributed.hpp"
#include "sim/energy.hpp"
#include "sim/network.hpp"
#include "sim/record.hpp"
#include "sim/run.hpp"

namespace snnsim::report {

inline constexpr const char* kRunFormat = "snnsim-run-v1";

struct CollectOptions {
  bool per_image = false;        ///< keep per-image counters (spikes, ops, silent neurons)
  std::size_t raster_images = 4; ///< keep the full spike raster of the first N images
};

/// What one trial contributes beyond the run totals. Filled from worker threads: each trial
/// writes only its own slot; which neurons ever fired are atomic flags and the silent counts
/// atomic integer sums, so the result does not depend on the thread count.
class RunCollector {
 public:
  RunCollector(const sim::Network& net, std::size_t trials, CollectOptions options);

  /// What the run must record, for a process whose local trial 0 is whole-run trial
  /// `first_trial`: spikes per neuron (for silent neurons), rasters of the whole run's first
  /// raster_images trials only, and per-trial counters only for the per-image table (else they
  /// add up in each worker's record). The caller sets threads and progress.
  sim::RunOptions run_options(std::size_t first_trial) const {
    sim::RunOptions o;
    o.record = {.raster = true, .neuron_counts = true, .counters = true, .counters_per_trial = options_.per_image};
    o.raster_trials = options_.raster_images > first_trial ? options_.raster_images - first_trial : 0;
    return o;
  }
  /// Called once per trial from a worker thread.
  void add_trial(std::size_t trial, const sim::TrialRecord& record);
  /// Data-parallel runs (MPI): each rank added its own trials (whole-run indices). Sums the
  /// per-neuron and per-image integers over the ranks and gathers the rasters, so that rank 0
  /// holds exactly what one process adding every trial would hold. A collective.
  void reduce_to_root(const sim::Communicator& comm);

  struct ImageCounts {
    std::vector<std::int64_t> spikes;          ///< [population]
    std::vector<std::int64_t> silent_neurons;  ///< [population], spiking populations only
    sim::OpCounts ops;                         ///< everything of the image
  };
  struct Raster {
    std::size_t image = 0;
    std::vector<std::vector<sim::SpikeEvent>> spikes;  ///< [population]
  };

  const sim::Network& network() const { return *net_; }
  const CollectOptions& options() const { return options_; }
  std::size_t trials() const { return trials_; }
  /// Spiking neurons that never fired in any trial, per population.
  std::vector<std::int64_t> silent_neurons() const;
  /// Sum over trials of the neurons silent in that trial, per population.
  std::vector<std::int64_t> silent_neuron_trials() const;
  const std::vector<ImageCounts>& images() const { return images_; }
  const std::vector<Raster>& rasters() const { return rasters_; }

 private:
  const sim::Network* net_;
  std::size_t trials_;
  CollectOptions options_;
  std::vector<std::size_t> neuron_offset_;  ///< [population + 1]: first index in fired_
  std::unique_ptr<std::atomic<std::int64_t>[]> fired_;          ///< per neuron: fired in some trial (0/1; summed over ranks)
  std::unique_ptr<std::atomic<std::int64_t>[]> silent_trials_;  ///< [population]
  std::vector<ImageCounts> images_;
  std::vector<Raster> rasters_;
};

/// Where a run came from.
struct Provenance {
  std::string snnsim_version;
  std::string backend;
  nlohmann::json backend_details = nlohmann::json::object();
  int threads = 1;
  std::filesystem::path model;
  std::string model_sha256;
  std::string data;     ///< dataset description (path, split)
  std::string command;  ///< the command line
};

struct ReportInputs {
  const sim::Network& net;
  const sim::RunTotals& totals;
  const RunCollector& collector;
  std::vector<sim::EnergyTable> tables;
  Provenance provenance;
};

/// Builds the "snnsim-run-v1" document (see README.md for the schema).
nlohmann::json build_run_report(const ReportInputs& inputs);

/// Reads a run report and checks every field the HTML and CSV writers use. Throws
/// Error(path, field, expected, got) naming the first bad field.
nlohmann::json read_run_report(const std::filesystem::path& path);

/// Checks an already parsed document (as read_run_report, `source` names it in errors).
void validate_run_report(const nlohmann::json& report, const std::string& source);

/// Writes the report as JSON, atomically.
void write_run_json(const std::filesystem::path& path, const nlohmann::json& report);

/// Writes the report's tables as CSV files into `dir` (created if missing), each atomically:
/// layers.csv, layer_steps.csv, projections.csv, projection_steps.csv, energy.csv,
/// energy_layers.csv and, with per-image counters, images.csv. Returns the files written.
std::vector<std::filesystem::path> write_run_csv(const std::filesystem::path& dir, const nlohmann::json& report);

}  // namespace snnsim::report
