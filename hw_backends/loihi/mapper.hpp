// SPDX-License-Identifier: MIT
#pragma once
/// Mapping of a Program onto neurocores of one or more chips.
///
/// 1. Split: every compartment group is cut into the fewest equal contiguous slices for which
///    each slice fits a core: compartments, fan-in axons (distinct source neurons that reach
///    the slice) and synapse memory (nengo-loihi block.py SynapseConfig.bits_per_axon for the
///    dense format: per axon, blocks of up to 64 synapses of (weight bits + delay bits) plus
///    4 + 6 header bits, each block rounded up to 64-bit words; delay bits only for groups
///    with synaptic delays). Fan-out axons (one per source compartment and destination core)
///    are checked after the split. A slice of one compartment that still does not fit, or more
///    cores than `chips` x cores_per_chip, is an Error naming the layer, the limit, the value and
///    the limit's value.
/// 2. Place: cores form a Boost.Graph weighted by expected traffic (spike rate x fan-out
///    axons between them, rate 1 when unknown); reverse Cuthill-McKee ordering puts strongly
///    connected cores next to each other and the order is laid along a serpentine path over each
///    chip's tile mesh; then pairwise swaps that lower sum(traffic x Manhattan hops) are applied
///    until none helps. Chips are placed side by side along x.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "hw_backends/loihi/chip.hpp"
#include "hw_backends/loihi/program.hpp"

namespace snnsim::hw_backends::loihi {

struct CoreOccupancy {
  std::int64_t compartments = 0, fanin_axons = 0, fanout_axons = 0, synapse_bits = 0;
};

struct Core {
  std::size_t group = 0;          ///< the compartment group of its slice
  std::size_t first = 0, count = 0;
  std::int64_t chip = 0, tile_x = 0, tile_y = 0;  ///< tile_x is global (chip * tiles_x + x)
  std::int64_t slot = 0;          ///< position within its chip (0 .. cores_per_chip - 1)
  CoreOccupancy use;
};

struct Mapping {
  std::int64_t chips = 1;
  std::vector<Core> cores;
  std::vector<std::vector<std::uint32_t>> core_of;                    ///< [group][neuron]
  std::vector<std::vector<std::vector<std::uint32_t>>> fanout;        ///< [group][neuron]: destination cores
  std::vector<std::vector<std::vector<std::uint32_t>>> input_fanout;  ///< [input][neuron]: destination cores
  double placement_cost = 0;  ///< sum of expected traffic x hops after placement
  std::int64_t hops(std::uint32_t a, std::uint32_t b) const;
  bool same_tile(std::uint32_t a, std::uint32_t b) const;
};

/// (Re)places the cores of `m` for the traffic matrix w[source core][destination core]
/// (messages per step, or any weight), setting tile positions, slots and placement_cost.
void place(Mapping& m, const ChipSpec& chip, const std::vector<std::vector<double>>& w);

/// `rates`: expected spikes per step per compartment group (empty: 1 for each).
Mapping map_program(const Program& p, const ChipSpec& chip, std::int64_t chips, const std::vector<double>& rates);

}  // namespace snnsim::hw_backends::loihi
