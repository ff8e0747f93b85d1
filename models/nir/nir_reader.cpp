// SPDX-License-Identifier: MIT
// The NIR reader: inverts the mapping of nir.hpp. A file snnsim wrote carries metadata naming the
// populations, projections, taps and connection order, and reads back into the identical network;
// a file from elsewhere is read by its structure (population -> [Delay] -> Affine/Linear ->
// population), each weight node becoming one projection in edge order.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "models/nir/nir.hpp"
#include "models/nir/nir_layout.hpp"
#include "sim/error.hpp"
#include "sim/hdf5/hdf5.hpp"
#include "sim/memory_limit.hpp"

namespace snnsim::models {

namespace {

namespace key = nir_layout;

const char* const kKnownTypes = "Affine, Delay, Input, LIF, Linear, Output";
/// Bounds of metadata integers (indices, lags, kernel taps, delays): far beyond any real network,
/// small enough that offsets and sums of them cannot overflow.
constexpr std::int64_t kMaxCount = std::int64_t{1} << 40;
constexpr std::int64_t kMaxSteps = std::int64_t{1} << 31;

enum class Role { Population, InputAffine, Tap, Delay, Output };

struct Node {
  std::string name, type;
  Role role = Role::Tap;
  h5::Group group;
  std::optional<h5::Group> meta;
  std::vector<std::size_t> pred, succ;  ///< node indices, in edge order
  std::vector<std::size_t> in_edges;    ///< edge indices into this node
  sim::PopulationId population = 0;     ///< Population and InputAffine roles
};

class NirReader {
 public:
  NirReader(const std::filesystem::path& path, const sim::NeuronRegistry& neurons)
      : file_(h5::File::open_read(path)), origin_(path.string()), neurons_(neurons), path_(path) {}

  ImportedNetwork load() {
    check_graph();
    read_nodes();
    read_edges();
    read_graph_metadata();
    ImportedNetwork out;
    out.network = std::make_unique<sim::Network>(name_, steps_, sim::Precision::F32);
    net_ = out.network.get();
    add_populations();
    add_projections();
    add_outputs();
    sim::check_memory(sim::trial_bytes(*out.network), origin_, "node/metadata/steps", "to simulate one trial");
    out.dt_seconds = dt_;
    return out;
  }

 private:
  // ---- metadata ------------------------------------------------------------------------
  std::optional<std::string> meta_str(const Node& n, const char* k) const {
    if (!n.meta || !n.meta->is_dataset(k)) return std::nullopt;
    return n.meta->read_string(k);
  }
  std::optional<double> meta_num(const Node& n, const char* k) const {
    if (!n.meta || !n.meta->is_dataset(k)) return std::nullopt;
    const h5::Array<double> a = n.meta->read<double>(k);
    if (a.size() != 1) throw Error(origin_, n.meta->full_path(k), "a single number", "shape " + h5::shape_str(a.shape));
    return a.data[0];
  }
  /// An integral metadata value in [lo, hi] (casting anything else would be undefined).
  std::optional<std::int64_t> meta_int(const Node& n, const char* k, std::int64_t lo, std::int64_t hi) const {
    const std::optional<double> v = meta_num(n, k);
    if (!v) return std::nullopt;
    if (!(*v >= static_cast<double>(lo) && *v <= static_cast<double>(hi)) || *v != std::floor(*v))
      throw Error(origin_, where(n, std::string("metadata/") + k), fmt::format("an integer from {} to {}", lo, hi),
                  fmt::format("{}", *v));
    return static_cast<std::int64_t>(*v);
  }
  /// `values` of `member`, refused when one is NaN or infinite (it would poison every sum).
  const std::vector<double>& finite(const Node& n, const char* member, const std::vector<double>& values) const {
    for (std::size_t i = 0; i < values.size(); ++i)
      if (!std::isfinite(values[i]))
        throw Error(origin_, where(n, member), "finite numbers", fmt::format("{} at element {}", values[i], i));
    return values;
  }
  std::string where(const Node& n, std::string_view member = "") const {
    return "node/nodes/" + n.name + (member.empty() ? "" : "/" + std::string(member));
  }

  // ---- structure -----------------------------------------------------------------------
  void check_graph() {
    if (!file_.is_group("node")) throw Error(origin_, "node", "the NIR graph group", "nothing");
    const std::string type = file_.is_dataset("node/type") ? file_.read_string("node/type") : "nothing";
    if (type != "NIRGraph") throw Error(origin_, "node/type", "'NIRGraph'", "'" + type + "'");
    if (!file_.is_group("node/nodes")) throw Error(origin_, "node/nodes", "a group of nodes", "nothing");
  }

  void read_nodes() {
    h5::Group nodes = file_.group("node/nodes");
    for (const std::string& name : nodes.children()) {
      Node n{name, "", Role::Tap, nodes.group(name), std::nullopt, {}, {}, {}, 0};
      if (!n.group.is_dataset("type")) throw Error(origin_, where(n, "type"), "a node type string", "nothing");
      n.type = n.group.read_string("type");
      if (n.group.is_group("metadata")) n.meta = n.group.group("metadata");
      n.role = role_of(n);
      index_[name] = nodes_.size();
      nodes_.push_back(std::move(n));
    }
  }

  Role role_of(const Node& n) const {
    const std::string role = meta_str(n, key::role).value_or("");
    if (n.type == "Input" || n.type == "LIF") return Role::Population;
    if (n.type == "Output") return Role::Output;
    if (n.type == "Delay") return Role::Delay;
    if (n.type == "Affine" && role == "population") return Role::Population;
    if (n.type == "Affine" && role == "input_affine") return Role::InputAffine;
    if (n.type == "Affine" || n.type == "Linear") return Role::Tap;
    throw Error(origin_, where(n, "type"), std::string("one of the node types snnsim reads: ") + kKnownTypes,
                "'" + n.type + "'");
  }

  void read_edges() {
    if (!file_.has("node/edges")) return;
    const h5::Array<std::string> e = file_.read_strings("node/edges");
    const bool empty = e.size() == 0;
    if (!empty && (e.shape.size() != 2 || e.shape[1] != 2))
      throw Error(origin_, "node/edges", "an (N, 2) array of node names", "shape " + h5::shape_str(e.shape));
    for (std::size_t i = 0; !empty && i < e.shape[0]; ++i) {
      const std::string field = fmt::format("node/edges[{}]", i);
      for (int side = 0; side < 2; ++side)
        if (!index_.count(e.data[2 * i + side]))
          throw Error(origin_, field, "names of nodes in node/nodes", "'" + e.data[2 * i + side] + "' (no such node)");
      const std::size_t a = index_.at(e.data[2 * i]), b = index_.at(e.data[2 * i + 1]);
      check_edge(field, nodes_[a], nodes_[b]);
      nodes_[a].succ.push_back(b);
      nodes_[b].pred.push_back(a);
      nodes_[b].in_edges.push_back(i);
    }
  }

  void check_edge(const std::string& field, const Node& a, const Node& b) const {
    const bool entry = (b.role == Role::Population && b.type != "Input") || b.role == Role::InputAffine;
    bool ok = false;
    switch (a.role) {
      case Role::Population: ok = entry || b.role == Role::Tap || b.role == Role::Delay || b.role == Role::Output; break;
      case Role::Delay: ok = entry || b.role == Role::Tap; break;
      case Role::Tap: ok = entry; break;
      case Role::InputAffine: ok = b.type == "LIF"; break;
      case Role::Output: ok = false; break;
    }
    if (!ok)
      throw Error(origin_, field,
                  "population -> weight, delay, population or Output; delay -> weight or population; weight -> "
                  "population",
                  "'" + a.name + "' (" + a.type + ") -> '" + b.name + "' (" + b.type + ")");
  }

  void read_graph_metadata() {
    const Node graph{"", "NIRGraph", Role::Tap, file_.group("node"),
                     file_.is_group("node/metadata") ? std::optional<h5::Group>(file_.group("node/metadata")) : std::nullopt,
                     {}, {}, {}, 0};
    dt_ = meta_num(graph, key::dt).value_or(nir_default_dt);
    if (!(dt_ > 0) || !std::isfinite(dt_)) throw Error(origin_, "node/metadata/dt", "a positive number of seconds", fmt::format("{}", dt_));
    const double steps = meta_num(graph, key::steps).value_or(static_cast<double>(nir_default_steps));
    // 2^53: every integer up to it is exact in a double, and the cast below stays defined.
    if (!(steps >= 1 && steps <= 9007199254740992.0) || steps != std::floor(steps))
      throw Error(origin_, "node/metadata/steps", "a positive integer", fmt::format("{}", steps));
    steps_ = static_cast<sim::TimeStep>(steps);
    name_ = meta_str(graph, key::network_name).value_or(path_.stem().string());
    if (graph.meta && graph.meta->is_dataset(key::identity_projections)) {
      const h5::Array<std::string> ids = graph.meta->read_strings(key::identity_projections);
      const h5::Array<std::int64_t> idx = graph.meta->read<std::int64_t>(key::identity_index);
      if (idx.size() * 3 != ids.size())
        throw Error(origin_, "node/metadata/identity_projections", fmt::format("{} rows of 3 names", idx.size()),
                    "shape " + h5::shape_str(ids.shape));
      for (std::size_t i = 0; i < idx.size(); ++i)
        identities_.push_back({ids.data[3 * i], ids.data[3 * i + 1], ids.data[3 * i + 2], idx.data[i], false});
    }
  }

  // ---- populations ---------------------------------------------------------------------
  /// A parameter vector of `n` equal values (snnsim's populations share one parameter set).
  double uniform(const Node& n, const char* member, std::size_t size) const {
    const h5::Array<double> a = n.group.read<double>(member, {size});
    for (double v : a.data)
      if (v != a.data[0])
        throw Error(origin_, where(n, member), "one value for every neuron (snnsim populations share parameters)",
                    fmt::format("{} and {}", a.data[0], v));
    return a.data.empty() ? 0.0 : a.data[0];
  }

  std::size_t input_size(const Node& n) const {
    const h5::Array<std::int64_t> s = n.group.read<std::int64_t>("shape");
    if (s.size() != 1 || s.data[0] < 1)
      throw Error(origin_, where(n, "shape"), "one positive size (a flat population)", "shape " + h5::shape_str(s.shape));
    return static_cast<std::size_t>(s.data[0]);
  }

  /// The diagonal and bias of a diagonal Affine (an analog stream or an input affine).
  sim::Affine diagonal_affine(const Node& n) const {
    const h5::Shape shape = n.group.shape("weight");
    if (shape.size() != 2 || shape[0] != shape[1] || shape[0] == 0)
      throw Error(origin_, where(n, "weight"), "a square matrix", "shape " + h5::shape_str(shape));
    const std::size_t size = shape[0];
    const h5::Array<double> w = n.group.read<double>("weight");
    finite(n, "weight", w.data);
    sim::Affine a{std::vector<double>(size), n.group.read<double>("bias", {size}).data};
    finite(n, "bias", a.shift);
    for (std::size_t i = 0; i < size; ++i)
      for (std::size_t j = 0; j < size; ++j) {
        const double v = w.data[i * size + j];
        if (i == j) a.scale[i] = v;
        else if (v != 0.0)
          throw Error(origin_, where(n, "weight"), "a diagonal matrix (a per-channel affine)",
                      fmt::format("{} at [{}, {}]", v, i, j));
      }
    return a;
  }

  sim::ParamValues lif_params(const Node& n, std::size_t size) const {
    const double tau = uniform(n, "tau", size), r = uniform(n, "r", size);
    const double v_leak = uniform(n, "v_leak", size), v_reset = uniform(n, "v_reset", size);
    const double v_thr = uniform(n, "v_threshold", size);
    if (v_leak != v_reset)
      throw Error(origin_, where(n, "v_leak"), fmt::format("v_reset ({}) (snnsim's LIF leaks towards its reset)", v_reset),
                  fmt::format("{}", v_leak));
    double tau_steps = tau / dt_;
    if (const auto m = meta_num(n, key::tau_steps); m && std::abs(*m - tau_steps) <= 1e-9 * *m) tau_steps = *m;
    double decay_input = 1.0;
    if (r == 1.0) decay_input = 1.0;
    else if (std::abs(r - tau_steps) <= 1e-9 * tau_steps) decay_input = 0.0;
    else
      throw Error(origin_, where(n, "r"), fmt::format("1 or tau / dt = {} (snnsim's LIF discretisations)", tau_steps),
                  fmt::format("{}", r));
    if (!(std::abs(v_thr) <= 1e30))  // the lif model's bound, checked before the float32 cast
      throw Error(origin_, where(n, "v_threshold"), "a value within +-1e30", fmt::format("{}", v_thr));
    // NIR fires at v > v_threshold, snnsim at H >= theta: theta is the next float32 above.
    const float theta = std::nextafter(static_cast<float>(v_thr), std::numeric_limits<float>::infinity());
    return {{"tau", tau_steps}, {"v_threshold", theta}, {"v_reset", v_reset}, {"decay_input", decay_input}};
  }

  sim::Population make_population(const Node& n) {
    sim::Population p;
    p.name = meta_str(n, key::population).value_or(n.name);
    p.layer = meta_str(n, key::layer).value_or("");
    if (n.type == "Input") {
      p.kind = sim::PopulationKind::Input;
      p.size = input_size(n);
      p.graded = meta_num(n, key::graded).value_or(1.0) != 0.0;
    } else if (n.type == "LIF") {
      p.kind = sim::PopulationKind::Spiking;
      p.size = n.group.shape("tau").empty() ? 0 : n.group.shape("tau")[0];
      if (n.group.shape("tau").size() != 1 || p.size == 0)
        throw Error(origin_, where(n, "tau"), "one value per neuron", "shape " + h5::shape_str(n.group.shape("tau")));
      p.neuron_model = "lif";
      p.params = lif_params(n, p.size);
      p.dynamics = neurons_.get("lif", origin_, where(n)).instantiate(p.params, {}, p.size, origin_, where(n));
      for (std::size_t j : n.pred)
        if (nodes_[j].role == Role::InputAffine) {
          if (p.input_affine) throw Error(origin_, where(n), "at most one input affine", "two");
          p.input_affine = diagonal_affine(nodes_[j]);
          if (p.input_affine->scale.size() != p.size)
            throw Error(origin_, where(nodes_[j], "weight"), fmt::format("shape [{0}, {0}]", p.size),
                        fmt::format("shape [{0}, {0}]", p.input_affine->scale.size()));
        }
    } else {
      p.kind = sim::PopulationKind::Analog;
      sim::Affine a = diagonal_affine(n);
      p.size = a.scale.size();
      if (meta_num(n, key::has_affine).value_or(1.0) != 0.0) p.input_affine = std::move(a);
    }
    return p;
  }

  void add_populations() {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < nodes_.size(); ++i)
      if (nodes_[i].role == Role::Population) order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return meta_int(nodes_[a], key::population_index, 0, kMaxCount).value_or(kMaxCount) <
             meta_int(nodes_[b], key::population_index, 0, kMaxCount).value_or(kMaxCount);
    });
    for (std::size_t i : order) {
      sim::Population p = make_population(nodes_[i]);
      if (net_->find(p.name)) throw Error(origin_, where(nodes_[i]), "a population name used once", "'" + p.name + "' twice");
      nodes_[i].population = net_->add_population(std::move(p));
    }
    for (Node& n : nodes_) {
      if (n.role != Role::InputAffine) continue;
      if (n.succ.size() != 1)
        throw Error(origin_, where(n), "one outgoing edge (to its LIF)", fmt::format("{}", n.succ.size()));
      n.population = nodes_[n.succ[0]].population;
    }
  }

  // ---- projections ---------------------------------------------------------------------
  struct Tap {
    std::string projection;
    std::optional<std::int64_t> index;
    std::size_t order = 0;  ///< first edge index, for files without metadata
    std::string connectivity;
    std::size_t k = 0, kernel = 1;
    sim::PopulationId source = 0, target = 0;
    sim::TimeStep offset = 0;
    std::optional<h5::Array<double>> weight;  ///< [out][in]; none for an identity
    std::vector<double> bias;
    std::string field;  ///< where errors point
  };

  struct IdentityName {
    std::string name, source, target;
    std::int64_t index;
    bool used;
  };

  sim::TimeStep lag(sim::PopulationId p) const { return lag_.at(p); }

  sim::TimeStep delay_steps(const Node& d, std::size_t size) const {
    const double seconds = uniform(d, "delay", size);
    const double steps = std::round(seconds / dt_);
    if (!(steps >= 0 && steps <= static_cast<double>(sim::kMaxDelaySteps)) || std::abs(seconds / dt_ - steps) > 1e-6 * std::max(1.0, steps))
      throw Error(origin_, where(d, "delay"), fmt::format("a whole number of steps of dt = {} s", dt_),
                  fmt::format("{} s", seconds));
    return static_cast<sim::TimeStep>(steps);
  }

  /// The source step a tap reads, relative to its target's step (file lags and delays allow
  /// 2^32 either way): at most sim::kMaxDelaySteps back or ahead, so that offsets fit an int
  /// and a sparse projection's delay is one snnsim holds.
  sim::TimeStep tap_offset(sim::PopulationId target, sim::PopulationId source, sim::TimeStep delay,
                           const std::string& field) const {
    const sim::TimeStep offset = lag(target) - lag(source) - delay;
    if (offset < -sim::kMaxDelaySteps || offset > sim::kMaxDelaySteps)
      throw Error(origin_, field,
                  fmt::format("a tap reading at most {} steps back or ahead (lags and delays)", sim::kMaxDelaySteps),
                  fmt::format("step t{:+} of {}", offset, net_->population(source).name));
    return offset;
  }

  /// The population node a tap or delay reads from, and the delay on the way.
  std::pair<sim::PopulationId, sim::TimeStep> source_of(const Node& n) const {
    if (n.pred.size() != 1)
      throw Error(origin_, where(n), "one incoming edge", fmt::format("{} incoming edges", n.pred.size()));
    const Node& p = nodes_[n.pred[0]];
    if (p.role == Role::Population) return {p.population, 0};
    if (p.pred.size() != 1 || nodes_[p.pred[0]].role != Role::Population)
      throw Error(origin_, where(p), "one incoming edge from a population", fmt::format("{} incoming edges", p.pred.size()));
    const sim::PopulationId src = nodes_[p.pred[0]].population;
    return {src, delay_steps(p, net_->population(src).size)};
  }

  sim::PopulationId target_of(const Node& n) const {
    if (n.succ.size() != 1)
      throw Error(origin_, where(n), "one outgoing edge", fmt::format("{} outgoing edges", n.succ.size()));
    return nodes_[n.succ[0]].population;
  }

  void fill_tap_metadata(const Node& n, Tap& t) const {
    t.projection = meta_str(n, key::projection).value_or(n.name);
    t.index = meta_int(n, key::index, 0, kMaxCount);
    t.connectivity = meta_str(n, key::connectivity).value_or("conv1d");
    t.kernel = static_cast<std::size_t>(meta_int(n, key::kernel, 1, kMaxSteps).value_or(1));
    t.k = static_cast<std::size_t>(meta_int(n, key::tap, 0, static_cast<std::int64_t>(t.kernel) - 1).value_or(0));
    t.order = n.in_edges.empty() ? 0 : n.in_edges[0];
    t.field = where(n);
  }

  std::vector<Tap> collect_taps() const {
    std::vector<Tap> taps;
    for (const Node& n : nodes_) {
      if (n.role != Role::Tap) continue;
      Tap t;
      fill_tap_metadata(n, t);
      auto [src, d] = source_of(n);
      t.source = src;
      t.target = target_of(n);
      t.offset = tap_offset(t.target, src, d, where(n));
      const std::size_t in = net_->population(src).size, out = net_->population(t.target).size;
      t.weight = n.group.read<double>("weight", {out, in});
      finite(n, "weight", t.weight->data);
      if (n.type == "Affine" && meta_num(n, key::has_bias).value_or(1.0) != 0.0)
        t.bias = finite(n, "bias", n.group.read<double>("bias", {out}).data);
      taps.push_back(std::move(t));
    }
    return taps;
  }

  /// Identity projections: delays straight into a population and direct population edges.
  std::vector<Tap> collect_identities() {
    std::vector<Tap> taps;
    auto add = [&](sim::PopulationId src, sim::PopulationId dst, sim::TimeStep d, std::size_t order, const std::string& field) {
      Tap t;
      t.connectivity = "identity";
      t.source = src;
      t.target = dst;
      t.offset = tap_offset(dst, src, d, field);
      t.order = order;
      t.field = field;
      name_identity(t);
      taps.push_back(std::move(t));
    };
    for (const Node& n : nodes_) {
      if (n.role == Role::Delay && n.succ.size() == 1 && nodes_[n.succ[0]].role != Role::Tap) {
        if (n.pred.size() != 1)
          throw Error(origin_, where(n), "one incoming edge", fmt::format("{} incoming edges", n.pred.size()));
        const sim::PopulationId src = nodes_[n.pred[0]].population;
        add(src, target_of(n), delay_steps(n, net_->population(src).size), n.in_edges[0], where(n));
      }
      if (n.role == Role::Population || n.role == Role::InputAffine)
        for (std::size_t j = 0; j < n.pred.size(); ++j)
          if (nodes_[n.pred[j]].role == Role::Population)
            add(nodes_[n.pred[j]].population, n.population, 0, n.in_edges[j], where(n));
    }
    return taps;
  }

  void name_identity(Tap& t) {
    const std::string& src = net_->population(t.source).name;
    const std::string& dst = net_->population(t.target).name;
    for (IdentityName& id : identities_)
      if (!id.used && id.source == src && id.target == dst) {
        id.used = true;
        t.projection = id.name;
        t.index = id.index;
        return;
      }
    t.projection = src + "->" + dst;
  }

  sim::Connectivity conv_from(std::vector<const Tap*>& group) const {
    std::sort(group.begin(), group.end(), [](const Tap* a, const Tap* b) { return a->k < b->k; });
    const Tap& first = *group.front();
    const std::size_t kernel = group.size();
    const std::size_t out = net_->population(first.target).size, in = net_->population(first.source).size;
    for (std::size_t k = 0; k < kernel; ++k) {
      const Tap& t = *group[k];
      if (t.k != k || t.kernel != kernel || t.source != first.source || t.target != first.target ||
          t.offset != first.offset + static_cast<sim::TimeStep>(k))
        throw Error(origin_, t.field, fmt::format("tap {} of {} of projection {} reading step t{:+}", k, kernel,
                                                  first.projection, first.offset + static_cast<sim::TimeStep>(k)),
                    fmt::format("tap {} of {} reading step t{:+}", t.k, t.kernel, t.offset));
    }
    if (first.connectivity == "sparse") {
      if (kernel != 1 || first.offset > -1)
        throw Error(origin_, first.field, "a sparse projection of one tap with a delay of at least one step",
                    fmt::format("{} taps reading step t{:+}", kernel, first.offset));
      sim::Sparse s;
      s.delay = -first.offset;
      for (std::size_t i = 0; i < in; ++i)
        for (std::size_t o = 0; o < out; ++o)
          if (const double w = first.weight->data[o * in + i]; w != 0.0) {
            s.source.push_back(static_cast<std::uint32_t>(i));
            s.target.push_back(static_cast<std::uint32_t>(o));
            s.weight.push_back(w);
          }
      return s;
    }
    sim::Conv1d c;
    c.out = out;
    c.in = in;
    c.kernel = kernel;
    c.first_offset = static_cast<int>(first.offset);
    c.weight.resize(out * in * kernel);
    for (std::size_t k = 0; k < kernel; ++k) {
      for (std::size_t o = 0; o < out; ++o)
        for (std::size_t i = 0; i < in; ++i) c.weight[(o * in + i) * kernel + k] = group[k]->weight->data[o * in + i];
      if (!group[k]->bias.empty()) {
        if (k != 0) throw Error(origin_, group[k]->field, "a bias on tap 0 only", fmt::format("a bias on tap {}", k));
        c.bias = group[k]->bias;
      }
    }
    return c;
  }

  sim::Connectivity identity_from(const Tap& t) const {
    if (t.offset == 0) return sim::Identity{};
    // A delayed identity from a file of elsewhere: a diagonal kernel-1 convolution.
    const std::size_t n = net_->population(t.source).size;
    sim::Conv1d c;
    c.out = c.in = n;
    c.first_offset = static_cast<int>(t.offset);
    c.weight.assign(n * n, 0.0);
    for (std::size_t i = 0; i < n; ++i) c.weight[i * n + i] = 1.0;
    return c;
  }

  void add_projections() {
    lag_.assign(net_->population_count(), 0);
    for (const Node& n : nodes_)
      if (n.role == Role::Population) lag_[n.population] = meta_int(n, key::lag, 0, kMaxSteps).value_or(0);

    std::vector<Tap> taps = collect_taps();
    std::vector<Tap> ids = collect_identities();
    std::map<std::string, std::vector<const Tap*>> groups;
    for (const Tap& t : taps) groups[t.projection].push_back(&t);

    struct Pending {
      double key;
      std::size_t order;
      sim::PopulationId source, target;
      sim::Projection projection;
    };
    std::vector<Pending> pending;
    auto sort_key = [](const Tap& t) { return t.index ? static_cast<double>(*t.index) : 1e18; };
    for (auto& [name, group] : groups) {
      const Tap& first = *group.front();
      sim::Connectivity c = conv_from(group);
      pending.push_back({sort_key(*group.front()), group.front()->order, first.source, first.target,
                         {name, 0, std::move(c), 0}});
    }
    for (const Tap& t : ids)
      pending.push_back({sort_key(t), t.order, t.source, t.target, {t.projection, 0, identity_from(t), 0}});
    std::stable_sort(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) {
      return a.key != b.key ? a.key < b.key : a.order < b.order;
    });
    for (Pending& p : pending) net_->connect(p.source, p.target, std::move(p.projection));
  }

  void add_outputs() {
    std::vector<std::pair<double, std::size_t>> outs;
    for (std::size_t i = 0; i < nodes_.size(); ++i)
      if (nodes_[i].role == Role::Output)
        outs.push_back({static_cast<double>(meta_int(nodes_[i], key::index, 0, kMaxCount).value_or(kMaxCount)), i});
    std::stable_sort(outs.begin(), outs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [k, i] : outs) {
      const Node& n = nodes_[i];
      if (n.pred.size() != 1)
        throw Error(origin_, where(n), "one incoming edge from a population", fmt::format("{} incoming edges", n.pred.size()));
      net_->add_output(nodes_[n.pred[0]].population, meta_str(n, key::output_name).value_or(n.name));
    }
  }

  h5::File file_;
  std::string origin_;
  const sim::NeuronRegistry& neurons_;
  std::filesystem::path path_;
  std::vector<Node> nodes_;
  std::map<std::string, std::size_t> index_;
  std::vector<IdentityName> identities_;
  std::vector<sim::TimeStep> lag_;
  double dt_ = nir_default_dt;
  sim::TimeStep steps_ = nir_default_steps;
  std::string name_;
  sim::Network* net_ = nullptr;
};

}  // namespace

bool NirImporter::accepts(const std::filesystem::path& path) const {
  if (path.extension() == ".nir") return true;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  try {
    const h5::File f = h5::File::open_read(path);
    return f.is_dataset("version") && f.is_dataset("node/type") && f.read_string("node/type") == "NIRGraph";
  } catch (const Error&) {
    return false;
  }
}

ImportedNetwork NirImporter::load(const std::filesystem::path& path, const sim::NeuronRegistry& neurons) const {
  return NirReader(path, neurons).load();
}

}  // namespace snnsim::models
