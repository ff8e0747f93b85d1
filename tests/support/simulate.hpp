// SPDX-License-Identifier: MIT
#pragma once
/// Runs one trial of an imported network on cpu_event with full rasters, for tests.
#include <string>

#include "models/network_io.hpp"
#include "tests/support/registries.hpp"

namespace snnsim::test {

inline sim::TrialRecord simulate_one_trial(const models::ImportedNetwork& n, int threads) {
  sim::BackendOptions options;
  options.settings["threads"] = std::to_string(threads);
  const auto compiled = registries().backends.get("cpu_event", "test", "backend").compile(*n.network, options);
  const auto ws = compiled->make_workspace();
  sim::RecordOptions record_options;
  record_options.raster = true;
  sim::TrialRecord record;
  record.reset(*n.network, record_options);
  compiled->run_trial(*ws, n.stimulus, record_options, record);
  return record;
}

}  // namespace snnsim::test
