// SPDX-License-Identifier: MIT
#pragma once
/// A layer kind: a registry entry that can lower an example of itself, with random tensors, after
/// a given population. `snnsim list` prints the kinds; the conformance suite runs every backend on
/// every kind's example against dense_reference.
#include <string>
#include <string_view>

#include "layers/build_context.hpp"
#include "layers/random_tensors.hpp"
#include "sim/registry.hpp"

namespace snnsim::layers {

class LayerKind {
 public:
  virtual ~LayerKind() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view summary() const = 0;
  /// Lowers a small instance after `input`, its tensors named under `prefix` and drawn from
  /// `tensors` (which must be ctx.weights; examples declare shapes they query). Returns its output.
  virtual sim::PopulationId build_example(BuildContext& ctx, RandomTensors& tensors, const std::string& prefix,
                                          sim::PopulationId input) const = 0;
};

using LayerRegistry = sim::Registry<LayerKind>;

/// Adds every built-in layer kind (one line each in registry.cpp).
void register_builtin_layers(LayerRegistry& registry);

}  // namespace snnsim::layers
