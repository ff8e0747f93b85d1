// SPDX-License-Identifier: MIT
#include "models/brian2/brian2_h5.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "sim/error.hpp"
#include "sim/hdf5/hdf5.hpp"
#include "sim/memory_limit.hpp"
#include "sim/record.hpp"

namespace snnsim::models {

namespace {

constexpr std::string_view kPeerNetworkFormat = "snnsim-peer-network-v1";

/// Population attributes that describe the population rather than set a model parameter.
const std::set<std::string, std::less<>> kDescriptive{"size", "model", "excitatory", "refractory_steps",
                                                      "rate_Hz"};

herr_t collect_name(hid_t, const char* name, const H5A_info_t*, void* out) {
  static_cast<std::vector<std::string>*>(out)->emplace_back(name);
  return 0;
}

/// Attribute names of a group, in creation or name order (the layer has no listing of its own).
std::vector<std::string> attribute_names(const h5::Group& g) {
  std::vector<std::string> names;
  hsize_t idx = 0;
  H5Aiterate2(static_cast<hid_t>(g.id()), H5_INDEX_NAME, H5_ITER_INC, &idx, collect_name, &names);
  return names;
}

struct Loader {
  const std::filesystem::path& path;
  const sim::NeuronRegistry& neurons;
  std::string file = path.string();
  h5::File h5 = h5::File::open_read(path);
  double dt = 0;
  sim::TimeStep steps = 0;

  std::string where(const std::string& object, const std::string& attr = "") const {
    return attr.empty() ? object : object + "@" + attr;
  }

  ImportedNetwork load() {
    if (!h5.has_attr("", "format") || h5.read_string_attr("", "format") != kPeerNetworkFormat)
      throw Error(file, "/@format", "'" + std::string(kPeerNetworkFormat) + "'",
                  h5.has_attr("", "format") ? "'" + h5.read_string_attr("", "format") + "'" : "nothing");
    dt = h5.read_double_attr("", "dt_s");
    if (!(dt > 0) || !std::isfinite(dt)) throw Error(file, "/@dt_s", "a time step > 0 s", fmt::format("{:g}", dt));
    steps = h5.read_int_attr("", "steps");
    if (steps < 1) throw Error(file, "/@steps", "at least 1 step", fmt::format("{}", steps));
    ImportedNetwork out;
    out.dt_seconds = dt;
    out.seed = h5.has_attr("", "seed") ? static_cast<std::uint64_t>(h5.read_int_attr("", "seed")) : 0;
    const std::string name = h5.has_attr("", "workload") ? h5.read_string_attr("", "workload") : path.stem().string();
    out.network = std::make_unique<sim::Network>(name, steps, sim::Precision::F64);
    const h5::Group pops = h5.group("populations");
    if (pops.children().empty()) throw Error(file, "/populations", "at least one population group", "none");
    for (const std::string& p : pops.children()) out.network->add_population(population(pops.group(p), p));
    if (h5.has("projections")) {
      const h5::Group projs = h5.group("projections");
      for (const std::string& p : projs.children()) projection(*out.network, projs.group(p), p);
    }
    out.stimulus.resize(out.network->population_count());
    sim::check_memory(sim::trial_bytes(*out.network), file, "/@steps", "to simulate one trial");
    return out;
  }

  std::size_t size_attr(const h5::Group& g) const {
    const std::int64_t n = g.read_int_attr("", "size");
    if (n < 1 || n > std::int64_t{1} << 31)
      throw Error(file, where(g.name(), "size"), "a population size in [1, 2^31]", fmt::format("{}", n));
    return static_cast<std::size_t>(n);
  }

  sim::Population population(const h5::Group& g, const std::string& name) const {
    sim::Population pop;
    pop.name = name;
    pop.size = size_attr(g);
    const std::string model = g.read_string_attr("", "model");
    if (model == "spike_source") {
      pop.kind = sim::PopulationKind::Input;
      pop.fixed_spikes = spike_trains(g, pop.size);
      return pop;
    }
    const sim::NeuronModel& m = neurons.get(model, file, where(g.name(), "model"));
    pop.kind = sim::PopulationKind::Spiking;
    pop.neuron_model = model;
    pop.params = params(g, m);
    if (g.has("v0_V")) pop.initial["v"] = g.read<double>("v0_V").data;
    pop.dynamics = m.instantiate(pop.params, pop.initial, pop.size, file, g.name());
    return pop;
  }

  /// Attributes <param>_<unit> or <param> (dimensionless) into model parameters; dt from the file.
  sim::ParamValues params(const h5::Group& g, const sim::NeuronModel& m) const {
    sim::ParamValues values;
    for (const std::string& attr : attribute_names(g)) {
      if (kDescriptive.contains(attr)) continue;
      const sim::ParamSpec* spec = nullptr;
      for (const sim::ParamSpec& s : m.params()) {
        const std::string key = s.unit.empty() ? s.name : s.name + "_" + s.unit;
        if (key == attr) spec = &s;
      }
      if (!spec || spec->name == "dt") {
        std::string known;
        for (const sim::ParamSpec& s : m.params())
          if (s.name != "dt") known += (known.empty() ? "" : ", ") + (s.unit.empty() ? s.name : s.name + "_" + s.unit);
        throw Error(file, where(g.name(), attr), "one of the parameters of " + std::string(m.name()) + ": " + known,
                    "'" + attr + "'");
      }
      values[spec->name] = g.read_double_attr("", attr);
    }
    for (const sim::ParamSpec& s : m.params())
      if (s.name == "dt") values["dt"] = dt;
    return values;
  }

  sim::SpikeTrains spike_trains(const h5::Group& g, std::size_t size) const {
    const auto neuron = g.read<std::int64_t>("spike_neuron").data;
    const auto step = g.read<std::int64_t>("spike_step").data;
    if (neuron.size() != step.size())
      throw Error(file, g.full_path("spike_step"), fmt::format("{} values (as many as spike_neuron)", neuron.size()),
                  fmt::format("{}", step.size()));
    for (std::size_t k = 0; k < neuron.size(); ++k) {
      if (neuron[k] < 0 || static_cast<std::size_t>(neuron[k]) >= size)
        throw Error(file, fmt::format("{}[{}]", g.full_path("spike_neuron"), k),
                    fmt::format("a neuron index in [0, {})", size), fmt::format("{}", neuron[k]));
      if (step[k] < 0 || step[k] >= steps)
        throw Error(file, fmt::format("{}[{}]", g.full_path("spike_step"), k), fmt::format("a step in [0, {})", steps),
                    fmt::format("{}", step[k]));
    }
    return sim::sorted_spike_trains(neuron, step);
  }

  sim::PopulationId population_attr(const sim::Network& net, const h5::Group& g, const char* attr) const {
    const std::string name = g.read_string_attr("", attr);
    if (auto id = net.find(name)) return *id;
    std::string known;
    for (sim::PopulationId p = 0; p < net.population_count(); ++p)
      known += (known.empty() ? "" : ", ") + net.population(p).name;
    throw Error(file, where(g.name(), attr), "one of the populations " + known, "'" + name + "'");
  }

  std::vector<std::uint32_t> indices(const h5::Group& g, const char* dataset, std::size_t size,
                                     const std::string& population) const {
    const auto raw = g.read<std::int64_t>(dataset).data;
    std::vector<std::uint32_t> out(raw.size());
    for (std::size_t k = 0; k < raw.size(); ++k) {
      if (raw[k] < 0 || static_cast<std::size_t>(raw[k]) >= size)
        throw Error(file, fmt::format("{}[{}]", g.full_path(dataset), k),
                    fmt::format("a neuron index of {} in [0, {})", population, size), fmt::format("{}", raw[k]));
      out[k] = static_cast<std::uint32_t>(raw[k]);
    }
    return out;
  }

  void projection(sim::Network& net, const h5::Group& g, const std::string& name) const {
    const sim::PopulationId source = population_attr(net, g, "source");
    const sim::PopulationId target = population_attr(net, g, "target");
    const sim::Population& src = net.population(source);
    const sim::Population& tgt = net.population(target);
    if (tgt.kind != sim::PopulationKind::Spiking)
      throw Error(file, where(g.name(), "target"), "a population of neurons", "the spike source '" + tgt.name + "'");
    sim::Projection proj;
    proj.name = name;
    const std::string var = g.read_string_attr("", "target_var");
    const auto ports = tgt.dynamics->ports();
    std::string known;
    bool found = false;
    for (std::size_t k = 0; k < ports.size(); ++k) {
      known += (known.empty() ? "" : ", ") + ports[k].name;
      if (ports[k].name == var) {
        proj.port = k;
        found = true;
      }
    }
    if (!found)
      throw Error(file, where(g.name(), "target_var"), "one of the ports of " + tgt.name + ": " + known, "'" + var + "'");
    const std::int64_t delay = g.read_int_attr("", "delay_steps");
    if (delay < 1 || delay >= sim::kMaxDelaySteps)  // snnsim's delay is one more (below)
      throw Error(file, where(g.name(), "delay_steps"),
                  fmt::format("a delay of 1 to {} steps", sim::kMaxDelaySteps - 1), fmt::format("{}", delay));
    sim::Sparse sparse;
    sparse.source = indices(g, "source_neuron", src.size, src.name);
    sparse.target = indices(g, "target_neuron", tgt.size, tgt.name);
    sparse.weight = g.read<double>("weight_V").data;
    if (sparse.target.size() != sparse.source.size())
      throw Error(file, g.full_path("target_neuron"), fmt::format("{} values (as many as source_neuron)", sparse.source.size()),
                  fmt::format("{}", sparse.target.size()));
    if (sparse.weight.size() != sparse.source.size())
      throw Error(file, g.full_path("weight_V"), fmt::format("{} values (as many as source_neuron)", sparse.source.size()),
                  fmt::format("{}", sparse.weight.size()));
    for (std::size_t k = 0; k < sparse.weight.size(); ++k)
      if (!std::isfinite(sparse.weight[k]))
        throw Error(file, fmt::format("{}[{}]", g.full_path("weight_V"), k), "a finite weight", "a non-finite value");
    sparse.delay = delay + 1;  // Brian2 delivers after the update of s + D: it acts from s + D + 1
    proj.connectivity = std::move(sparse);
    net.connect(source, target, std::move(proj));
  }
};

}  // namespace

bool Brian2H5Importer::accepts(const std::filesystem::path& path) const {
  const std::string ext = path.extension().string();
  if (ext != ".h5" && ext != ".hdf5") return false;
  try {
    const h5::File f = h5::File::open_read(path);
    return f.has_attr("", "format") && f.read_string_attr("", "format") == kPeerNetworkFormat;
  } catch (const Error&) {
    return false;
  }
}

ImportedNetwork Brian2H5Importer::load(const std::filesystem::path& path, const sim::NeuronRegistry& neurons) const {
  Loader loader{path, neurons};
  return loader.load();
}

std::vector<sim::SpikeEvent> read_reference_spikes(const std::filesystem::path& path, const std::string& population) {
  const h5::File f = h5::File::open_read(path);
  const h5::Group g = f.group("reference_spikes/" + population);
  const auto neuron = g.read<std::int64_t>("neuron").data;
  const auto step = g.read<std::int64_t>("step").data;
  if (neuron.size() != step.size())
    throw Error(path.string(), g.full_path("step"), fmt::format("{} values", neuron.size()), fmt::format("{}", step.size()));
  std::vector<sim::SpikeEvent> out;
  for (std::size_t k = 0; k < neuron.size(); ++k) out.push_back({step[k], static_cast<std::uint32_t>(neuron[k])});
  std::sort(out.begin(), out.end(), [](const sim::SpikeEvent& a, const sim::SpikeEvent& b) {
    return a.step != b.step ? a.step < b.step : a.neuron < b.neuron;
  });
  return out;
}

}  // namespace snnsim::models
