// SPDX-License-Identifier: MIT
#pragma once
/// The quantised network a Loihi-class chip runs: integer compartment groups and synapse groups
/// with per-tap delays. Both the event-driven backend (engine.hpp) and the time-stepped integer
/// reference (reference.hpp) execute exactly this, with these rules:
///   - chip time tau = 0, 1, ..., steps + max_lag - 1. Compartment group X computes its
///     population's time t = tau - lag_X, and only while 0 <= t < steps (outside that window it
///     neither integrates nor fires: the host enables its core at tau = lag_X).
///   - a spike (or graded payload) emitted at tau by the source of synapse group g reaches g's
///     dendritic accumulator of tap k at tau + delay_k (delay_k >= 1: Lava's Dense one-step
///     delay plus delay_k - 1 steps of synaptic delay).
///   - at tau, each group's accumulated sum (int64, taps and sources in any order: integer sums
///     commute) is scaled by its weight exponent (synapse_format.hpp apply_weight_exp); the
///     compartment's activation is the sum over its synapse groups; then neurons/loihi_cuba.hpp
///     cuba_step.
///   - graded sources (pixels) send an integer payload; the synapse adds payload x weight.
///   - spike and graded inputs emit their step t at tau = t (lag 0).
#include <cstdint>
#include <string>
#include <vector>

#include "neurons/loihi_cuba.hpp"
#include "sim/network.hpp"

namespace snnsim::hw_backends::loihi {

enum class SourceKind { Compartments, SpikeInput, GradedInput };

struct SourceRef {
  SourceKind kind = SourceKind::Compartments;
  std::size_t index = 0;  ///< into Program::groups or Program::inputs
};

/// Quantisation record of one synapse group (weights relative to the group's largest |w|).
struct QuantStats {
  double scale = 0.0;        ///< largest |float weight| in the group
  double max_rel_error = 0.0, rms_rel_error = 0.0;
  std::int64_t clipped = 0;  ///< weights that hit the mantissa limits
  std::int64_t zeroed = 0;   ///< non-zero float weights that became 0
  std::size_t weights = 0;
};

struct SynapseGroup {
  std::string name;  ///< "target <- source"
  SourceRef source;
  std::size_t target = 0;           ///< into Program::groups
  std::size_t in = 0, out = 0;
  std::vector<int> delay;           ///< per tap, >= 1
  std::vector<int> offset;          ///< per tap: the float model's time offset it stands for
  std::vector<std::int64_t> weight; ///< [tap][in][out]: effective integer weights (Lava semantics)
  int weight_exp = 0;
  int weight_bits = 8;
  QuantStats stats;
  const std::int64_t* row(std::size_t k, std::size_t i) const { return weight.data() + (k * in + i) * out; }
};

struct CompartmentGroup {
  std::string name, layer;
  sim::PopulationId population = 0;
  std::size_t size = 0;
  neurons::CubaConstants cuba;
  std::vector<std::int64_t> bias_mant, bias_exp;  ///< per compartment
  sim::TimeStep lag = 0;
  std::vector<std::size_t> synapses;  ///< incoming synapse groups, in order
  /// How the float LIF maps: v = sigma * H (H the spikingjelly membrane), vth << 6 = sigma * V_th.
  double sigma = 0.0;
  double v_threshold = 1.0;
  std::int64_t bias_clipped = 0;
};

struct ProgramInput {
  std::string name;
  sim::PopulationId population = 0;
  std::size_t size = 0;
  bool graded = false;
  int payload_max = 255;  ///< graded: payload = round(value * payload_max), clamped to [0, payload_max]
};

struct Program {
  std::vector<CompartmentGroup> groups;
  std::vector<SynapseGroup> synapses;
  std::vector<ProgramInput> inputs;
  sim::TimeStep steps = 0, max_lag = 0, max_delay = 1;
  sim::TimeStep ticks() const { return steps + max_lag; }
};

/// The graded payload of a real value (pixel x in [0, 1] -> 0..payload_max), shared by the host
/// side of both engines.
inline std::int64_t graded_payload(float x, int payload_max) {
  const double p = static_cast<double>(x) * payload_max;
  if (!(p > 0.0)) return 0;
  if (p >= payload_max) return payload_max;
  return static_cast<std::int64_t>(p + 0.5);
}

}  // namespace snnsim::hw_backends::loihi
