// SPDX-License-Identifier: MIT
#pragma once
/// What the time-stepped backends (cpu_event, dense_reference) share: the schedule, the
/// per-population history rings of outputs, neuron states, stimulus access and recording.
/// They differ only in how a projection delivers (sparse over spikes vs dense over all inputs).
#include <algorithm>
#include <bit>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "sim/backend.hpp"
#include "sim/cache_aligned.hpp"
#include "sim/error.hpp"
#include "sim/network.hpp"
#include "sim/record.hpp"

namespace snnsim::hw_backends {

/// Read-only facts about one population, fixed at compile time.
struct PopulationPlan {
  sim::PopulationId id = 0;
  sim::PopulationKind kind = sim::PopulationKind::Analog;
  std::size_t size = 0;
  bool graded = false;          ///< emits real values (analog, graded input) rather than spikes
  bool needs_nonzero = false;   ///< a projection reads it event by event: keep its non-zero list
  sim::TimeStep lag = 0, history = 1;
  int output = -1;              ///< index in Network::outputs(), or -1
  std::vector<double> affine_scale, affine_shift;
  std::vector<float> affine_scale_f32, affine_shift_f32;  ///< the same, rounded once for float engines
};

/// One population's outputs over (at least) its last `history` steps: spike lists, or real values
/// with the list of their non-zero entries. The ring has a power-of-two number of slots, so that
/// finding a step's slot, done several times per population and step, is a mask, not a division.
template <class Real>
struct History {
  std::size_t slots = 1;
  std::size_t size = 0;
  std::vector<std::vector<std::uint32_t>> events;  ///< [slot]: spiking neurons / non-zero channels
  sim::CacheAlignedVector<Real> values;            ///< [slot][size] for graded populations (read as rows)

  void init(sim::TimeStep history, std::size_t n, bool graded) {
    slots = std::bit_ceil(static_cast<std::size_t>(std::max<sim::TimeStep>(history, 1)));
    size = n;
    events.assign(slots, {});
    values.assign(graded ? slots * n : 0, Real(0));
  }
  /// t >= 0.
  std::size_t slot(sim::TimeStep t) const { return static_cast<std::size_t>(t) & (slots - 1); }
  std::span<const std::uint32_t> events_at(sim::TimeStep t) const { return events[slot(t)]; }
  std::span<const Real> values_at(sim::TimeStep t) const { return {values.data() + slot(t) * size, size}; }
  std::span<Real> values_slot(sim::TimeStep t) { return {values.data() + slot(t) * size, size}; }
};

/// The common compile-time plan: schedule plus population plans.
struct EnginePlan {
  sim::Schedule schedule;
  std::vector<PopulationPlan> populations;
  sim::TimeStep steps = 0;
};

EnginePlan make_engine_plan(const sim::Network& net);

/// Applies y = x * scale + shift in place (float order as PyTorch's eval BatchNorm: x * a + b);
/// nothing without an affine.
void apply_affine(const PopulationPlan& p, std::span<float> buf);
void apply_affine(const PopulationPlan& p, std::span<double> buf);

/// Appends the spikes of an input population at step t from sorted trains to `out`, advancing
/// `cursor` (split trials collect a batch of steps in one list).
inline void append_spikes_from_trains(const sim::SpikeTrains& trains, sim::TimeStep t, std::size_t& cursor,
                                      std::vector<std::uint32_t>& out) {
  while (cursor < trains.step.size() && trains.step[cursor] < t) ++cursor;
  while (cursor < trains.step.size() && trains.step[cursor] == t) out.push_back(trains.neuron[cursor++]);
}

/// The spikes of an input population at step t from sorted trains, advancing `cursor`.
inline void spikes_from_trains(const sim::SpikeTrains& trains, sim::TimeStep t, std::size_t& cursor,
                               std::vector<std::uint32_t>& out) {
  out.clear();
  append_spikes_from_trains(trains, t, cursor, out);
}

/// buf[target[k]] += weight[k] for k in [begin, end), in order (one synapse row of a spike).
template <class Real>
inline void add_synapses(Real* __restrict buf, const std::uint32_t* __restrict target, const Real* __restrict weight,
                         std::uint32_t begin, std::uint32_t end) {
  for (std::uint32_t k = begin; k < end; ++k) buf[target[k]] += weight[k];
}

/// The same row when every synapse has the same weight (Brian2's CUBA and ff: one weight per
/// projection): the same additions, a third of the memory traffic (no 8-byte weight per synapse).
template <class Real>
inline void add_synapses(Real* __restrict buf, const std::uint32_t* __restrict target, Real weight,
                         std::uint32_t begin, std::uint32_t end) {
  for (std::uint32_t k = begin; k < end; ++k) buf[target[k]] += weight;
}

/// One spike's synapse row, through the one-weight form when the projection has a single weight
/// (`uniform`: every weight bitwise weight[0]).
template <class Real>
inline void add_synapse_row(Real* buf, const std::uint32_t* target, const Real* weight, bool uniform,
                            std::uint32_t begin, std::uint32_t end) {
  if (uniform)
    add_synapses(buf, target, weight[0], begin, end);
  else
    add_synapses(buf, target, weight, begin, end);
}

/// Checks that `stimulus` gives every input population what it needs.
void check_stimulus(const sim::Network& net, const sim::Stimulus& stimulus);

}  // namespace snnsim::hw_backends
