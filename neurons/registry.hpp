// SPDX-License-Identifier: MIT
#pragma once
#include "sim/neuron_model.hpp"

namespace snnsim::neurons {

/// Adds every built-in neuron model to `registry` (one line per model in registry.cpp).
void register_builtin_neurons(sim::NeuronRegistry& registry);

}  // namespace snnsim::neurons
