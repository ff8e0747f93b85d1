// SPDX-License-Identifier: MIT
#pragma once
/// What every snnsim command shares: the registries of neuron models, layer kinds and backends
/// (built once in main, passed by reference: there is no global registry).
#include <string>

#include "layers/layer_kind.hpp"
#include "models/network_io.hpp"
#include "sim/backend.hpp"
#include "sim/neuron_model.hpp"

namespace snnsim::tools {

struct Registries {
  sim::NeuronRegistry neurons{"neuron model"};
  layers::LayerRegistry layers{"layer kind"};
  sim::BackendRegistry backends{"backend"};
  models::ImporterRegistry importers{"network format"};
  models::ExporterRegistry exporters{"export format"};
};

/// Registries with everything built into this binary.
Registries make_registries();

}  // namespace snnsim::tools
