// SPDX-License-Identifier: MIT
#pragma once
/// Runs one trial of a network on cpu_event with full rasters and spikes per neuron, for tests.
#include <string>

#include "models/network_io.hpp"
#include "tests/support/registries.hpp"

namespace snnsim::test {

inline sim::TrialRecord simulate_one_trial(const sim::Network& net, const sim::Stimulus& stimulus, int threads) {
  sim::BackendOptions options;
  options.settings["threads"] = std::to_string(threads);
  const auto compiled = registries().backends.get("cpu_event", "test", "backend").compile(net, options);
  const auto ws = compiled->make_workspace();
  sim::RecordOptions record_options;
  record_options.raster = true;
  record_options.neuron_counts = true;
  sim::TrialRecord record;
  record.reset(net, record_options);
  compiled->run_trial(*ws, stimulus, record_options, record);
  return record;
}

inline sim::TrialRecord simulate_one_trial(const models::ImportedNetwork& n, int threads) {
  return simulate_one_trial(*n.network, n.stimulus, threads);
}

}  // namespace snnsim::test
