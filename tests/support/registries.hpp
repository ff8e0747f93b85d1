// SPDX-License-Identifier: MIT
#pragma once
/// The built-in registries, as the CLI builds them, for tests.
#include "hw_backends/registry.hpp"
#include "layers/layer_kind.hpp"
#include "neurons/registry.hpp"

namespace snnsim::test {

struct TestRegistries {
  sim::NeuronRegistry neurons{"neuron model"};
  layers::LayerRegistry layers{"layer kind"};
  sim::BackendRegistry backends{"backend"};
  TestRegistries() {
    neurons::register_builtin_neurons(neurons);
    layers::register_builtin_layers(layers);
    hw_backends::register_builtin_backends(backends);
  }
};

/// One shared instance (registries are immutable after construction).
inline const TestRegistries& registries() {
  static const TestRegistries r;
  return r;
}

inline std::string shared_dir() { return std::string(SNNSIM_SOURCE_DIR) + "/../shared"; }
inline std::string golden_model() { return shared_dir() + "/golden/lmuformer_sfmnist.h5"; }
/// A network of ../shared/peers/brian2 (cuba.h5, ff.h5, ...).
inline std::string brian2_peer(const std::string& file) { return shared_dir() + "/peers/brian2/" + file; }

}  // namespace snnsim::test
