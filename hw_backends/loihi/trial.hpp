// SPDX-License-Identifier: MIT
#pragma once
/// One trial's inputs and results of a Program, shared by the event-driven engine and the
/// time-stepped integer reference so that their outputs compare element by element.
#include <cstdint>
#include <vector>

#include "hw_backends/loihi/program.hpp"
#include "sim/backend.hpp"

namespace snnsim::hw_backends::loihi {

struct TrialInput {
  std::vector<std::vector<std::vector<std::uint32_t>>> spikes;  ///< [input][t]: neurons, spike inputs
  std::vector<std::vector<std::int64_t>> payload;               ///< [input][t * size + i], graded inputs
};

/// Builds the program's inputs from a sim::Stimulus (graded values -> payloads).
void make_trial_input(const Program& p, const sim::Network& net, const sim::Stimulus& stimulus, TrialInput& out);

struct TrialOutput {
  std::vector<std::vector<std::vector<std::uint32_t>>> spikes;  ///< [group][t]: neurons that fired (ascending)
  bool trace = false;                                           ///< fill u and v below
  std::vector<std::vector<std::int64_t>> u, v;                  ///< [group][t * size + n] after the update
  std::vector<std::vector<std::int64_t>> synops;  ///< [group][t]: synaptic ops into it (event engine only)
  void reset(const Program& p, bool with_trace);
  /// Spikes and integer states (the counters are not part of the comparison).
  bool same_states(const TrialOutput& o) const { return spikes == o.spikes && u == o.u && v == o.v; }
};

}  // namespace snnsim::hw_backends::loihi
