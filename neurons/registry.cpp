// SPDX-License-Identifier: MIT
#include "neurons/registry.hpp"

#include "neurons/cuba_lif_exact.hpp"
#include "neurons/if_neuron.hpp"
#include "neurons/leaky_integrator.hpp"
#include "neurons/lif.hpp"
#include "neurons/loihi_cuba.hpp"

namespace snnsim::neurons {

void register_builtin_neurons(sim::NeuronRegistry& registry) {
  registry.add(std::make_unique<CubaLifExact>());
  registry.add(std::make_unique<IfNeuron>());
  registry.add(std::make_unique<LeakyIntegrator>());
  registry.add(std::make_unique<Lif>());
  registry.add(std::make_unique<LoihiCuba>());
}

}  // namespace snnsim::neurons
