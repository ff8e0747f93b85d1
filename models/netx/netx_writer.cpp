// SPDX-License-Identifier: MIT
// The NetX writer: layout and fixed-point conventions in netx.hpp.
#include <algorithm>
#include <cmath>
#include <optional>
#include <variant>

#include <fmt/format.h>

#include "hw_backends/loihi/chip.hpp"
#include "hw_backends/loihi/lowering.hpp"
#include "hw_backends/loihi/quantizer.hpp"
#include "models/netx/netx.hpp"
#include "sim/error.hpp"
#include "sim/hdf5/hdf5.hpp"

namespace snnsim::models {

namespace {

const char* const kSupported =
    "one of the layers NetX supports: an input of spikes fed from outside, then a chain of dense layers "
    "(kernel-1 or sparse projections) of CUBA neurons (neuron model lif)";

struct Refusal {
  std::string field, got;
};

std::optional<Refusal> population_refusal(const sim::Population& p) {
  const std::string field = "population " + p.name;
  switch (p.kind) {
    case sim::PopulationKind::Input:
      if (p.graded) return Refusal{field, "a graded input"};
      if (p.fixed_spikes) return Refusal{field, "fixed spike trains"};
      return std::nullopt;
    case sim::PopulationKind::Analog: return Refusal{field, "an analog stream"};
    case sim::PopulationKind::Spiking:
      if (p.neuron_model != "lif") return Refusal{field, "neuron model '" + p.neuron_model + "'"};
      if (p.input_affine) return Refusal{field, "an input affine (an unfolded BatchNorm)"};
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<Refusal> projection_refusal(const sim::Projection& p) {
  const std::string field = "projection " + p.name;
  if (std::holds_alternative<sim::Identity>(p.connectivity)) return Refusal{field, "an identity (residual) projection"};
  if (const auto* c = std::get_if<sim::Conv1d>(&p.connectivity); c && (c->kernel != 1 || c->first_offset != 0))
    return Refusal{field, fmt::format("a temporal convolution of {} taps from step t{:+}", c->kernel, c->first_offset)};
  return std::nullopt;
}

/// The populations as a chain input -> layer 1 -> layer 2 -> ..., or the first thing that is not.
std::variant<std::vector<sim::PopulationId>, Refusal> chain_of(const sim::Network& net) {
  std::optional<sim::PopulationId> input;
  for (sim::PopulationId id = 0; id < net.population_count(); ++id) {
    const sim::Population& p = net.population(id);
    if (auto r = population_refusal(p)) return *r;
    if (p.kind == sim::PopulationKind::Input) {
      if (input) return Refusal{"population " + p.name, "a second input"};
      input = id;
    }
  }
  for (const sim::EdgeRef& e : net.projections())
    if (auto r = projection_refusal(*e.projection)) return *r;
  if (!input) return Refusal{"network " + net.name(), "no input population"};
  std::vector<sim::PopulationId> chain{*input};
  while (true) {
    const std::vector<sim::EdgeRef> out = net.outgoing(chain.back());
    if (out.empty()) break;
    if (out.size() > 1)
      return Refusal{"population " + net.population(chain.back()).name, fmt::format("{} outgoing projections (a branch)", out.size())};
    const sim::PopulationId next = out[0].target;
    if (net.incoming(next).size() != 1)
      return Refusal{"population " + net.population(next).name, fmt::format("{} incoming projections", net.incoming(next).size())};
    for (sim::PopulationId seen : chain)
      if (seen == next) return Refusal{"population " + net.population(next).name, "a recurrent loop"};
    chain.push_back(next);
  }
  if (chain.size() != net.population_count()) {
    for (sim::PopulationId id = 0; id < net.population_count(); ++id)
      if (std::find(chain.begin(), chain.end(), id) == chain.end())
        return Refusal{"population " + net.population(id).name, "a population off the input's chain"};
  }
  return chain;
}

/// The network without its outputs (NetX has no host readouts; the lowering expects analog ones).
sim::Network without_outputs(const sim::Network& net) {
  sim::Network copy(net.name(), net.steps(), net.precision());
  for (sim::PopulationId id = 0; id < net.population_count(); ++id) copy.add_population(net.population(id));
  for (const sim::EdgeRef& e : net.projections()) copy.connect(e.source, e.target, *e.projection);
  return copy;
}

hw_backends::loihi::Program quantized(const sim::Network& net, const std::string& source) {
  namespace loihi = hw_backends::loihi;
  loihi::ChipSpec chip = loihi::load_chip("loihi2", loihi::default_chip_dir());
  chip.weight_exp_min = chip.weight_exp_max = 0;  // NetX weights are 8-bit integers (netx.hpp)
  return loihi::quantize(loihi::lower(without_outputs(net), source), chip, {}, source);
}

void write_input(h5::Group& layer, std::size_t size) {
  layer.write_strings("type", {"input"}, {1});
  layer.write<std::int64_t>("shape", {static_cast<std::int64_t>(size)}, {1});
}

/// `delay`: steps beyond the one step that separates consecutive NetX layers (layer i computes
/// its time t at Lava step t + i, so a same-step projection has delay 0, a sparse one its delay).
void write_dense(h5::Group& layer, const hw_backends::loihi::CompartmentGroup& g,
                 const hw_backends::loihi::SynapseGroup& s, sim::TimeStep delay) {
  const std::size_t out = s.out, in = s.in;
  layer.write_strings("type", {"dense"}, {1});
  layer.write<std::int64_t>("shape", {static_cast<std::int64_t>(out)}, {1});
  layer.write<std::int64_t>("inFeatures", {static_cast<std::int64_t>(in)}, {});
  layer.write<std::int64_t>("outFeatures", {static_cast<std::int64_t>(out)}, {});
  std::vector<float> weight(out * in);
  const double scale = std::ldexp(1.0, s.weight_exp);
  for (std::size_t o = 0; o < out; ++o)
    for (std::size_t i = 0; i < in; ++i)
      weight[o * in + i] = static_cast<float>(static_cast<double>(s.row(0, i)[o]) * scale);
  layer.write<float>("weight", weight, {out, in});
  std::vector<float> bias(out);
  for (std::size_t o = 0; o < out; ++o)
    bias[o] = static_cast<float>(std::round(static_cast<double>(neurons::cuba_bias(g.bias_mant[o], g.bias_exp[o])) / 64.0));
  layer.write<float>("bias", bias, {out});
  if (delay > 0) layer.write<float>("delay", std::vector<float>(out, static_cast<float>(delay)), {out});
  h5::Group neuron = layer.create_group("neuron");
  neuron.write_string("type", "CUBA");
  neuron.write<std::int64_t>("iDecay", {g.cuba.du + 1}, {});
  neuron.write<std::int64_t>("vDecay", {g.cuba.dv}, {});
  neuron.write<std::int64_t>("vThMant", {g.cuba.vth}, {});
  neuron.write<std::int64_t>("refDelay", {1}, {});
  neuron.write<std::uint8_t>("gradedSpike", {0}, {});
}

}  // namespace

sim::Support NetxExporter::can_export(const sim::Network& net) const {
  const auto chain = chain_of(net);
  if (const auto* r = std::get_if<Refusal>(&chain)) return {false, r->field + ": expected " + kSupported + ", got " + r->got};
  return {};
}

void NetxExporter::write(const sim::Network& net, const std::filesystem::path& path, const ExportOptions& options) const {
  if (!options.settings.empty())
    throw Error(path.string(), "option " + options.settings.begin()->first, "no options (netx has none)",
                "'" + options.settings.begin()->second + "'");
  const auto chain = chain_of(net);
  if (const auto* r = std::get_if<Refusal>(&chain)) throw Error(path.string(), r->field, kSupported, r->got);
  const std::vector<sim::PopulationId>& layers = std::get<std::vector<sim::PopulationId>>(chain);
  const hw_backends::loihi::Program program = quantized(net, path.string());

  h5::AtomicH5Writer file(path);
  h5::Group sim_group = file.root().create_group("simulation");
  sim_group.write<double>("Ts", {1.0}, {});
  sim_group.write<std::int64_t>("tSample", {net.steps()}, {});
  h5::Group root = file.root().create_group("layer");
  for (std::size_t i = 0; i < layers.size(); ++i) {
    h5::Group layer = root.create_group(std::to_string(i));
    if (i == 0) {
      write_input(layer, net.population(layers[0]).size);
      continue;
    }
    for (const hw_backends::loihi::CompartmentGroup& g : program.groups)
      if (g.population == layers[i])
        write_dense(layer, g, program.synapses.at(g.synapses.at(0)),
                    -sim::min_offset(*net.incoming(layers[i]).at(0).projection));
  }
  file.commit();
}

}  // namespace snnsim::models
