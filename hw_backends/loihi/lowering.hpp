// SPDX-License-Identifier: MIT
#pragma once
/// Lowering of a float sim::Network onto what a Loihi-class chip can hold: compartment groups
/// (one per Spiking population) fed by synapse groups from spike sources, with per-tap delays and
/// a per-compartment bias.
///
/// What is not a plain spiking layer gets composed away. The input of a LIF population is an
/// affine function of its projections; a projection may read an Analog population (a residual
/// stream, a BatchNorm, the LMU memory), which is itself an affine function of its own inputs.
/// Composing these functions down to the spike sources gives, for every spiking population X,
///     I_X(t) = bias_X + sum over (source S, offset o) of W[S, o] s_S(t + o),
/// i.e. multi-source synapse groups (one per source population, one tap per offset) and a bias.
///   - Identity (residual add) and an Analog's input affine (unfolded BatchNorm) scale and shift
///     the composed terms; a Conv1d from a spike source contributes one tap per kernel index at
///     offset first_offset + k (the LMU memory: 28 taps of one neuron, offsets -27..0; a K = 3
///     convolution reads offset +1, the look-ahead, which becomes delay on the chip).
///   - A graded Input (the pixels) stays a term of its own: on a chip with graded spikes it is a
///     synapse group fed by graded spikes (8-bit payload), otherwise the host computes it (MACs).
///   - Output populations (the head) are host readouts: float affine functions of spike sources.
/// Spiking populations must be "lif" (mapped, quantizer.hpp) or "loihi_cuba" (taken as given).
/// Not supported (compile() throws naming the projection): a Conv1d with taps off the present
/// step reading an Analog stream (its zero padding would not commute with the composition), a
/// Sparse projection from an Analog stream, a spiking population with a port other than 0.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "neurons/loihi_cuba.hpp"
#include "sim/network.hpp"

namespace snnsim::hw_backends::loihi {

/// A weighted sum of one source's outputs at several time offsets.
struct Taps {
  std::size_t out = 0, in = 0;
  std::map<int, std::vector<double>> weight;  ///< offset -> [out][in]
};

/// An affine function of spike sources: bias + sum of taps, keyed by source population.
struct Composed {
  std::size_t size = 0;
  std::vector<double> bias;  ///< [size]
  std::map<sim::PopulationId, Taps> terms;
};

/// The float LIF a compartment group stands for (spikingjelly, hard reset to 0).
struct LifSpec {
  double tau = 2.0, v_threshold = 1.0;
  bool decay_input = true;
};

struct LoweredGroup {
  sim::PopulationId population = 0;
  std::string name, layer;
  std::size_t size = 0;
  LifSpec lif;
  /// A loihi_cuba population: its integer parameters are used as given and its weights are
  /// taken in activation units (the mantissa x 2^exponent Lava's Dense delivers).
  std::optional<neurons::CubaPopulationParams> native;
  Composed input;  ///< composed input current I (after the population's input affine)
};

struct LoweredReadout {
  sim::PopulationId population = 0;
  std::size_t output = 0;  ///< index in Network::outputs()
  Composed value;
};

struct LoweredNetwork {
  std::vector<LoweredGroup> groups;      ///< spiking populations in network order
  std::vector<LoweredReadout> readouts;  ///< host readouts (network outputs)
  std::vector<sim::PopulationId> spike_inputs, graded_inputs;
  std::map<sim::PopulationId, std::string> input_names;
  sim::TimeStep steps = 0;
};

/// Composes `net` as described above; throws Error(source, projection or population, ...).
LoweredNetwork lower(const sim::Network& net, const std::string& source);

}  // namespace snnsim::hw_backends::loihi
