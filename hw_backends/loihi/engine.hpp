// SPDX-License-Identifier: MIT
#pragma once
/// The event-driven Loihi engine: runs a Program as the chip does. Each synapse group owns a ring
/// of dendritic accumulators, one slot per future step (max delay + 1 slots); a spike (or graded
/// payload) adds its fan-out row once per tap into the slot of its arrival step; at each step
/// every compartment group in its window reads and clears its slot, applies the weight exponents
/// and steps its compartments (neurons/loihi_cuba.hpp). Only events cost work.
///
/// While it runs it counts what the chip would do, per neurocore of the Mapping: synaptic ops
/// (one per stored synapse read: dense rows, zeros included), compartment updates (active: a
/// non-zero input or state; inactive: the rest of the configured compartments), spike messages
/// per (source core, destination core) pair with their mesh hops (east-west, north-south) or
/// in-tile delivery, host messages and host MACs (graded inputs on a chip without graded spikes).
/// The per-step latency estimate is max over cores of (synops x t_synop + updates x t_update) +
/// the longest message path + the barrier synchronisation of the tiles in use; it is kept in
/// integer picoseconds so that totals do not depend on how trials are spread over threads.
#include <cstdint>
#include <memory>
#include <vector>

#include "hw_backends/loihi/chip.hpp"
#include "hw_backends/loihi/mapper.hpp"
#include "hw_backends/loihi/trial.hpp"

namespace snnsim::hw_backends::loihi {

/// Integer totals of one or many trials (added with +=).
struct Activity {
  std::vector<std::int64_t> pair_messages;  ///< [source core * cores + destination core]
  std::vector<std::int64_t> core_synops, core_updates_active, core_updates_inactive;
  std::int64_t synops = 0, updates_active = 0, updates_inactive = 0;
  std::int64_t messages = 0, messages_in_tile = 0, hops_ew = 0, hops_ns = 0, chip_crossings = 0;
  std::int64_t host_messages = 0, host_macs = 0;
  std::int64_t steps = 0;                       ///< chip steps simulated (trials x ticks)
  std::int64_t latency_ps = 0, latency_max_ps = 0;
  void reset(std::size_t cores);
  Activity& operator+=(const Activity& o);
};

/// What the engine needs from the chip file, in integer picoseconds.
struct EngineCosts {
  std::int64_t synop_ps = 0, update_active_ps = 0, update_inactive_ps = 0;
  std::int64_t in_tile_ps = 0, hop_ew_ps = 0, hop_ns_ps = 0;
  std::vector<std::int64_t> barrier_ps;  ///< by number of tiles in use (index 0 unused)
  bool graded_on_chip = true;
  static EngineCosts from(const ChipSpec& chip, const Mapping& m);
};

class EventEngine {
 public:
  EventEngine(const Program& p, const Mapping& m, EngineCosts costs);

  struct Workspace {
    std::vector<std::vector<std::int64_t>> u, v;     ///< [group][n]
    std::vector<std::vector<std::int64_t>> ring;     ///< [synapse group][slot * out + o]
    std::vector<std::int64_t> step_time_ps;          ///< [core] this step
    std::vector<std::uint32_t> fired;
  };
  std::unique_ptr<Workspace> make_workspace() const;

  /// One trial from the initial state; `activity` (may be null) gets the counts added.
  void run(Workspace& ws, const TrialInput& input, TrialOutput& out, Activity* activity) const;

 private:
  /// Source neuron i of synapse group s sends `value` (1 for a spike, the payload if graded) at tau.
  void deliver(Workspace& ws, std::size_t s, std::size_t i, std::int64_t value, sim::TimeStep tau,
               TrialOutput& out, Activity* act) const;
  void send_messages(std::uint32_t src_core, const std::vector<std::uint32_t>& dest, Activity* act,
                     std::int64_t& longest_ps) const;

  const Program* p_;
  const Mapping* m_;
  EngineCosts costs_;
  std::size_t slots_ = 2;
  std::vector<std::vector<std::size_t>> outgoing_;  ///< [group]: synapse groups it feeds
  std::vector<std::vector<std::size_t>> input_outgoing_;
  /// [synapse group]: (core, compartments of the target slice on it)
  std::vector<std::vector<std::pair<std::uint32_t, std::int64_t>>> target_cores_;
  std::vector<std::int64_t> tile_count_;  ///< distinct tiles in use
};

}  // namespace snnsim::hw_backends::loihi
