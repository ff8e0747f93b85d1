// SPDX-License-Identifier: MIT
#include "hw_backends/lava/lava_backend.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "hw_backends/lava/python_runtime.hpp"
#include "hw_backends/loihi/chip.hpp"
#include "hw_backends/loihi/loihi_backend.hpp"
#include "hw_backends/loihi/lowering.hpp"
#include "hw_backends/loihi/quantizer.hpp"
#include "sim/error.hpp"

namespace snnsim::hw_backends::lava {

namespace {

using nlohmann::json;
namespace loihi = hw_backends::loihi;

const char* const kModule = "snnsim_lava";

/// The network without its outputs (Lava returns spikes; the lowering expects analog readouts).
sim::Network without_outputs(const sim::Network& net) {
  sim::Network copy(net.name(), net.steps(), net.precision());
  for (sim::PopulationId id = 0; id < net.population_count(); ++id) copy.add_population(net.population(id));
  for (const sim::EdgeRef& e : net.projections()) copy.connect(e.source, e.target, *e.projection);
  return copy;
}

/// Why the quantised program is not a chain of Dense + LIF layers Lava can build ("" when it is).
std::string chain_problem(const loihi::Program& p) {
  if (p.inputs.size() != 1 || p.inputs[0].graded) return "network: expected one spike input, got another kind of input";
  for (std::size_t k = 0; k < p.groups.size(); ++k) {
    const loihi::CompartmentGroup& g = p.groups[k];
    const std::string field = "population " + g.name;
    if (g.synapses.size() != 1)
      return fmt::format("{}: expected one synapse group (a Dense from the layer before), got {}", field, g.synapses.size());
    const loihi::SynapseGroup& s = p.synapses[g.synapses[0]];
    const bool from_previous = k == 0 ? s.source.kind == loihi::SourceKind::SpikeInput
                                      : s.source.kind == loihi::SourceKind::Compartments && s.source.index == k - 1;
    if (!from_previous) return field + ": expected input from the layer before it, got a branch";
    if (s.delay != std::vector<int>{1} || g.lag != static_cast<sim::TimeStep>(k + 1))
      return field + ": expected one tap of Dense's one-step delay, got taps or synaptic delays";
    for (std::size_t i = 0; i < g.size; ++i)
      if (neurons::cuba_bias(g.bias_mant[i], g.bias_exp[i]) != 0)
        return field + ": expected no bias (Lava's LIF has no core enable for the layer's lag), got a bias";
  }
  return "";
}

loihi::Program quantized(const sim::Network& net) {
  return loihi::quantize(loihi::lower(without_outputs(net), "lava"),
                         loihi::load_chip("loihi2", loihi::default_chip_dir()), {}, "lava");
}

json layers_of(const loihi::Program& p) {
  json layers = json::array();
  for (const loihi::CompartmentGroup& g : p.groups) {
    const loihi::SynapseGroup& s = p.synapses[g.synapses[0]];
    json w = json::array();
    for (std::size_t o = 0; o < s.out; ++o) {
      json row = json::array();
      for (std::size_t i = 0; i < s.in; ++i) row.push_back(s.row(0, i)[o]);
      w.push_back(std::move(row));
    }
    layers.push_back({{"size", g.size}, {"weights", std::move(w)}, {"weight_exp", s.weight_exp},
                      {"du", g.cuba.du}, {"dv", g.cuba.dv}, {"vth", g.cuba.vth}});
  }
  return layers;
}

struct Empty final : sim::Workspace {};

class LavaCompiled final : public sim::CompiledNetwork {
 public:
  LavaCompiled(const sim::Network& net, loihi::Program program, std::string engine)
      : net_(&net), program_(std::move(program)), engine_(std::move(engine)) {
    request_ = {{"steps", program_.steps}, {"ticks", program_.steps + static_cast<sim::TimeStep>(program_.groups.size())},
                {"input_size", program_.inputs[0].size}, {"layers", layers_of(program_)}, {"engine", engine_}};
  }

  std::unique_ptr<sim::Workspace> make_workspace() const override { return std::make_unique<Empty>(); }

  void run_trial(sim::Workspace&, const sim::Stimulus& stimulus, const sim::RecordOptions& options,
                 sim::TrialRecord& record) const override {
    const sim::PopulationId input = program_.inputs[0].population;
    const sim::SpikeTrains* trains = net_->population(input).fixed_spikes ? &*net_->population(input).fixed_spikes
                                                                         : stimulus.spikes.at(input);
    if (!trains) throw Error("lava", "stimulus", "spike trains for " + net_->population(input).name, "none");
    json request = request_;
    json spikes = json::array();
    for (std::size_t j = 0; j < trains->step.size(); ++j) {
      spikes.push_back({trains->step[j], trains->neuron[j]});
      add_spike(record, options, input, trains->step[j], trains->neuron[j]);
    }
    request["spikes"] = std::move(spikes);
    const json answer = json::parse(PythonRuntime::instance().call(LAVA_PYTHON_DIR, kModule, "run", request.dump()));
    const json& layers = answer.at("spikes");
    for (std::size_t k = 0; k < program_.groups.size(); ++k)
      for (const json& s : layers.at(k)) {
        const sim::TimeStep t = s.at(0).get<sim::TimeStep>() - program_.groups[k].lag;
        if (t >= 0 && t < program_.steps)
          add_spike(record, options, program_.groups[k].population, t, s.at(1).get<std::uint32_t>());
      }
    for (auto& r : record.raster)
      std::sort(r.begin(), r.end(), [](const sim::SpikeEvent& a, const sim::SpikeEvent& b) {
        return a.step != b.step ? a.step < b.step : a.neuron < b.neuron;
      });
  }

  nlohmann::json describe() const override {
    return {{"backend", "lava"}, {"engine", engine_}, {"layers", program_.groups.size()}};
  }

 private:
  static void add_spike(sim::TrialRecord& record, const sim::RecordOptions& options, sim::PopulationId p,
                        sim::TimeStep t, std::uint32_t neuron) {
    ++record.spikes(p, t);
    if (options.counters) ++record.counters.population(p, t).spikes;
    if (options.raster) record.raster[p].push_back({t, neuron});
  }

  const sim::Network* net_;
  loihi::Program program_;
  std::string engine_;
  json request_;
};


/// Error when Lava does not import into the embedded Python: one line saying how to install it.
void require_lava() {
  const PythonRuntime& py = PythonRuntime::instance();
  const std::string status = py.call(LAVA_PYTHON_DIR, kModule, "lava_status", "");
  if (!status.empty())
    throw Error("backend lava", "Python " + py.version().substr(0, py.version().find(' ')),
                "Lava importable (install it with `pip install lava-nc`, or put lava-nc/lava's src on PYTHONPATH)",
                status);
}

}  // namespace

double LavaBackend::conformance_tolerance() const { return LoihiBackend{}.conformance_tolerance(); }

sim::Support LavaBackend::supports(const sim::Network& net) const {
  try {
    if (const std::string problem = chain_problem(quantized(net)); !problem.empty()) return {false, problem};
    require_lava();
    return {};
  } catch (const Error& e) {
    return {false, e.what()};
  }
}

std::unique_ptr<sim::CompiledNetwork> LavaBackend::compile(const sim::Network& net,
                                                           const sim::BackendOptions& options) const {
  const auto it = options.settings.find("engine");
  const std::string engine = it == options.settings.end() ? "lava" : it->second;
  if (engine != "lava" && engine != "numpy") throw Error("backend lava", "option engine", "lava or numpy", "'" + engine + "'");
  if (engine == "lava") require_lava();
  loihi::Program program = quantized(net);
  if (const std::string problem = chain_problem(program); !problem.empty())
    throw Error("backend lava", "network " + net.name(), "a chain of Dense + LIF layers", problem);
  return std::make_unique<LavaCompiled>(net, std::move(program), engine);
}

}  // namespace snnsim::hw_backends::lava
