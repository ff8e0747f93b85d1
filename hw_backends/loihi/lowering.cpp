// SPDX-License-Identifier: MIT
#include "hw_backends/loihi/lowering.hpp"

#include <optional>
#include <variant>

#include <fmt/format.h>

#include "sim/error.hpp"

namespace snnsim::hw_backends::loihi {

namespace {

std::vector<double>& tap(Composed& c, sim::PopulationId source, std::size_t in, int offset) {
  Taps& t = c.terms[source];
  t.out = c.size;
  t.in = in;
  std::vector<double>& w = t.weight[offset];
  if (w.empty()) w.assign(c.size * in, 0.0);
  return w;
}

class Composer {
 public:
  Composer(const sim::Network& net, std::string source) : net_(net), source_(std::move(source)) {
    memo_.resize(net.population_count());
  }

  /// The composed input (Spiking) or value (Analog) of population `id`.
  const Composed& of(sim::PopulationId id) {
    if (!memo_[id]) memo_[id] = compose(id);
    return *memo_[id];
  }

 private:
  bool is_leaf(sim::PopulationId id) const { return net_.population(id).kind != sim::PopulationKind::Analog; }

  Composed compose(sim::PopulationId id) {
    const sim::Population& pop = net_.population(id);
    Composed c;
    c.size = pop.size;
    c.bias.assign(pop.size, 0.0);
    for (const sim::EdgeRef& e : net_.incoming(id)) {
      const sim::Projection& p = *e.projection;
      if (p.port != 0)
        throw Error(source_, "projection " + p.name, "delivery into port 0 (the only Loihi compartment input)",
                    fmt::format("port {}", p.port));
      std::visit([&](const auto& conn) { add(c, e.source, p.name, conn); }, p.connectivity);
    }
    if (pop.input_affine) {
      const sim::Affine& a = *pop.input_affine;
      for (auto& [src, taps] : c.terms)
        for (auto& [off, w] : taps.weight)
          for (std::size_t o = 0; o < c.size; ++o)
            for (std::size_t i = 0; i < taps.in; ++i) w[o * taps.in + i] *= a.scale[o];
      for (std::size_t o = 0; o < c.size; ++o) c.bias[o] = c.bias[o] * a.scale[o] + a.shift[o];
    }
    return c;
  }

  void add(Composed& c, sim::PopulationId s, const std::string& name, const sim::Conv1d& conv) {
    if (!conv.bias.empty())
      for (std::size_t o = 0; o < c.size; ++o) c.bias[o] += conv.bias[o];
    if (is_leaf(s)) {
      for (std::size_t k = 0; k < conv.kernel; ++k) {
        std::vector<double>& w = tap(c, s, conv.in, conv.first_offset + static_cast<int>(k));
        for (std::size_t o = 0; o < conv.out; ++o)
          for (std::size_t i = 0; i < conv.in; ++i) w[o * conv.in + i] += conv.weight[(o * conv.in + i) * conv.kernel + k];
      }
      return;
    }
    if (conv.kernel != 1 || conv.first_offset != 0)
      throw Error(source_, "projection " + name,
                  "a convolution over an analog stream to read only the present step (kernel 1, offset 0)",
                  fmt::format("kernel {}, first offset {}", conv.kernel, conv.first_offset));
    const Composed& m = of(s);  // value of s: bias + taps of the leaves below it
    for (std::size_t o = 0; o < conv.out; ++o)
      for (std::size_t j = 0; j < conv.in; ++j) c.bias[o] += conv.weight[o * conv.in + j] * m.bias[j];
    for (const auto& [leaf, taps] : m.terms)
      for (const auto& [off, wm] : taps.weight) {
        std::vector<double>& w = tap(c, leaf, taps.in, off);
        for (std::size_t o = 0; o < conv.out; ++o)
          for (std::size_t j = 0; j < conv.in; ++j) {
            const double a = conv.weight[o * conv.in + j];
            if (a == 0.0) continue;
            for (std::size_t i = 0; i < taps.in; ++i) w[o * taps.in + i] += a * wm[j * taps.in + i];
          }
      }
  }

  void add(Composed& c, sim::PopulationId s, const std::string&, const sim::Identity&) {
    if (is_leaf(s)) {
      std::vector<double>& w = tap(c, s, c.size, 0);
      for (std::size_t o = 0; o < c.size; ++o) w[o * c.size + o] += 1.0;
      return;
    }
    const Composed& m = of(s);
    for (std::size_t o = 0; o < c.size; ++o) c.bias[o] += m.bias[o];
    for (const auto& [leaf, taps] : m.terms)
      for (const auto& [off, wm] : taps.weight) {
        std::vector<double>& w = tap(c, leaf, taps.in, off);
        for (std::size_t j = 0; j < wm.size(); ++j) w[j] += wm[j];
      }
  }

  void add(Composed& c, sim::PopulationId s, const std::string& name, const sim::Sparse& sp) {
    if (!is_leaf(s))
      throw Error(source_, "projection " + name, "sparse synapses from a spike source", "an analog stream");
    const std::size_t in = net_.population(s).size;
    std::vector<double>& w = tap(c, s, in, -static_cast<int>(sp.delay));
    for (std::size_t j = 0; j < sp.source.size(); ++j) w[sp.target[j] * in + sp.source[j]] += sp.weight[j];
  }

  const sim::Network& net_;
  std::string source_;
  std::vector<std::optional<Composed>> memo_;
};

LifSpec lif_spec(const sim::Population& pop, const std::string& source) {
  if (pop.neuron_model != "lif")
    throw Error(source, pop.name + ".model", "'lif' (mapped onto Loihi CUBA compartments) or 'loihi_cuba'",
                "'" + pop.neuron_model + "'");
  auto get = [&](const char* key, double fallback) {
    auto it = pop.params.find(key);
    return it == pop.params.end() ? fallback : it->second;
  };
  if (get("v_reset", 0.0) != 0.0)
    throw Error(source, pop.name + ".v_reset", "0 (Loihi resets v to 0)", fmt::format("{:g}", get("v_reset", 0.0)));
  LifSpec s;
  s.tau = get("tau", 2.0);
  s.v_threshold = get("v_threshold", 1.0);
  s.decay_input = get("decay_input", 1.0) != 0.0;
  if (s.v_threshold <= 0.0)
    throw Error(source, pop.name + ".v_threshold", "a positive threshold (Loihi's vth is unsigned)",
                fmt::format("{:g}", s.v_threshold));
  return s;
}

}  // namespace

LoweredNetwork lower(const sim::Network& net, const std::string& source) {
  LoweredNetwork out;
  out.steps = net.steps();
  Composer composer(net, source);
  for (sim::PopulationId id = 0; id < net.population_count(); ++id) {
    const sim::Population& pop = net.population(id);
    if (pop.kind == sim::PopulationKind::Input) {
      (pop.graded ? out.graded_inputs : out.spike_inputs).push_back(id);
      out.input_names[id] = pop.name;
    } else if (pop.kind == sim::PopulationKind::Spiking) {
      LoweredGroup g;
      g.population = id;
      g.name = pop.name;
      g.layer = pop.layer;
      g.size = pop.size;
      if (pop.neuron_model == "loihi_cuba")
        g.native = neurons::cuba_params(sim::validate_params(neurons::LoihiCuba().params(), pop.params, source, pop.name));
      else
        g.lif = lif_spec(pop, source);
      g.input = composer.of(id);
      out.groups.push_back(std::move(g));
    }
  }
  for (std::size_t o = 0; o < net.outputs().size(); ++o) {
    const sim::PopulationId id = net.outputs()[o].population;
    if (net.population(id).kind != sim::PopulationKind::Analog)
      throw Error(source, "output " + net.outputs()[o].name, "an analog readout population",
                  sim::to_string(net.population(id).kind));
    out.readouts.push_back({id, o, composer.of(id)});
  }
  return out;
}

}  // namespace snnsim::hw_backends::loihi
