// SPDX-License-Identifier: MIT
#pragma once
/// The snnsim subcommands. Each registers its options on a CLI11 subcommand and returns the
/// function that runs it (exit status: 0 success, 1 a check that failed, 2 bad input).
#include <functional>

#include <CLI/CLI.hpp>

#include "sim/distributed.hpp"
#include "tools/snnsim/app.hpp"

namespace snnsim::tools {

using Command = std::function<int()>;

/// run and bench take the communicator: under mpirun they split their work over the ranks.
Command add_run_command(CLI::App& app, const Registries& registries, const sim::Communicator& comm);
Command add_verify_command(CLI::App& app, const Registries& registries);
Command add_list_command(CLI::App& app, const Registries& registries);
Command add_export_command(CLI::App& app, const Registries& registries);
Command add_report_command(CLI::App& app, const Registries& registries);
Command add_bench_command(CLI::App& app, const Registries& registries, const sim::Communicator& comm);

}  // namespace snnsim::tools
