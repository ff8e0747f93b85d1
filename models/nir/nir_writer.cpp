// SPDX-License-Identifier: MIT
// The NIR writer: the mapping and the time-constant conversion are documented in nir.hpp.
#include <cmath>
#include <limits>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "models/nir/nir.hpp"
#include "models/nir/nir_layout.hpp"
#include "neurons/lif.hpp"
#include "sim/error.hpp"
#include "sim/hdf5/hdf5.hpp"

namespace snnsim::models {

namespace {

namespace key = nir_layout;

/// Why a network cannot be written, in Error's terms (field names the population/projection).
struct Refusal {
  std::string field, expected, got;
};

/// A diagonal matrix of this many rows is the largest analog population or input affine written.
constexpr std::size_t max_diagonal = 16384;
/// The largest dense weight (entries) a sparse projection may become.
constexpr std::size_t max_dense_entries = std::size_t{1} << 26;

std::optional<Refusal> population_refusal(const sim::Population& p) {
  const std::string field = "population " + p.name;
  if (p.name.find('/') != std::string::npos)
    return Refusal{field, "a name without '/' (NIR node names are HDF5 group names)", "'" + p.name + "'"};
  switch (p.kind) {
    case sim::PopulationKind::Input:
      if (p.fixed_spikes)
        return Refusal{field, "an input fed from outside (NIR has no node for stored spike trains)",
                       "fixed spike trains"};
      return std::nullopt;
    case sim::PopulationKind::Spiking:
      if (p.neuron_model != "lif")
        return Refusal{field, "neuron model 'lif' (the one snnsim maps onto NIR's LIF node)",
                       "neuron model '" + p.neuron_model + "'"};
      if (p.input_affine && p.size > max_diagonal)
        return Refusal{field, fmt::format("at most {} neurons for an input affine (a diagonal NIR Affine)", max_diagonal),
                       fmt::format("{}", p.size)};
      return std::nullopt;
    case sim::PopulationKind::Analog:
      if (p.size > max_diagonal)
        return Refusal{field, fmt::format("at most {} channels (an analog stream is a diagonal NIR Affine)", max_diagonal),
                       fmt::format("{}", p.size)};
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<Refusal> projection_refusal(const sim::Network& net, const sim::EdgeRef& e) {
  const sim::Projection& p = *e.projection;
  const std::string field = "projection " + p.name;
  if (p.name.find('/') != std::string::npos)
    return Refusal{field, "a name without '/' (NIR node names are HDF5 group names)", "'" + p.name + "'"};
  if (p.port != 0)
    return Refusal{field, "port 0 (NIR nodes have one input)", fmt::format("port {}", p.port)};
  if (const auto* s = std::get_if<sim::Sparse>(&p.connectivity)) {
    const std::size_t in = net.population(e.source).size, out = net.population(e.target).size;
    if (in * out > max_dense_entries)
      return Refusal{field, fmt::format("at most {} source x target entries (NIR weights are dense)", max_dense_entries),
                     fmt::format("{} x {}", out, in)};
    std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
    for (std::size_t j = 0; j < s->source.size(); ++j)
      if (!seen.emplace(s->source[j], s->target[j]).second)
        return Refusal{field, "one synapse per source-target pair (a NIR weight matrix has one entry each)",
                       fmt::format("two synapses {} -> {}", s->source[j], s->target[j])};
  }
  return std::nullopt;
}

std::optional<Refusal> first_refusal(const sim::Network& net) {
  for (sim::PopulationId id = 0; id < net.population_count(); ++id)
    if (auto r = population_refusal(net.population(id))) return r;
  for (const sim::EdgeRef& e : net.projections())
    if (auto r = projection_refusal(net, e)) return r;
  return std::nullopt;
}

using Values = std::vector<double>;

h5::Shape shape1(std::size_t n) { return {n}; }

/// The NIR nodes and edges being written into `node/` of the file.
class GraphWriter {
 public:
  GraphWriter(h5::Group graph, double dt) : graph_(std::move(graph)), nodes_(graph_.create_group("nodes")), dt_(dt) {}

  /// A node name not yet used: `base`, else `base#2`, `base#3`, ...
  std::string unique(const std::string& base) {
    std::string name = base;
    for (int i = 2; names_.count(name); ++i) name = base + "#" + std::to_string(i);
    names_.insert(name);
    return name;
  }

  h5::Group add(const std::string& name, const char* type) {
    h5::Group g = nodes_.create_group(name);
    g.write_string("type", type);
    return g;
  }

  void edge(const std::string& from, const std::string& to) {
    edges_.push_back(from);
    edges_.push_back(to);
  }

  /// input_type / output_type as NIR's dataclasses hold them ({"input": shape}, {"output": shape}).
  static void types(h5::Group& node, std::size_t in, std::size_t out) {
    node.create_group("input_type").write<std::int64_t>("input", {static_cast<std::int64_t>(in)}, shape1(1));
    node.create_group("output_type").write<std::int64_t>("output", {static_cast<std::int64_t>(out)}, shape1(1));
  }

  /// An Affine node; returns its metadata group.
  h5::Group affine(const std::string& name, const Values& weight, const Values& bias, std::size_t out, std::size_t in) {
    h5::Group g = add(name, "Affine");
    g.write<double>("weight", weight, {out, in}, weight.size() > 4096);
    g.write<double>("bias", bias, shape1(out));
    types(g, in, out);
    return g.create_group("metadata");
  }

  /// A Delay node; returns its metadata group.
  h5::Group delay(const std::string& name, std::size_t size, sim::TimeStep steps) {
    h5::Group g = add(name, "Delay");
    g.write<double>("delay", Values(size, static_cast<double>(steps) * dt_), shape1(size));
    types(g, size, size);
    h5::Group meta = g.create_group("metadata");
    meta.write_string(key::role, "delay");
    meta.write<std::int64_t>("delay_steps", {steps}, {});
    return meta;
  }

  void finish() {
    graph_.write_strings("edges", edges_, {edges_.size() / 2, 2});
  }

  h5::Group& graph() { return graph_; }
  double dt() const { return dt_; }

 private:
  h5::Group graph_;
  h5::Group nodes_;
  double dt_;
  std::set<std::string> names_;
  std::vector<std::string> edges_;
};

void put(h5::Group& meta, const char* name, double v) { meta.write<double>(name, {v}, {}); }
void put_int(h5::Group& meta, const char* name, std::int64_t v) { meta.write<std::int64_t>(name, {v}, {}); }

Values diagonal(const std::vector<double>& d) {
  Values w(d.size() * d.size(), 0.0);
  for (std::size_t i = 0; i < d.size(); ++i) w[i * d.size() + i] = d[i];
  return w;
}

/// Where each population's node sits and where projections into it must go.
struct PopulationNodes {
  std::vector<std::string> node;   ///< the population's own node
  std::vector<std::string> entry;  ///< the node its projections enter (input affine or node)
};

h5::Group write_lif(GraphWriter& w, const sim::Population& p, const std::string& name) {
  const sim::ParamValues v = sim::validate_params(neurons::Lif{}.params(), p.params, "network", p.name);
  const double tau_steps = v.at("tau"), v_reset = static_cast<float>(v.at("v_reset"));
  const bool decay_input = v.at("decay_input") == 1.0;
  const float theta = static_cast<float>(v.at("v_threshold"));
  const double below = std::nextafter(theta, -std::numeric_limits<float>::infinity());
  const std::size_t n = p.size;
  h5::Group g = w.add(name, "LIF");
  g.write<double>("tau", Values(n, tau_steps * w.dt()), shape1(n));
  g.write<double>("r", Values(n, decay_input ? 1.0 : tau_steps), shape1(n));
  g.write<double>("v_leak", Values(n, v_reset), shape1(n));
  g.write<double>("v_threshold", Values(n, below), shape1(n));
  g.write<double>("v_reset", Values(n, v_reset), shape1(n));
  GraphWriter::types(g, n, n);
  h5::Group meta = g.create_group("metadata");
  meta.write_string("model", "lif");
  put(meta, key::tau_steps, tau_steps);
  put_int(meta, key::decay_input, decay_input ? 1 : 0);
  put(meta, key::v_threshold, theta);
  meta.write_string("discretisation",
                    "forward Euler with dt (float32, spikingjelly's order): H = V + (I - (V - v_reset)) / "
                    "tau_steps (decay_input 1) or H = V - (V - v_reset) / tau_steps + I (decay_input 0); "
                    "fire if H >= v_threshold (metadata), i.e. H > the node's v_threshold; hard reset to v_reset");
  return meta;
}

PopulationNodes write_populations(GraphWriter& w, const sim::Network& net, const sim::Schedule& s) {
  PopulationNodes out;
  for (sim::PopulationId id = 0; id < net.population_count(); ++id) {
    const sim::Population& p = net.population(id);
    const std::string name = w.unique(p.name);
    std::optional<h5::Group> meta;
    std::string entry = name;
    switch (p.kind) {
      case sim::PopulationKind::Input: {
        h5::Group g = w.add(name, "Input");
        g.write<std::int64_t>("shape", {static_cast<std::int64_t>(p.size)}, shape1(1));
        g.create_group("input_type").write<std::int64_t>("input", {static_cast<std::int64_t>(p.size)}, shape1(1));
        meta = g.create_group("metadata");
        meta->write_string(key::kind, "input");
        put_int(*meta, key::graded, p.graded ? 1 : 0);
        break;
      }
      case sim::PopulationKind::Analog: {
        const bool has = p.input_affine.has_value();
        meta = w.affine(name, diagonal(has ? p.input_affine->scale : std::vector<double>(p.size, 1.0)),
                        has ? p.input_affine->shift : Values(p.size, 0.0), p.size, p.size);
        meta->write_string(key::kind, "analog");
        put_int(*meta, key::has_affine, has ? 1 : 0);
        break;
      }
      case sim::PopulationKind::Spiking: {
        meta = write_lif(w, p, name);
        meta->write_string(key::kind, "spiking");
        if (p.input_affine) {
          entry = w.unique(p.name + ".input_affine");
          h5::Group am = w.affine(entry, diagonal(p.input_affine->scale), p.input_affine->shift, p.size, p.size);
          am.write_string(key::role, "input_affine");
          am.write_string(key::population, p.name);
          w.edge(entry, name);
        }
        break;
      }
    }
    meta->write_string(key::role, "population");
    meta->write_string(key::population, p.name);
    meta->write_string(key::layer, p.layer);
    put_int(*meta, key::population_index, static_cast<std::int64_t>(id));
    put_int(*meta, key::lag, s.lag[id]);
    out.node.push_back(name);
    out.entry.push_back(entry);
  }
  return out;
}

/// Tags a tap or delay node with the projection it belongs to.
void tag(h5::Group& meta, const sim::Projection& p, const char* connectivity, std::size_t k, std::size_t kernel,
         int first_offset) {
  meta.write_string(key::projection, p.name);
  meta.write_string(key::connectivity, connectivity);
  put_int(meta, key::index, static_cast<std::int64_t>(p.index));
  put_int(meta, key::tap, static_cast<std::int64_t>(k));
  put_int(meta, key::kernel, static_cast<std::int64_t>(kernel));
  put_int(meta, key::first_offset, first_offset);
}

/// source -> [Delay d] -> `into`; returns the node the next edge leaves from.
std::string delayed(GraphWriter& w, const std::string& source, const std::string& base, std::size_t size,
                    sim::TimeStep d, const sim::Projection& p, const char* connectivity, std::size_t k,
                    std::size_t kernel, int first_offset) {
  if (d == 0) return source;
  const std::string name = w.unique(base + ".delay");
  h5::Group meta = w.delay(name, size, d);
  tag(meta, p, connectivity, k, kernel, first_offset);
  w.edge(source, name);
  return name;
}

void write_conv(GraphWriter& w, const sim::EdgeRef& e, const sim::Conv1d& c, const std::string& src,
                const std::string& dst, sim::TimeStep lag_gap) {
  const sim::Projection& p = *e.projection;
  for (std::size_t k = 0; k < c.kernel; ++k) {
    const std::string base = c.kernel == 1 ? p.name : p.name + ".tap" + std::to_string(k);
    const sim::TimeStep d = lag_gap - (c.first_offset + static_cast<sim::TimeStep>(k));
    const std::string from = delayed(w, src, base, c.in, d, p, "conv1d", k, c.kernel, c.first_offset);
    Values weight(c.out * c.in);
    for (std::size_t o = 0; o < c.out; ++o)
      for (std::size_t i = 0; i < c.in; ++i) weight[o * c.in + i] = c.weight[(o * c.in + i) * c.kernel + k];
    const bool bias = k == 0 && !c.bias.empty();
    const std::string name = w.unique(base);
    h5::Group meta = w.affine(name, weight, bias ? c.bias : Values(c.out, 0.0), c.out, c.in);
    meta.write_string(key::role, "tap");
    put_int(meta, key::has_bias, bias ? 1 : 0);
    tag(meta, p, "conv1d", k, c.kernel, c.first_offset);
    w.edge(from, name);
    w.edge(name, dst);
  }
}

void write_sparse(GraphWriter& w, const sim::EdgeRef& e, const sim::Sparse& s, std::size_t in, std::size_t out,
                  const std::string& src, const std::string& dst, sim::TimeStep lag_gap) {
  const sim::Projection& p = *e.projection;
  const int offset = -static_cast<int>(s.delay);
  const std::string from = delayed(w, src, p.name, in, lag_gap + s.delay, p, "sparse", 0, 1, offset);
  Values weight(out * in, 0.0);
  for (std::size_t j = 0; j < s.source.size(); ++j) weight[s.target[j] * in + s.source[j]] = s.weight[j];
  const std::string name = w.unique(p.name);
  h5::Group meta = w.affine(name, weight, Values(out, 0.0), out, in);
  meta.write_string(key::role, "tap");
  put_int(meta, key::has_bias, 0);
  tag(meta, p, "sparse", 0, 1, offset);
  w.edge(from, name);
  w.edge(name, dst);
}

void write_projections(GraphWriter& w, const sim::Network& net, const sim::Schedule& s, const PopulationNodes& pn) {
  std::vector<std::string> identity;
  std::vector<std::int64_t> identity_index;
  for (const sim::EdgeRef& e : net.projections()) {
    const std::string& src = pn.node[e.source];
    const std::string& dst = pn.entry[e.target];
    const sim::TimeStep gap = s.lag[e.target] - s.lag[e.source];
    const sim::Projection& p = *e.projection;
    std::visit(
        [&](const auto& c) {
          using C = std::decay_t<decltype(c)>;
          if constexpr (std::is_same_v<C, sim::Conv1d>) {
            write_conv(w, e, c, src, dst, gap);
          } else if constexpr (std::is_same_v<C, sim::Sparse>) {
            write_sparse(w, e, c, net.population(e.source).size, net.population(e.target).size, src, dst, gap);
          } else {
            w.edge(delayed(w, src, p.name, net.population(e.source).size, gap, p, "identity", 0, 1, 0), dst);
            identity.insert(identity.end(), {p.name, net.population(e.source).name, net.population(e.target).name});
            identity_index.push_back(static_cast<std::int64_t>(p.index));
          }
        },
        p.connectivity);
  }
  h5::Group meta = w.graph().group("metadata");
  meta.write_strings(key::identity_projections, identity, {identity_index.size(), 3});
  meta.write<std::int64_t>(key::identity_index, identity_index, shape1(identity_index.size()));
}

void write_outputs(GraphWriter& w, const sim::Network& net, const sim::Schedule& s, const PopulationNodes& pn) {
  for (std::size_t i = 0; i < net.outputs().size(); ++i) {
    const sim::Output& o = net.outputs()[i];
    const std::string name = w.unique(o.name);
    const std::size_t n = net.population(o.population).size;
    h5::Group g = w.add(name, "Output");
    g.write<std::int64_t>("shape", {static_cast<std::int64_t>(n)}, shape1(1));
    g.create_group("output_type").write<std::int64_t>("output", {static_cast<std::int64_t>(n)}, shape1(1));
    h5::Group meta = g.create_group("metadata");
    meta.write_string(key::role, "output");
    meta.write_string(key::output_name, o.name);
    put_int(meta, key::index, static_cast<std::int64_t>(i));
    put_int(meta, key::lag, s.lag[o.population]);
    w.edge(pn.node[o.population], name);
  }
}

double dt_option(const ExportOptions& options, const std::filesystem::path& path) {
  const auto it = options.settings.find("dt");
  if (it == options.settings.end()) return nir_default_dt;
  try {
    std::size_t used = 0;
    const double dt = std::stod(it->second, &used);
    if (used == it->second.size() && std::isfinite(dt) && dt > 0) return dt;
  } catch (const std::exception&) {
  }
  throw Error(path.string(), "option dt", "a positive number of seconds", "'" + it->second + "'");
}

void write_graph_metadata(h5::Group& meta, const sim::Network& net, const sim::Schedule& s, double dt) {
  meta.write_string("generator", "snnsim");
  meta.write_string(key::network_name, net.name());
  put(meta, key::dt, dt);
  put_int(meta, key::steps, net.steps());
  put_int(meta, "max_lag", s.max_lag);
  meta.write_string("precision", sim::to_string(net.precision()));
  meta.write_string("time_convention",
                    "discrete steps of dt seconds; a node with metadata lag L outputs at step tau the value of "
                    "snnsim step tau - L (look-ahead absorbed by delays), holds its initial state for its first L "
                    "steps, and sources outside [0, steps) are zero");
}

}  // namespace

sim::Support NirExporter::can_export(const sim::Network& net) const {
  if (auto r = first_refusal(net)) return {false, r->field + ": expected " + r->expected + ", got " + r->got};
  return {};
}

void NirExporter::write(const sim::Network& net, const std::filesystem::path& path, const ExportOptions& options) const {
  if (auto r = first_refusal(net)) throw Error(path.string(), r->field, r->expected, r->got);
  const double dt = dt_option(options, path);
  const sim::Schedule schedule = sim::make_schedule(net);
  h5::AtomicH5Writer file(path);
  file.root().write_string("version", nir_layout::version);
  h5::Group graph = file.root().create_group("node");
  graph.write_string("type", "NIRGraph");
  h5::Group meta = graph.create_group("metadata");
  write_graph_metadata(meta, net, schedule, dt);
  GraphWriter w(std::move(graph), dt);
  const PopulationNodes pn = write_populations(w, net, schedule);
  write_projections(w, net, schedule, pn);
  write_outputs(w, net, schedule, pn);
  w.finish();
  file.commit();
}

}  // namespace snnsim::models
