// SPDX-License-Identifier: MIT
#pragma once
/// The report options every simulating command shares (--json, --csv, --energy-table,
/// --rasters, --per-sample) and what they do after a run: build the "snnsim-run-v1"
/// document (sim/report), print the operation and energy summary, write JSON and CSV.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "sim/energy.hpp"
#include "sim/report/run_report.hpp"

namespace snnsim::tools {

struct ReportArgs {
  std::string json;                        ///< --json FILE
  std::string csv;                         ///< --csv DIR
  std::vector<std::string> energy_tables;  ///< --energy-table FILE (repeatable)
  std::size_t raster_images = 4;           ///< --rasters N
  bool per_image = false;                  ///< --per-sample
};

/// Registers the options on a run-like subcommand.
void add_report_options(CLI::App& app, ReportArgs& args);

/// The shipped tables (45 nm, Loihi 1) followed by the user's, read before the run so that a
/// bad table stops it before any work (Error naming file, field, expected, got).
std::vector<sim::EnergyTable> energy_tables(const ReportArgs& args);

report::CollectOptions collect_options(const ReportArgs& args);

/// This process's command line as one string (Linux /proc/self/cmdline), for the provenance.
std::string command_line();

/// Prints spikes, operations, sparsity and energy per image from a run report.
void print_ops_summary(const nlohmann::json& report);

/// Writes --json and --csv (each atomically). Call after every check has passed.
void write_report_outputs(const ReportArgs& args, const nlohmann::json& report);

}  // namespace snnsim::tools
