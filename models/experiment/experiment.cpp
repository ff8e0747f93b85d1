// SPDX-License-Identifier: MIT
#include "models/experiment/experiment.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "models/experiment/counter_rng.hpp"
#include "sim/error.hpp"
#include "sim/hdf5/hdf5.hpp"
#include "sim/memory_limit.hpp"

namespace snnsim::models {

namespace {

constexpr std::string_view kExperimentFormat = "snnsim-experiment-v1";

/// Bytes of one synapse in sim::Sparse (source, target, weight): for the memory limit.
constexpr std::size_t kSynapseBytes = 2 * sizeof(std::uint32_t) + sizeof(double);
/// Bytes of one spike of a fixed spike train (neuron, step).
constexpr std::size_t kSpikeBytes = sizeof(std::uint32_t) + sizeof(sim::TimeStep);

/// SI prefixes by unit: the factor to the SI unit.
const std::map<std::string, std::pair<std::string, double>, std::less<>> kUnits{
    {"s", {"s", 1.0}},   {"ms", {"s", 1e-3}}, {"us", {"s", 1e-6}},  {"V", {"V", 1.0}},   {"mV", {"V", 1e-3}},
    {"uV", {"V", 1e-6}}, {"Hz", {"Hz", 1.0}}, {"kHz", {"Hz", 1e3}}, {"nA", {"A", 1e-9}}, {"pA", {"A", 1e-12}},
};

std::string unit_list(const std::string& unit) {
  std::string out;
  for (const auto& [name, u] : kUnits)
    if (u.first == unit) out += (out.empty() ? "" : ", ") + name;
  return out;
}

std::string expected_quantity(const std::string& unit) {
  return unit.empty() ? "a number" : "a quantity in " + unit_list(unit) + " (e.g. \"20 " + unit_list(unit).substr(0, unit_list(unit).find(',')) + "\")";
}

class ExperimentReader {
 public:
  ExperimentReader(const std::filesystem::path& path, const sim::NeuronRegistry& neurons, std::optional<std::uint64_t> seed)
      : path_(path), file_(path.string()), neurons_(neurons), seed_override_(seed) {}

  ImportedNetwork load() {
    try {
      root_ = toml::parse_file(file_);
    } catch (const toml::parse_error& e) {
      throw Error(file_, fmt::format("line {}", e.source().begin.line), "a TOML file", std::string(e.description()));
    }
    const std::string format = string_or(root_, "format", std::string(kExperimentFormat), "format");
    if (format != kExperimentFormat)
      throw Error(file_, "format", "'" + std::string(kExperimentFormat) + "'", "'" + format + "'");
    dt_ = quantity(root_["dt"], "s", "dt", true);
    if (!(dt_ > 0)) throw Error(file_, "dt", "a time step > 0 s", fmt::format("{:g} s", dt_));
    const double duration = quantity(root_["duration"], "s", "duration", true);
    const double steps = std::round(duration / dt_);
    // Above 2^53 steps would not even convert to an integer exactly (and no trial fits in memory).
    if (!(steps >= 1 && steps <= 0x1p53) || std::abs(steps * dt_ - duration) > 1e-9 * duration)
      throw Error(file_, "duration", fmt::format("a whole number (>= 1) of steps of dt = {:g} s", dt_), fmt::format("{:g} s", duration));
    ImportedNetwork out;
    out.dt_seconds = dt_;
    seed_ = seed_override_ ? *seed_override_ : static_cast<std::uint64_t>(integer(root_["seed"], "seed", 0, 0));
    out.seed = seed_;
    if (const auto* a = root_["arrays"].as_string()) arrays_path_ = path_.parent_path() / a->get();
    out.network = std::make_unique<sim::Network>(string_or(root_, "name", path_.stem().string(), "name"),
                                                 static_cast<sim::TimeStep>(steps), sim::Precision::F64);
    const toml::table* pops = root_["populations"].as_table();
    if (!pops || pops->empty()) throw Error(file_, "populations", "a table of populations", "nothing");
    check_declared_memory(*pops, static_cast<std::size_t>(steps));
    std::size_t index = 0;
    for (const auto& [name, node] : *pops) {
      const toml::table* t = node.as_table();
      const std::string where = "populations." + std::string(name.str());
      if (!t) throw Error(file_, where, "a table", "a value");
      out.network->add_population(population(std::string(name.str()), *t, where, index++, *out.network));
    }
    if (const toml::node_view<toml::node> projs = root_["projections"]) {
      const toml::array* list = projs.as_array();
      if (!list) throw Error(file_, "projections", "an array of tables ([[projections]])", "a value");
      for (std::size_t j = 0; j < list->size(); ++j) {
        const toml::table* t = list->get(j)->as_table();
        const std::string where = fmt::format("projections[{}]", j);
        if (!t) throw Error(file_, where, "a table", "a value");
        projection(*out.network, *t, where, j);
      }
    }
    if (const toml::table* rec = root_["record"].as_table())
      if (const toml::array* spikes = (*rec)["spikes"].as_array())
        for (std::size_t k = 0; k < spikes->size(); ++k) {
          const auto* s = spikes->get(k)->as_string();
          const std::string field = fmt::format("record.spikes[{}]", k);
          if (!s || !out.network->find(s->get())) throw Error(file_, field, "a population name", s ? "'" + s->get() + "'" : "a non-string");
          out.record_spikes.push_back(s->get());
        }
    out.stimulus.resize(out.network->population_count());
    sim::check_memory(sim::trial_bytes(*out.network), file_, "duration", "to simulate one trial");
    return out;
  }

 private:
  /// The populations' neuron state and one trial's record, from the declared sizes alone: refused
  /// before any population is generated (a Poisson source draws steps x size numbers).
  void check_declared_memory(const toml::table& pops, std::size_t steps) const {
    std::size_t neurons = 0;
    for (const auto& [name, node] : pops)
      if (const toml::table* t = node.as_table())
        neurons += population_size(*t, "populations." + std::string(name.str()));  // each <= 2^31: no overflow
    sim::check_memory(sim::trial_bytes(0, 0, neurons, 0), file_, "populations", "for the neurons' state");
    const toml::array* projs = root_["projections"].as_array();
    sim::check_memory(sim::trial_bytes(steps, pops.size(), neurons, projs ? projs->size() : 0), file_, "duration",
                      "to simulate one trial");
  }

  std::size_t population_size(const toml::table& t, const std::string& where) const {
    const toml::node_view<const toml::node> n(t.get("size"));
    const auto* i = n.as_integer();
    if (!i || i->get() < 1 || i->get() > std::int64_t{1} << 31)
      throw Error(file_, where + ".size", "a population size in [1, 2^31]", describe(n));
    return static_cast<std::size_t>(i->get());
  }

  // ---- values -------------------------------------------------------------------------------

  std::string string_or(const toml::table& t, const char* key, const std::string& fallback, const std::string& field) const {
    const toml::node* n = t.get(key);
    if (!n) return fallback;
    if (const auto* s = n->as_string()) return s->get();
    throw Error(file_, field, "a string", "a value of another type");
  }

  std::int64_t integer(toml::node_view<const toml::node> n, const std::string& field, std::int64_t fallback, std::int64_t min) const {
    if (!n) return fallback;
    const auto* i = n.as_integer();
    if (!i || i->get() < min) throw Error(file_, field, fmt::format("an integer >= {}", min), describe(n));
    return i->get();
  }
  std::int64_t integer(toml::node_view<toml::node> n, const std::string& field, std::int64_t fallback, std::int64_t min) const {
    return integer(toml::node_view<const toml::node>(n.node()), field, fallback, min);
  }

  static std::string describe(toml::node_view<const toml::node> n) {
    if (!n) return "nothing";
    if (const auto* s = n.as_string()) return "'" + s->get() + "'";
    if (const auto* i = n.as_integer()) return fmt::format("{}", i->get());
    if (const auto* f = n.as_floating_point()) return fmt::format("{:g}", f->get());
    if (const auto* b = n.as_boolean()) return b->get() ? "true" : "false";
    if (n.is_table()) return "a table";
    if (n.is_array()) return "an array";
    return "a value";
  }

  double quantity(toml::node_view<const toml::node> n, const std::string& unit, const std::string& field, bool required) const {
    if (!n) {
      if (required) throw Error(file_, field, expected_quantity(unit), "nothing");
      return NAN;
    }
    if (const auto* s = n.as_string()) return parse_quantity(s->get(), unit, file_, field);
    if (const auto* i = n.as_integer()) return static_cast<double>(i->get());
    if (const auto* f = n.as_floating_point(); f && std::isfinite(f->get())) return f->get();  // TOML has nan and inf
    throw Error(file_, field, expected_quantity(unit), describe(n));
  }
  double quantity(toml::node_view<toml::node> n, const std::string& unit, const std::string& field, bool required) const {
    return quantity(toml::node_view<const toml::node>(n.node()), unit, field, required);
  }

  /// "h5:/path" into the arrays file, or nullopt when the value is not such a reference.
  std::optional<std::string> h5_ref(toml::node_view<const toml::node> n) const {
    const auto* s = n.as_string();
    if (!s || s->get().rfind("h5:", 0) != 0) return std::nullopt;
    return s->get().substr(3);
  }

  const h5::File& arrays(const std::string& field) {
    if (!arrays_) {
      if (arrays_path_.empty()) throw Error(file_, field, "an 'arrays' HDF5 file named at the top of the file", "no 'arrays' key");
      arrays_.emplace(h5::File::open_read(arrays_path_));
    }
    return *arrays_;
  }

  // ---- populations ----------------------------------------------------------------------------

  sim::Population population(const std::string& name, const toml::table& t, const std::string& where, std::size_t index,
                             const sim::Network&) {
    sim::Population pop;
    pop.name = name;
    pop.size = population_size(t, where);
    const std::string model = string_or(t, "model", "", where + ".model");
    if (model.empty()) throw Error(file_, where + ".model", "a neuron model, 'poisson' or 'spike_source'", "nothing");
    if (model == "poisson") return poisson(std::move(pop), t, where, index);
    if (model == "spike_source") return spike_source(std::move(pop), t, where);
    const sim::NeuronModel& m = neurons_.get(model, file_, where + ".model");
    pop.kind = sim::PopulationKind::Spiking;
    pop.neuron_model = model;
    for (const auto& [key, value] : t) {
      const std::string k(key.str());
      if (k == "size" || k == "model" || k == "initial") continue;
      const sim::ParamSpec* spec = nullptr;
      for (const sim::ParamSpec& s : m.params())
        if (s.name == k && s.name != "dt") spec = &s;
      if (!spec) {
        std::string known;
        for (const sim::ParamSpec& s : m.params())
          if (s.name != "dt") known += (known.empty() ? "" : ", ") + s.name;
        throw Error(file_, where + "." + k, "one of the parameters of " + std::string(m.name()) + ": " + known, "'" + k + "'");
      }
      pop.params[k] = quantity(toml::node_view<const toml::node>(&value), spec->unit, where + "." + k, true);
    }
    for (const sim::ParamSpec& s : m.params())
      if (s.name == "dt") pop.params["dt"] = dt_;
    if (const toml::table* init = t["initial"].as_table())
      for (const auto& [var, value] : *init) pop.initial[std::string(var.str())] = initial_values(toml::node_view<const toml::node>(&value), pop.size, where + ".initial." + std::string(var.str()), index);
    pop.dynamics = m.instantiate(pop.params, pop.initial, pop.size, file_, where);
    return pop;
  }

  std::vector<double> initial_values(toml::node_view<const toml::node> n, std::size_t size, const std::string& field, std::size_t index) {
    if (auto ref = h5_ref(n)) {
      std::vector<double> v = arrays(field).read<double>(*ref).data;
      if (v.size() != size)
        throw Error(file_, field, fmt::format("{} values (one per neuron)", size), fmt::format("{} values in {}", v.size(), *ref));
      return v;
    }
    if (const toml::table* t = n.as_table()) {
      const toml::array* range = (*t)["uniform"].as_array();
      if (!range || range->size() != 2) throw Error(file_, field, "{ uniform = [low, high] }", "a table without it");
      const double lo = quantity(toml::node_view<const toml::node>(range->get(0)), "V", field + ".uniform[0]", true);
      const double hi = quantity(toml::node_view<const toml::node>(range->get(1)), "V", field + ".uniform[1]", true);
      std::vector<double> v(size);
      for (std::size_t i = 0; i < size; ++i)
        v[i] = lo + (hi - lo) * uniform01(seed_, RngStream::poisson, static_cast<std::uint32_t>(index), static_cast<std::uint32_t>(i),
                                          ~std::uint64_t{0});  // step "-1": before the first step
      return v;
    }
    return std::vector<double>(size, quantity(n, "V", field, true));
  }

  sim::Population poisson(sim::Population pop, const toml::table& t, const std::string& where, std::size_t index) const {
    for (const auto& [key, value] : t)
      if (key.str() != "size" && key.str() != "model" && key.str() != "rate")
        throw Error(file_, where + "." + std::string(key.str()), "one of the keys size, model, rate", "'" + std::string(key.str()) + "'");
    const double rate = quantity(t["rate"], "Hz", where + ".rate", true);
    if (!(rate >= 0) || rate * dt_ > 1)
      throw Error(file_, where + ".rate", fmt::format("a rate in [0, 1/dt = {:g} Hz]", 1 / dt_), fmt::format("{:g} Hz", rate));
    pop.kind = sim::PopulationKind::Input;
    sim::SpikeTrains trains;
    const double p = rate * dt_;
    const sim::TimeStep steps = steps_();
    const double expected_spikes = std::ceil(p * static_cast<double>(steps) * static_cast<double>(pop.size));
    sim::check_memory(saturating_bytes(expected_spikes, kSpikeBytes), file_, where + ".rate", "for the Poisson spike trains");
    for (sim::TimeStep s = 0; s < steps; ++s)
      for (std::uint32_t i = 0; i < pop.size; ++i)
        if (uniform01(seed_, RngStream::poisson, static_cast<std::uint32_t>(index), i, static_cast<std::uint64_t>(s)) < p) {
          trains.neuron.push_back(i);
          trains.step.push_back(s);
        }
    pop.fixed_spikes = std::move(trains);
    return pop;
  }

  sim::TimeStep steps_() const {
    return static_cast<sim::TimeStep>(std::round(quantity(root_["duration"], "s", "duration", true) / dt_));
  }

  sim::Population spike_source(sim::Population pop, const toml::table& t, const std::string& where) {
    const auto ref = h5_ref(t["spikes"]);
    if (!ref) throw Error(file_, where + ".spikes", "\"h5:/group\" with spike_neuron and spike_step datasets", describe(t["spikes"]));
    const h5::Group g = arrays(where + ".spikes").group(*ref);
    const auto neuron = g.read<std::int64_t>("spike_neuron").data;
    const auto step = g.read<std::int64_t>("spike_step").data;
    const std::string field = where + ".spikes";
    if (neuron.size() != step.size())
      throw Error(file_, field, fmt::format("as many spike_step as spike_neuron values ({})", neuron.size()), fmt::format("{}", step.size()));
    for (std::size_t k = 0; k < neuron.size(); ++k) {
      if (neuron[k] < 0 || static_cast<std::size_t>(neuron[k]) >= pop.size)
        throw Error(file_, fmt::format("{}: {}/spike_neuron[{}]", field, *ref, k), fmt::format("a neuron index in [0, {})", pop.size), fmt::format("{}", neuron[k]));
      if (step[k] < 0 || step[k] >= steps_())
        throw Error(file_, fmt::format("{}: {}/spike_step[{}]", field, *ref, k), fmt::format("a step in [0, {})", steps_()), fmt::format("{}", step[k]));
    }
    pop.kind = sim::PopulationKind::Input;
    pop.fixed_spikes = sim::sorted_spike_trains(neuron, step);
    return pop;
  }

  // ---- projections ----------------------------------------------------------------------------

  sim::PopulationId population_ref(const sim::Network& net, const toml::table& t, const char* key, const std::string& where) const {
    const std::string name = string_or(t, key, "", where + "." + key);
    if (auto id = net.find(name)) return *id;
    std::string known;
    for (sim::PopulationId p = 0; p < net.population_count(); ++p) known += (known.empty() ? "" : ", ") + net.population(p).name;
    throw Error(file_, where + "." + key, "one of the populations " + known, name.empty() ? "nothing" : "'" + name + "'");
  }

  void projection(sim::Network& net, const toml::table& t, const std::string& where, std::size_t index) {
    const sim::PopulationId source = population_ref(net, t, "source", where);
    const sim::PopulationId target = population_ref(net, t, "target", where);
    const sim::Population& src = net.population(source);
    const sim::Population& tgt = net.population(target);
    if (tgt.kind != sim::PopulationKind::Spiking)
      throw Error(file_, where + ".target", "a population of neurons", "the spike source '" + tgt.name + "'");
    sim::Projection proj;
    proj.name = string_or(t, "name", fmt::format("{}_to_{}", src.name, tgt.name), where + ".name");
    const auto ports = tgt.dynamics->ports();
    const std::string port = string_or(t, "port", ports[0].name, where + ".port");
    std::string known;
    bool found = false;
    for (std::size_t k = 0; k < ports.size(); ++k) {
      known += (known.empty() ? "" : ", ") + ports[k].name;
      if (ports[k].name == port) {
        proj.port = k;
        found = true;
      }
    }
    if (!found) throw Error(file_, where + ".port", "one of the ports of " + tgt.name + ": " + known, "'" + port + "'");
    const double delay = quantity(t["delay"], "s", where + ".delay", true);
    const double delay_steps = std::round(delay / dt_);
    if (!(delay_steps >= 1) || delay < dt_ * (1 - 1e-9))
      throw Error(file_, where + ".delay", fmt::format("a delay of at least one step (dt = {:g} s)", dt_), fmt::format("{:g} s", delay));
    if (!(delay_steps <= static_cast<double>(sim::kMaxDelaySteps)))
      throw Error(file_, where + ".delay", fmt::format("a delay of at most {} time steps of dt = {:g} s", sim::kMaxDelaySteps, dt_),
                  fmt::format("{:g} s", delay));
    sim::Sparse sparse;
    sparse.delay = static_cast<sim::TimeStep>(delay_steps);
    connect(sparse, t, where, index, src, tgt, source == target);
    weights(sparse, t, where);
    proj.connectivity = std::move(sparse);
    net.connect(source, target, std::move(proj));
  }

  void connect(sim::Sparse& s, const toml::table& t, const std::string& where, std::size_t index, const sim::Population& src,
               const sim::Population& tgt, bool same) {
    const std::string field = where + ".connect";
    const toml::node_view<const toml::node> c(t.get("connect"));
    if (auto ref = h5_ref(c)) return connect_arrays(s, *ref, field, src, tgt);
    if (const auto* rule = c.as_string()) {
      if (rule->get() == "all_to_all") {
        check_synapses(sim::saturating_mul(src.size, tgt.size), field);
        for (std::uint32_t i = 0; i < src.size; ++i)
          for (std::uint32_t j = 0; j < tgt.size; ++j) add(s, i, j);
        return;
      }
      if (rule->get() == "one_to_one") {
        if (src.size != tgt.size)
          throw Error(file_, field, fmt::format("populations of equal size for one_to_one ({} -> {})", src.size, tgt.size), "'one_to_one'");
        check_synapses(src.size, field);
        for (std::uint32_t i = 0; i < src.size; ++i) add(s, i, i);
        return;
      }
    }
    const toml::table* r = c.as_table();
    const std::string expected = "\"all_to_all\", \"one_to_one\", \"h5:/group\", { rule = \"fixed_probability\", p = ... } or { rule = \"fixed_indegree\", n = ... }";
    if (!r) throw Error(file_, field, expected, describe(c));
    const std::string rule = string_or(*r, "rule", "", field + ".rule");
    const toml::node* self_node = r->get("self_connections");
    const bool self = self_node && self_node->as_boolean() ? self_node->as_boolean()->get() : false;
    const bool skip_self = same && !self;
    const auto stream = static_cast<std::uint32_t>(index);
    if (rule == "fixed_probability") {
      const double p = quantity((*r)["p"], "", field + ".p", true);
      if (!(p >= 0 && p <= 1)) throw Error(file_, field + ".p", "a probability in [0, 1]", fmt::format("{:g}", p));
      const double expected_synapses = std::ceil(p * static_cast<double>(src.size) * static_cast<double>(tgt.size));
      sim::check_memory(saturating_bytes(expected_synapses, kSynapseBytes), file_, field, "for the synapses");
      for (std::uint32_t i = 0; i < src.size; ++i)
        for (std::uint32_t j = 0; j < tgt.size; ++j)
          if (!(skip_self && i == j) && uniform01(seed_, RngStream::connectivity, stream, i, j) < p) add(s, i, j);
      return;
    }
    if (rule == "fixed_indegree") {
      const std::int64_t n = integer((*r)["n"], field + ".n", -1, 0);
      const std::size_t candidates = src.size - (skip_self ? 1 : 0);
      if (n < 0 || static_cast<std::size_t>(n) > candidates)
        throw Error(file_, field + ".n", fmt::format("an in-degree in [0, {}]", candidates), describe((*r)["n"]));
      check_synapses(sim::saturating_mul(static_cast<std::size_t>(n), tgt.size), field);
      std::vector<std::vector<std::uint32_t>> sources_of(tgt.size);
      for (std::uint32_t j = 0; j < tgt.size; ++j) {
        std::set<std::uint32_t> chosen;
        for (std::uint64_t draw = 0; chosen.size() < static_cast<std::size_t>(n); ++draw) {
          const auto i = static_cast<std::uint32_t>(uniform01(seed_, RngStream::connectivity, stream, j, draw) * static_cast<double>(src.size));
          if (!(skip_self && i == j)) chosen.insert(i);
        }
        sources_of[j].assign(chosen.begin(), chosen.end());
      }
      // Synapses ordered by source, then target.
      std::vector<std::vector<std::uint32_t>> targets_of(src.size);
      for (std::uint32_t j = 0; j < tgt.size; ++j)
        for (std::uint32_t i : sources_of[j]) targets_of[i].push_back(j);
      for (std::uint32_t i = 0; i < src.size; ++i)
        for (std::uint32_t j : targets_of[i]) add(s, i, j);
      return;
    }
    throw Error(file_, field + ".rule", "'fixed_probability' or 'fixed_indegree'", rule.empty() ? "nothing" : "'" + rule + "'");
  }

  void check_synapses(std::size_t count, const std::string& field) const {
    sim::check_memory(sim::saturating_mul(count, kSynapseBytes), file_, field, "for the synapses");
  }

  /// `count` (a whole number as a double) times `each` bytes, saturating.
  static std::size_t saturating_bytes(double count, std::size_t each) {
    constexpr double too_many = 0x1p62;
    return count >= too_many ? std::numeric_limits<std::size_t>::max()
                             : sim::saturating_mul(static_cast<std::size_t>(count), each);
  }

  static void add(sim::Sparse& s, std::uint32_t i, std::uint32_t j) {
    s.source.push_back(i);
    s.target.push_back(j);
  }

  void connect_arrays(sim::Sparse& s, const std::string& ref, const std::string& field, const sim::Population& src,
                      const sim::Population& tgt) {
    const h5::Group g = arrays(field).group(ref);
    const auto from = g.read<std::int64_t>("source_neuron").data;
    const auto to = g.read<std::int64_t>("target_neuron").data;
    if (from.size() != to.size())
      throw Error(file_, fmt::format("{}: {}/target_neuron", field, ref), fmt::format("{} values (as many as source_neuron)", from.size()),
                  fmt::format("{}", to.size()));
    for (std::size_t k = 0; k < from.size(); ++k) {
      if (from[k] < 0 || static_cast<std::size_t>(from[k]) >= src.size)
        throw Error(file_, fmt::format("{}: {}/source_neuron[{}]", field, ref, k), fmt::format("a neuron index of {} in [0, {})", src.name, src.size),
                    fmt::format("{}", from[k]));
      if (to[k] < 0 || static_cast<std::size_t>(to[k]) >= tgt.size)
        throw Error(file_, fmt::format("{}: {}/target_neuron[{}]", field, ref, k), fmt::format("a neuron index of {} in [0, {})", tgt.name, tgt.size),
                    fmt::format("{}", to[k]));
      add(s, static_cast<std::uint32_t>(from[k]), static_cast<std::uint32_t>(to[k]));
    }
  }

  void weights(sim::Sparse& s, const toml::table& t, const std::string& where) {
    const std::string field = where + ".weight";
    const toml::node_view<const toml::node> w(t.get("weight"));
    if (auto ref = h5_ref(w)) {
      s.weight = arrays(field).read<double>(*ref).data;
      if (s.weight.size() != s.source.size())
        throw Error(file_, field, fmt::format("{} weights (one per synapse)", s.source.size()), fmt::format("{} values in {}", s.weight.size(), *ref));
      return;
    }
    s.weight.assign(s.source.size(), quantity(w, "V", field, true));
  }

  std::filesystem::path path_;
  std::string file_;
  const sim::NeuronRegistry& neurons_;
  std::optional<std::uint64_t> seed_override_;
  toml::table root_;
  double dt_ = 0;
  std::uint64_t seed_ = 0;
  std::filesystem::path arrays_path_;
  std::optional<h5::File> arrays_;
};

}  // namespace

double parse_quantity(const std::string& text, const std::string& unit, const std::string& source, const std::string& field) {
  const std::string got = "'" + text + "'";
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    throw Error(source, field, expected_quantity(unit), got);
  }
  std::string rest = text.substr(used);
  rest.erase(0, rest.find_first_not_of(' '));
  rest.erase(rest.find_last_not_of(' ') + 1);
  if (!std::isfinite(value)) throw Error(source, field, expected_quantity(unit), got);  // "nan", "inf mV"
  if (rest.empty()) return value;  // a plain number: SI
  const auto it = kUnits.find(rest);
  if (it == kUnits.end() || it->second.first != unit) throw Error(source, field, expected_quantity(unit), got);
  return value * it->second.second;
}

bool ExperimentImporter::accepts(const std::filesystem::path& path) const { return path.extension() == ".toml"; }

ImportedNetwork ExperimentImporter::load(const std::filesystem::path& path, const sim::NeuronRegistry& neurons) const {
  return ExperimentReader(path, neurons, std::nullopt).load();
}

ImportedNetwork ExperimentImporter::load_seeded(const std::filesystem::path& path, const sim::NeuronRegistry& neurons,
                                                std::uint64_t seed) const {
  return ExperimentReader(path, neurons, seed).load();
}

}  // namespace snnsim::models
