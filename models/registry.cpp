// SPDX-License-Identifier: MIT
#include "models/network_io.hpp"

#include "models/netx/netx.hpp"
#include "models/nir/nir.hpp"

#include "models/brian2/brian2_h5.hpp"
#include "models/experiment/experiment.hpp"
#include "sim/error.hpp"

namespace snnsim::models {

void register_builtin_importers(ImporterRegistry& registry) {
  // One line per importer.
  registry.add(std::make_unique<Brian2H5Importer>());
  registry.add(std::make_unique<ExperimentImporter>());
  registry.add(std::make_unique<NirImporter>());
}

void register_builtin_exporters(ExporterRegistry& registry) {
  registry.add(std::make_unique<NetxExporter>());
  registry.add(std::make_unique<NirExporter>());
  // One line per exporter, e.g. registry.add(std::make_unique<NirExporter>());
}

const NetworkImporter& importer_for(const ImporterRegistry& registry, const std::filesystem::path& path) {
  for (const NetworkImporter* i : registry.entries())
    if (i->accepts(path)) return *i;
  if (!std::filesystem::exists(path)) throw Error(path.string(), "", "a network file", "no such file");
  throw Error(path.string(), "", "a network file in one of the formats " + registry.joined_names(),
              "a file none of them reads");
}

}  // namespace snnsim::models
