// SPDX-License-Identifier: MIT
// snnsim: the command-line front end. Every error is one line on stderr and exit status 2.
// Under mpirun every rank runs this; rank 0 alone prints errors (sim/distributed.hpp).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "hw_backends/registry.hpp"
#include "neurons/registry.hpp"
#include "sim/distributed.hpp"
#include "sim/error.hpp"
#include "sim/memory_limit.hpp"
#include "tools/snnsim/commands.hpp"

namespace snnsim::tools {

Registries make_registries() {
  Registries r;
  neurons::register_builtin_neurons(r.neurons);
  layers::register_builtin_layers(r.layers);
  hw_backends::register_builtin_backends(r.backends);
  models::register_builtin_importers(r.importers);
  models::register_builtin_exporters(r.exporters);
  return r;
}

}  // namespace snnsim::tools

int main(int argc, char** argv) {
  using namespace snnsim;
  const sim::Launch launch = sim::launch_from_environment([](const char* name) { return std::getenv(name); });
  std::unique_ptr<sim::Communicator> comm;
  try {
    comm = std::make_unique<sim::Communicator>(launch);
  } catch (const Error& e) {  // MPI missing at run time: every rank knows it, rank 0 says it
    if (launch.rank == 0) std::cerr << "snnsim: " << e.what() << "\n";
    return 2;
  }
  const tools::Registries registries = tools::make_registries();
  CLI::App app{"snnsim " SNNSIM_VERSION
               ": event-driven spiking neural network simulator.\n"
               "Runs the spiking LMUFormer and generic SNNs on interchangeable backends, and reports\n"
               "accuracy, spikes, operation counts and energy."};
  app.require_subcommand(1);
  app.set_version_flag("--version", SNNSIM_VERSION);
  std::string max_memory;
  app.add_option("--max-memory", max_memory,
                 "refuse files whose declared sizes need more memory than this (e.g. 512M, 8G; default 4G or "
                 "the environment's SNNSIM_MAX_MEMORY); give it before the command");
  std::map<CLI::App*, tools::Command> commands;
  // The commands that take the communicator split their work over ranks; the others would only
  // repeat the same work on every rank, so mpirun with more than one rank refuses them.
  std::vector<std::string> distributed;
  auto add = [&](auto adder, const char* name, const char* help) {
    CLI::App* sub = app.add_subcommand(name, help);
    commands[sub] = adder(*sub, registries);
  };
  auto add_distributed = [&](auto adder, const char* name, const char* help) {
    CLI::App* sub = app.add_subcommand(name, help);
    commands[sub] = adder(*sub, registries, *comm);
    distributed.emplace_back(name);
  };
  add_distributed(tools::add_run_command, "run", "simulate a model on a dataset and print accuracy, spikes and ops");
  add(tools::add_verify_command, "verify", "compare a model file's own /golden outputs with the simulation");
  add(tools::add_export_command, "export", "write a model or network file as NIR or Lava-dl NetX (neuromorphic toolchains)");
  add_distributed(tools::add_bench_command, "bench", "time a network file: wall s per simulated s, synaptic events/s, peak memory");
  add(tools::add_list_command, "list", "list neuron models, layer kinds and backends");
  add(tools::add_report_command, "report", "render a run report (snnsim run --json) as a self-contained HTML page");
  try {
    // Parsing is agreed between ranks too (mpirun can give ranks different arguments).
    const bool done = comm->all_or_none([&] {
      try {
        app.parse(argc, argv);
      } catch (const CLI::CallForHelp&) {
        if (comm->root()) std::cout << app.help();
        return true;
      } catch (const CLI::CallForAllHelp&) {
        if (comm->root()) std::cout << app.help("", CLI::AppFormatMode::All);
        return true;
      } catch (const CLI::CallForVersion&) {
        if (comm->root()) std::cout << SNNSIM_VERSION << "\n";
        return true;
      } catch (const CLI::ParseError& e) {
        throw sim::Failure(2, std::string(e.what()) + " (see snnsim --help)");
      }
      const std::string command = app.get_subcommands().front()->get_name();
      if (comm->size() > 1 && std::ranges::find(distributed, command) == distributed.end())
        throw Error("mpirun", "command", fmt::format("{} with more than one rank", fmt::join(distributed, " or ")),
                    command);
      if (!max_memory.empty()) {
        // The loaders read the limit from the environment (sim/memory_limit.hpp).
        sim::parse_memory_size(max_memory, "command line", "--max-memory");
        ::setenv(sim::memory_limit_variable, max_memory.c_str(), 1);
      }
      return false;
    });
    if (done) return 0;
    for (CLI::App* sub : app.get_subcommands()) return commands.at(sub)();
  } catch (const sim::Failure& f) {
    // Agreed by every rank (Communicator::all_or_none): rank 0 prints it before anyone exits,
    // so that mpirun, which ends the job at the first non-zero exit, cannot cut the line off.
    if (comm->root()) std::cerr << "snnsim: " << f.what() << "\n";
    comm->barrier();
    return f.status();
  } catch (const Error& e) {
    std::cerr << "snnsim: " << e.what() << "\n";
    if (comm->size() > 1) comm->abort(2);  // outside an agreed phase: the other ranks may be waiting
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "snnsim: internal error: " << e.what() << "\n";
    if (comm->size() > 1) comm->abort(3);
    return 3;
  }
  return 0;
}
