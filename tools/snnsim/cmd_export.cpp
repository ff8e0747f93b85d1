// SPDX-License-Identifier: MIT
// `snnsim export`: writes a model (LMUFormer file) or a network file in a neuromorphic
// toolchain's format (NIR, Lava-dl NetX) through the exporter registry.
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "models/lmuformer/lmuformer.hpp"
#include "sim/atomic_file.hpp"
#include "sim/error.hpp"
#include "tools/snnsim/commands.hpp"

namespace snnsim::tools {

namespace {

struct ExportArgs {
  std::string format;
  std::string model = SNNSIM_DEFAULT_MODEL;
  std::string network;
  std::string output;
  std::vector<std::string> settings;  ///< KEY=VALUE, passed to the exporter
};

models::ExportOptions export_options(const ExportArgs& args) {
  models::ExportOptions options;
  for (const std::string& kv : args.settings) {
    const std::size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      throw Error("snnsim export", "--set", "KEY=VALUE", "'" + kv + "'");
    options.settings[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return options;
}

int run_export(const ExportArgs& args, const Registries& registries) {
  const models::Exporter& exporter = registries.exporters.get(args.format, "snnsim export", "--format");
  const models::ExportOptions options = export_options(args);
  const std::filesystem::path inputs[] = {args.network.empty() ? args.model : args.network};
  ensure_not_input(args.output, inputs);
  std::unique_ptr<sim::Network> net;
  std::string from;
  if (!args.network.empty()) {
    models::ImportedNetwork imported =
        models::importer_for(registries.importers, args.network).load(args.network, registries.neurons);
    net = std::move(imported.network);
    from = args.network;
  } else {
    net = models::load_lmuformer(args.model, registries.neurons).network;
    from = args.model;
  }
  exporter.write(*net, args.output, options);
  std::cout << fmt::format("wrote {} ({} from {}: {} populations, {} projections)\n", args.output, exporter.name(),
                           from, net->population_count(), net->projection_count());
  return 0;
}

}  // namespace

Command add_export_command(CLI::App& app, const Registries& registries) {
  auto args = std::make_shared<ExportArgs>();
  app.add_option("--format", args->format, "export format: " + registries.exporters.joined_names())->required();
  CLI::Option* model = app.add_option("--model", args->model, "model file (golden HDF5 layout)")->capture_default_str();
  app.add_option("--network", args->network, "network file to export instead (any format `snnsim run --network` reads)")
      ->excludes(model);
  app.add_option("-o,--output", args->output, "file to write (atomically: nothing is left behind on an error)")->required();
  app.add_option("--set", args->settings, "exporter setting KEY=VALUE (nir: dt=SECONDS, default 0.001; netx: none)");
  app.footer("Refuses, naming the population or projection and the reason, what the format cannot express.");
  return [args, &registries] { return run_export(*args, registries); };
}

}  // namespace snnsim::tools
