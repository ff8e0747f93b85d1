// SPDX-License-Identifier: MIT
// snnsim: the command-line front end. Every error is one line on stderr and exit status 2.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <map>

#include "hw_backends/registry.hpp"
#include "neurons/registry.hpp"
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
  auto add = [&](auto adder, const char* name, const char* help) {
    CLI::App* sub = app.add_subcommand(name, help);
    commands[sub] = adder(*sub, registries);
  };
  add(tools::add_run_command, "run", "simulate a model on a dataset and print accuracy, spikes and ops");
  add(tools::add_verify_command, "verify", "compare a model file's own /golden outputs with the simulation");
  add(tools::add_export_command, "export", "write a model or network file as NIR or Lava-dl NetX (neuromorphic toolchains)");
  add(tools::add_bench_command, "bench", "time a network file: wall s per simulated s, synaptic events/s, peak memory");
  add(tools::add_list_command, "list", "list neuron models, layer kinds and backends");
  add(tools::add_report_command, "report", "render a run report (snnsim run --json) as a self-contained HTML page");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    std::cout << app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::CallForVersion&) {
    std::cout << SNNSIM_VERSION << "\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    std::cerr << "snnsim: " << e.what() << " (see snnsim --help)\n";
    return 2;
  }
  try {
    if (!max_memory.empty()) {
      // The loaders read the limit from the environment (sim/memory_limit.hpp).
      sim::parse_memory_size(max_memory, "command line", "--max-memory");
      ::setenv(sim::memory_limit_variable, max_memory.c_str(), 1);
    }
    for (CLI::App* sub : app.get_subcommands()) return commands.at(sub)();
  } catch (const Error& e) {
    std::cerr << "snnsim: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "snnsim: internal error: " << e.what() << "\n";
    return 3;
  }
  return 0;
}
