// SPDX-License-Identifier: MIT
#pragma once
/// The neuron-model interface. A NeuronModel (registry entry) validates parameters into a
/// NeuronDynamics (one population's constants, immutable, shared by all threads), which makes
/// per-trial NeuronPopulationState objects that the backends step once per time step.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sim/registry.hpp"
#include "sim/time.hpp"

namespace snnsim::sim {

/// One parameter of a neuron model: name, unit, allowed range and default.
struct ParamSpec {
  std::string name;
  std::string unit;  // "" for dimensionless
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_inclusive = true;
  double default_value = std::numeric_limits<double>::quiet_NaN();  // NaN: required
  std::string doc;
};

using ParamValues = std::map<std::string, double, std::less<>>;

/// Per-neuron initial values of state variables, by variable name (e.g. "v").
using InitialState = std::map<std::string, std::vector<double>, std::less<>>;

/// An input port of a population: where projections deliver. A current port is cleared by the
/// model after every step (an input current); a persistent port is a state variable that
/// deliveries add into (e.g. a synaptic conductance that then decays).
struct PortSpec {
  std::string name;
  bool persistent = false;
};

/// The state of one population during one trial, in the model's precision.
template <class Real>
class NeuronPopulationState {
 public:
  virtual ~NeuronPopulationState() = default;
  /// Back to the initial state: every trial starts from it.
  virtual void reset() = 0;
  /// The buffer deliveries add into for input port `port` (size = population size).
  virtual std::span<Real> port(std::size_t port) = 0;
  /// Advances one time step from the port inputs; appends the indices of the neurons that fire,
  /// in ascending order, to `spikes`. Clears the current (non-persistent) ports.
  virtual void step(TimeStep t, std::vector<std::uint32_t>& spikes) = 0;
  /// Whether step_range() is available: engines that split one trial's population over threads
  /// step disjoint neuron ranges concurrently (neurons must be independent within a step).
  virtual bool can_step_range() const { return false; }
  /// step() restricted to neurons [begin, end); appends that range's spikes in ascending order.
  virtual void step_range(TimeStep /*t*/, std::size_t /*begin*/, std::size_t /*end*/,
                          std::vector<std::uint32_t>& /*spikes*/) {
    throw std::logic_error("this neuron model cannot step a range of neurons");
  }
  /// A state variable for probes and tests (empty span when the model has none of that name).
  virtual std::span<const Real> variable(std::string_view name) const = 0;
};

/// One population's validated parameters and derived constants.
class NeuronDynamics {
 public:
  virtual ~NeuronDynamics() = default;
  virtual Precision precision() const = 0;
  virtual std::span<const PortSpec> ports() const = 0;
  virtual std::unique_ptr<NeuronPopulationState<float>> make_state_f32(std::size_t /*n*/) const {
    return nullptr;
  }
  virtual std::unique_ptr<NeuronPopulationState<double>> make_state_f64(std::size_t /*n*/) const {
    return nullptr;
  }
};

template <class Real>
std::unique_ptr<NeuronPopulationState<Real>> make_state(const NeuronDynamics& d, std::size_t n) {
  if constexpr (std::is_same_v<Real, float>)
    return d.make_state_f32(n);
  else
    return d.make_state_f64(n);
}

/// A neuron model: a registry entry that turns parameters into dynamics.
class NeuronModel {
 public:
  virtual ~NeuronModel() = default;
  virtual std::string_view name() const = 0;
  /// One line for `snnsim list`.
  virtual std::string_view summary() const = 0;
  virtual std::span<const ParamSpec> params() const = 0;
  /// Validates `values` (unknown names, missing required values, values out of bounds) and
  /// returns the dynamics. `where` names the population for error messages (file: field path).
  virtual std::shared_ptr<const NeuronDynamics> instantiate(const ParamValues& values,
                                                            const InitialState& initial,
                                                            std::size_t size,
                                                            const std::string& source,
                                                            const std::string& where) const = 0;
};

using NeuronRegistry = Registry<NeuronModel>;

/// Checks `values` against `specs` and fills defaults: the shared part of every model's
/// instantiate(). Throws Error(source, where.param, expected, got).
ParamValues validate_params(std::span<const ParamSpec> specs, const ParamValues& values,
                            const std::string& source, const std::string& where);

}  // namespace snnsim::sim
