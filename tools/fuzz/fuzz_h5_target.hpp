// SPDX-License-Identifier: MIT
#pragma once
/// The two kinds of HDF5 fuzz target each HDF5 loader gets, chosen at compile time:
///  - raw (SNNSIM_FUZZ_STRUCTURED=0): the input bytes are the file. Mostly exercises libhdf5's
///    own parser; crashes inside libhdf5 are reported as such (tools/fuzz/README.md).
///  - structured (SNNSIM_FUZZ_STRUCTURED=1): the input is decoded by h5_builder into a
///    well-formed file with chosen groups, datasets, attributes, types, shapes and values.
/// A network that loads is then compiled and run for one trial on the two float backends with
/// zero inputs when it is small: the load must have produced a network the engine accepts or
/// refuses with an Error, and both backends must agree spike for spike.
#include <cstddef>
#include <cstdint>
#include <span>

#include "hw_backends/registry.hpp"
#include "neurons/registry.hpp"
#include "sim/backend.hpp"
#include "sim/hdf5/hdf5.hpp"
#include "sim/network.hpp"
#include "sim/record.hpp"
#include "tools/fuzz/fuzz_support.hpp"
#include "tools/fuzz/h5_builder.hpp"

#ifndef SNNSIM_FUZZ_STRUCTURED
#error "define SNNSIM_FUZZ_STRUCTURED to 0 (raw bytes) or 1 (decoded by h5_builder)"
#endif

namespace snnsim::fuzz {

struct Registries {
  sim::NeuronRegistry neurons{"neuron model"};
  sim::BackendRegistry backends{"backend"};
  Registries() {
    neurons::register_builtin_neurons(neurons);
    hw_backends::register_builtin_backends(backends);
  }
};

inline const Registries& registries() {
  static const Registries r;
  return r;
}

/// Work above which a loaded network is not simulated (fuzzing speed): neuron updates, and
/// synapses times steps (each synapse can carry one event a step). Declared but unwritten arrays
/// read as zeros, i.e. up to about a million synapses all from neuron 0: at 20,000 steps, far
/// beyond the fuzzer's time limit under ASan.
inline constexpr std::size_t kMaxSimulatedNeuronSteps = 20000;
inline constexpr std::size_t kMaxSimulatedSynapseSteps = 2000000;

inline bool small_enough_to_simulate(const sim::Network& net) {
  if (net.steps() < 1) return false;
  const auto steps = static_cast<std::size_t>(net.steps());
  std::size_t neurons = 0;  // every population's, inputs included
  for (sim::PopulationId p = 0; p < net.population_count(); ++p) neurons += net.population(p).size;
  return neurons <= kMaxSimulatedNeuronSteps / steps && net.synapse_count() <= kMaxSimulatedSynapseSteps / steps;
}

/// One trial with zero graded inputs and no input spikes (except fixed trains) on `backend`.
inline sim::TrialRecord simulate(const sim::Network& net, const sim::Backend& backend) {
  const auto compiled = backend.compile(net, {});
  const auto ws = compiled->make_workspace();
  sim::Stimulus stimulus;
  stimulus.resize(net.population_count());
  std::vector<std::vector<float>> zeros(net.population_count());
  static const sim::SpikeTrains no_spikes;
  for (sim::PopulationId p = 0; p < net.population_count(); ++p) {
    const sim::Population& pop = net.population(p);
    if (pop.kind != sim::PopulationKind::Input) continue;
    if (pop.graded) {
      zeros[p].assign(pop.size * static_cast<std::size_t>(net.steps()), 0.0f);
      stimulus.values[p] = zeros[p];
    } else if (!pop.fixed_spikes) {
      stimulus.spikes[p] = &no_spikes;
    }
  }
  sim::TrialRecord record;
  const sim::RecordOptions options;
  record.reset(net, options);
  compiled->run_trial(*ws, stimulus, options, record);
  return record;
}

inline void simulate_if_small(const sim::Network& net) {
  if (!small_enough_to_simulate(net)) return;
  const Registries& r = registries();
  const sim::TrialRecord event = simulate(net, r.backends.get("cpu_event", "fuzz", "backend"));
  const sim::TrialRecord dense = simulate(net, r.backends.get("dense_reference", "fuzz", "backend"));
  if (event.spike_counts != dense.spike_counts) __builtin_trap();  // the backends disagree
}

/// Writes the input as a file (raw bytes or decoded) and runs `load(path)` on it.
template <class Load>
int run_h5_target(const std::uint8_t* data, std::size_t size, Load&& load) {
  static const ScratchFile scratch("input.h5");
  if constexpr (SNNSIM_FUZZ_STRUCTURED) {
    if (!build_h5(std::span<const std::uint8_t>(data, size), scratch.path())) return 0;
  } else {
    scratch.write(data, size);
  }
  return expect_clean([&] { load(scratch.path()); });
}

}  // namespace snnsim::fuzz
