// SPDX-License-Identifier: MIT
#include <iostream>

#include <fmt/format.h>

#include "tools/snnsim/commands.hpp"

namespace snnsim::tools {

Command add_list_command(CLI::App& app, const Registries& registries) {
  app.footer("Prints every registered neuron model (with its parameters), layer kind and backend.");
  return [&registries] {
    std::cout << "neuron models:\n";
    for (const sim::NeuronModel* m : registries.neurons.entries()) {
      std::cout << fmt::format("  {:<18} {}\n", m->name(), m->summary());
      for (const sim::ParamSpec& p : m->params())
        std::cout << fmt::format("      {:<16} {:<8} {}\n", p.name, p.unit, p.doc);
    }
    std::cout << "layer kinds:\n";
    for (const layers::LayerKind* k : registries.layers.entries())
      std::cout << fmt::format("  {:<18} {}\n", k->name(), k->summary());
    std::cout << "backends:\n";
    for (const sim::Backend* b : registries.backends.entries())
      std::cout << fmt::format("  {:<18} {}\n", b->name(), b->summary());
    return 0;
  };
}

}  // namespace snnsim::tools
