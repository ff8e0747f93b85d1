// SPDX-License-Identifier: MIT
#include "sim/network.hpp"

#include <algorithm>
#include <stdexcept>

#include <boost/graph/strong_components.hpp>
#include <boost/graph/topological_sort.hpp>

#include "sim/error.hpp"

namespace snnsim::sim {

const char* to_string(PopulationKind k) {
  switch (k) {
    case PopulationKind::Input: return "input";
    case PopulationKind::Analog: return "analog";
    case PopulationKind::Spiking: return "spiking";
  }
  return "?";
}

TimeStep min_offset(const Projection& p) {
  return std::visit(
      [](const auto& c) -> TimeStep {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, Conv1d>) return c.first_offset;
        if constexpr (std::is_same_v<C, Identity>) return 0;
        if constexpr (std::is_same_v<C, Sparse>) return -c.delay;
      },
      p.connectivity);
}

TimeStep max_offset(const Projection& p) {
  return std::visit(
      [](const auto& c) -> TimeStep {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, Conv1d>)
          return c.first_offset + static_cast<TimeStep>(c.kernel) - 1;
        if constexpr (std::is_same_v<C, Identity>) return 0;
        if constexpr (std::is_same_v<C, Sparse>) return -c.delay;
      },
      p.connectivity);
}

SpikeTrains sorted_spike_trains(const std::vector<std::int64_t>& neuron, const std::vector<std::int64_t>& step) {
  std::vector<std::size_t> order(neuron.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return step[a] != step[b] ? step[a] < step[b] : neuron[a] < neuron[b];
  });
  SpikeTrains trains;
  for (std::size_t k : order) {
    trains.neuron.push_back(static_cast<std::uint32_t>(neuron[k]));
    trains.step.push_back(step[k]);
  }
  return trains;
}

PopulationId Network::add_population(Population p) {
  if (p.name.empty() || find(p.name)) throw std::logic_error("population name empty or taken: " + p.name);
  if (p.kind == PopulationKind::Spiking && !p.dynamics)
    throw std::logic_error("spiking population without dynamics: " + p.name);
  if (p.kind == PopulationKind::Spiking && p.dynamics->precision() != precision_)
    throw std::logic_error("population " + p.name + " is not in the network's precision");
  return boost::add_vertex(std::move(p), graph_);
}

void Network::connect(PopulationId source, PopulationId target, Projection p) {
  const Population& src = graph_[source];
  const Population& tgt = graph_[target];
  const std::string what = "projection " + p.name + " (" + src.name + " -> " + tgt.name + ")";
  std::visit(
      [&](const auto& c) {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, Conv1d>) {
          if (c.in != src.size || c.out != tgt.size || c.kernel == 0 ||
              c.weight.size() != c.out * c.in * c.kernel ||
              (!c.bias.empty() && c.bias.size() != c.out))
            throw std::logic_error(what + ": shape does not match the populations");
        } else if constexpr (std::is_same_v<C, Identity>) {
          if (src.size != tgt.size) throw std::logic_error(what + ": sizes differ");
        } else {
          if (c.source.size() != c.target.size() || c.source.size() != c.weight.size())
            throw std::logic_error(what + ": synapse arrays differ in length");
          if (c.delay < 1 || c.delay > kMaxDelaySteps) throw std::logic_error(what + ": delay out of range");
        }
      },
      p.connectivity);
  if (tgt.kind == PopulationKind::Input) throw std::logic_error(what + ": target is an input");
  std::size_t ports = tgt.kind == PopulationKind::Spiking ? tgt.dynamics->ports().size() : 1;
  if (p.port >= ports) throw std::logic_error(what + ": no such port");
  p.index = next_edge_index_++;
  boost::add_edge(source, target, std::move(p), graph_);
}

std::optional<PopulationId> Network::find(std::string_view name) const {
  for (PopulationId v = 0; v < population_count(); ++v)
    if (graph_[v].name == name) return v;
  return std::nullopt;
}

namespace {
void sort_by_index(std::vector<EdgeRef>& edges) {
  std::sort(edges.begin(), edges.end(),
            [](const EdgeRef& a, const EdgeRef& b) { return a.projection->index < b.projection->index; });
}
}  // namespace

std::vector<EdgeRef> Network::incoming(PopulationId target) const {
  std::vector<EdgeRef> out;
  for (auto [it, end] = boost::in_edges(target, graph_); it != end; ++it)
    out.push_back({boost::source(*it, graph_), target, &graph_[*it]});
  sort_by_index(out);
  return out;
}

std::vector<EdgeRef> Network::outgoing(PopulationId source) const {
  std::vector<EdgeRef> out;
  for (auto [it, end] = boost::out_edges(source, graph_); it != end; ++it)
    out.push_back({source, boost::target(*it, graph_), &graph_[*it]});
  sort_by_index(out);
  return out;
}

std::vector<EdgeRef> Network::projections() const {
  std::vector<EdgeRef> out;
  for (auto [it, end] = boost::edges(graph_); it != end; ++it)
    out.push_back({boost::source(*it, graph_), boost::target(*it, graph_), &graph_[*it]});
  sort_by_index(out);
  return out;
}

std::size_t Network::neuron_count() const {
  std::size_t n = 0;
  for (PopulationId v = 0; v < population_count(); ++v)
    if (graph_[v].kind == PopulationKind::Spiking) n += graph_[v].size;
  return n;
}

std::size_t Network::synapse_count() const {
  std::size_t n = 0;
  for (const EdgeRef& e : projections()) {
    if (const auto* sparse = std::get_if<Sparse>(&e.projection->connectivity))
      n += sparse->weight.size();
    else if (const auto* conv = std::get_if<Conv1d>(&e.projection->connectivity))
      n += conv->weight.size();
    else
      n += population(e.target).size;  // Identity
  }
  return n;
}

namespace {

using OrderGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

[[noreturn]] void throw_cycle(const Network& net, const OrderGraph& g) {
  std::vector<std::size_t> component(boost::num_vertices(g));
  boost::strong_components(g, component.data());
  std::vector<std::size_t> members(boost::num_vertices(g), 0);
  for (std::size_t c : component) ++members[c];
  std::string names;
  for (std::size_t v = 0; v < component.size(); ++v) {
    bool self_loop = boost::edge(v, v, g).second;
    if (members[component[v]] > 1 || self_loop) names += (names.empty() ? "" : ", ") + net.population(v).name;
  }
  throw Error("network " + net.name(), "projections", "every cycle to pass through a delay of at least one step",
              "a cycle without delay through " + names);
}

}  // namespace

Schedule make_schedule(const Network& net) {
  const std::size_t n = net.population_count();
  OrderGraph forward(n);
  for (const EdgeRef& e : net.projections())
    if (max_offset(*e.projection) >= 0) boost::add_edge(e.source, e.target, forward);

  std::vector<PopulationId> reversed;
  try {
    boost::topological_sort(forward, std::back_inserter(reversed));
  } catch (const boost::not_a_dag&) {
    throw_cycle(net, forward);
  }
  Schedule s;
  s.order.assign(reversed.rbegin(), reversed.rend());
  std::vector<std::size_t> position(n);
  for (std::size_t i = 0; i < n; ++i) position[s.order[i]] = i;

  s.lag.assign(n, 0);
  for (PopulationId v : s.order)
    for (const EdgeRef& e : net.incoming(v))
      if (max_offset(*e.projection) >= 0)
        s.lag[v] = std::max(s.lag[v], s.lag[e.source] + max_offset(*e.projection));

  // A delayed projection (it reads only the past) must find its source time already computed.
  for (const EdgeRef& e : net.projections()) {
    TimeStep off = max_offset(*e.projection);
    if (off >= 0) continue;
    TimeStep ready = s.lag[e.source] + off;  // tick offset of the newest source time it reads
    bool ok = ready < s.lag[e.target] ||
              (ready == s.lag[e.target] && position[e.source] < position[e.target]);
    if (!ok)
      throw Error("network " + net.name(), "projection " + e.projection->name,
                  "a delay of at least " + std::to_string(s.lag[e.source] - s.lag[e.target] + 1) +
                      " steps (its source runs behind its target)",
                  "a delay of " + std::to_string(-off) + " steps");
  }

  for (TimeStep l : s.lag) s.max_lag = std::max(s.max_lag, l);
  s.ticks = net.steps() + s.max_lag;
  // A ring of one slot per step of the trial never overwrites a step, so none needs more
  // (fuzz_brian2_struct found a delay of 2^46 steps in a short trial asking for 2^47 slots).
  const TimeStep all_steps = std::max<TimeStep>(net.steps(), 1);
  s.history.assign(n, 1);
  for (const EdgeRef& e : net.projections())
    s.history[e.source] = std::max(s.history[e.source],
                                   std::min(all_steps, s.lag[e.target] - s.lag[e.source] - min_offset(*e.projection) + 1));

  // A feedback edge's newest read is checked above to be at least one tick behind its target;
  // a window may be as long as the smallest such distance.
  s.max_window = std::max<TimeStep>(s.ticks, 1);
  for (const EdgeRef& e : net.projections())
    if (position[e.source] >= position[e.target])
      s.max_window = std::min(s.max_window, s.lag[e.target] - s.lag[e.source] - max_offset(*e.projection));
  return s;
}

}  // namespace snnsim::sim
