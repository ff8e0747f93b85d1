// SPDX-License-Identifier: MIT
#include "neurons/registry.hpp"

#include "neurons/lif.hpp"

namespace snnsim::neurons {

void register_builtin_neurons(sim::NeuronRegistry& registry) {
  registry.add(std::make_unique<Lif>());
}

}  // namespace snnsim::neurons
