// SPDX-License-Identifier: MIT
#pragma once
/// Small helpers shared by the float64 point-neuron models (if, leaky_integrator): the initial
/// membrane values and the dt checks, with the error messages of every model alike.
#include <cstddef>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sim/error.hpp"
#include "sim/neuron_model.hpp"

namespace snnsim::neurons {

/// Initial "v" (one value per neuron), or `fallback` for all; anything else is an Error.
inline std::vector<double> initial_v(const sim::InitialState& initial, std::size_t size, double fallback,
                                     const std::string& source, const std::string& where) {
  std::vector<double> v(size, fallback);
  for (const auto& [name, values] : initial) {
    if (name != "v") throw Error(source, where + ".initial", "initial values of 'v' only", "'" + name + "'");
    if (values.size() != size)
      throw Error(source, where + ".initial.v", fmt::format("{} values (one per neuron)", size),
                  fmt::format("{}", values.size()));
    v = values;
  }
  return v;
}

/// Refractory period in steps (Brian2's timestep rounding); 0 or >= dt and at most 2^31 steps
/// (found by fuzz_experiment: 8.9e37 ms overflowed the 64-bit step count), else an Error.
inline std::int64_t refractory_steps(double refractory, double dt, const std::string& source, const std::string& where) {
  if (refractory != 0.0 && refractory < dt)
    throw Error(source, where + ".refractory", fmt::format("0 or a period of at least dt = {:g} s", dt),
                fmt::format("{:g} s", refractory));
  const double steps = (refractory + 1e-3 * dt) / dt;
  if (!(steps < 2147483648.0))
    throw Error(source, where + ".refractory", fmt::format("a period of at most 2^31 time steps of dt = {:g} s", dt),
                fmt::format("{:g} s", refractory));
  return static_cast<std::int64_t>(steps);
}

}  // namespace snnsim::neurons
