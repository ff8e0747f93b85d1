// SPDX-License-Identifier: MIT
#pragma once
/// The network graph every backend compiles: populations (vertices) joined by projections
/// (edges), held in a Boost.Graph adjacency_list. Model importers build it; backends read it.
///
/// Time semantics, shared by all backends. A projection delivers into its target's port at
/// target time t from source outputs at source times s = t + offset (Conv1d: offset = first_offset
/// + k for tap k; Identity: 0; Sparse: -delay). A negative offset reads the past (a delay or a
/// causal filter); a positive offset reads the future (the non-causal look-ahead of a centred
/// K = 3 convolution). Source times outside [0, steps) contribute nothing (zero padding).
///
/// Summation order, also shared by all backends, so that they agree bit for bit: a target port
/// at time t receives its projections in the order they were connected; within a projection the
/// bias first, then taps in ascending k (ascending source time), then source neurons in ascending
/// index, then (Sparse) synapses in the order given.
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "sim/neuron_model.hpp"
#include "sim/time.hpp"

namespace snnsim::sim {

enum class PopulationKind {
  Input,    ///< values or spikes given from outside (per trial) or fixed spike trains
  Analog,   ///< a real-valued stream: the (affine-transformed) sum of its inputs, no neurons
  Spiking,  ///< neurons of a registered model
};

const char* to_string(PopulationKind k);

/// y = x * scale + shift per channel (an eval-mode BatchNorm that could not be folded).
struct Affine {
  std::vector<double> scale, shift;
};

/// Spike trains sorted by step, then neuron.
struct SpikeTrains {
  std::vector<std::uint32_t> neuron;
  std::vector<TimeStep> step;
};

/// Spike trains from (neuron, step) pairs in any order (already range-checked by the caller);
/// pairs of the same step and neuron keep their given order.
SpikeTrains sorted_spike_trains(const std::vector<std::int64_t>& neuron, const std::vector<std::int64_t>& step);

struct Population {
  std::string name;
  std::size_t size = 0;
  PopulationKind kind = PopulationKind::Analog;
  /// Input only: true when the trial supplies real values (graded, e.g. pixels), false for spikes.
  bool graded = false;
  /// Input only: fixed spike trains that are part of the network (a spike source).
  std::optional<SpikeTrains> fixed_spikes;
  /// Spiking only: the registered model, its parameters and the validated dynamics.
  std::string neuron_model;
  ParamValues params;
  InitialState initial;
  std::shared_ptr<const NeuronDynamics> dynamics;
  /// Analog and Spiking: applied to port 0's summed input before the neurons see it.
  std::optional<Affine> input_affine;
  /// The layer this population belongs to, for reports (e.g. "patch_embed").
  std::string layer;
};

/// A dense temporal convolution (cross-correlation as in PyTorch): Linear is kernel = 1,
/// first_offset = 0; a centred K = 3 convolution has first_offset = -1; a causal filter of
/// length K has first_offset = -(K - 1). Tap k reads source time t + first_offset + k.
struct Conv1d {
  std::size_t out = 0, in = 0, kernel = 1;
  int first_offset = 0;
  std::vector<double> weight;  ///< [out][in][kernel], row-major
  std::vector<double> bias;    ///< empty or [out]
};

/// Adds the source's values channel by channel (a residual connection). Sizes must match.
struct Identity {};

/// Longest synaptic delay a network may hold, in time steps: far beyond any real network; a
/// delay and its negation fit an int (Conv1d offsets, Loihi taps) and sums of them a TimeStep.
inline constexpr TimeStep kMaxDelaySteps = std::numeric_limits<std::int32_t>::max();

/// Explicit synapses with one delay: a spike of source neuron source[j] at step s adds weight[j]
/// to target[j]'s port at step s + delay.
struct Sparse {
  std::vector<std::uint32_t> source, target;
  std::vector<double> weight;
  TimeStep delay = 1;
};

using Connectivity = std::variant<Conv1d, Identity, Sparse>;

struct Projection {
  std::string name;
  std::size_t port = 0;
  Connectivity connectivity;
  std::size_t index = 0;  ///< connection order (set by Network::connect)
};

/// Smallest and largest source-time offset a projection reads.
TimeStep min_offset(const Projection& p);
TimeStep max_offset(const Projection& p);

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, Population,
                                    Projection>;
using PopulationId = std::size_t;

/// A population whose per-step values are the model's output, and how they are read out.
struct Output {
  PopulationId population = 0;
  std::string name;  ///< e.g. "logits"
};

struct EdgeRef {
  PopulationId source = 0, target = 0;
  const Projection* projection = nullptr;
};

class Network {
 public:
  Network(std::string name, TimeStep steps, Precision precision)
      : name_(std::move(name)), steps_(steps), precision_(precision) {}

  PopulationId add_population(Population p);
  /// Connects source -> target; checks sizes against the connectivity (logic errors: importers
  /// validate their files before building).
  void connect(PopulationId source, PopulationId target, Projection p);
  void add_output(PopulationId population, std::string name) {
    outputs_.push_back({population, std::move(name)});
  }

  const std::string& name() const { return name_; }
  TimeStep steps() const { return steps_; }
  Precision precision() const { return precision_; }
  std::size_t population_count() const { return boost::num_vertices(graph_); }
  std::size_t projection_count() const { return boost::num_edges(graph_); }
  const Population& population(PopulationId id) const { return graph_[id]; }
  std::optional<PopulationId> find(std::string_view name) const;
  /// Incoming projections of `target` in connection order.
  std::vector<EdgeRef> incoming(PopulationId target) const;
  std::vector<EdgeRef> outgoing(PopulationId source) const;
  /// Every projection in connection order.
  std::vector<EdgeRef> projections() const;
  const std::vector<Output>& outputs() const { return outputs_; }
  const Graph& graph() const { return graph_; }
  /// Total neurons in spiking populations.
  std::size_t neuron_count() const;
  /// Total synapses: a sparse projection's, one per weight of a convolution (a weight per tap),
  /// one per channel of an identity.
  std::size_t synapse_count() const;

 private:
  std::string name_;
  TimeStep steps_;
  Precision precision_;
  Graph graph_;
  std::vector<Output> outputs_;
  std::size_t next_edge_index_ = 0;
};

/// When each population is computed. Tick tau computes population p at its time t = tau - lag[p]
/// (for 0 <= t < steps), populations in `order` within a tick. Lags absorb look-ahead: a
/// population that reads one step into its source's future runs one tick behind it.
struct Schedule {
  std::vector<PopulationId> order;
  std::vector<TimeStep> lag;
  /// How many past output steps each population must keep for its readers (at most all steps).
  std::vector<TimeStep> history;
  TimeStep ticks = 0;
  TimeStep max_lag = 0;
  /// The most ticks an engine may compute population by population (each population over the
  /// whole window, in `order`, before the next) with the same results as tick by tick: every
  /// projection that reads a population at or after its target in `order` (a recurrent or
  /// feedback edge) reads only ticks before the window. `ticks` when there is no such edge.
  TimeStep max_window = 1;
};

/// Orders the graph (Boost topological sort over the projections that read the present or
/// future), assigns lags and history depths. Throws Error naming the populations of a cycle
/// that has no delay, or a delayed projection that would read a value not yet computed.
Schedule make_schedule(const Network& net);

}  // namespace snnsim::sim
