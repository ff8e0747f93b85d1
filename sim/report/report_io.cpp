// SPDX-License-Identifier: MIT
// Reading and checking run reports, and their CSV tables.
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "sim/atomic_file.hpp"
#include "sim/error.hpp"
#include "sim/report/run_report.hpp"

namespace snnsim::report {

namespace {

using nlohmann::json;

std::string describe(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return fmt::format("an array of {}", j.size());
    case json::value_t::string: return "the string " + j.dump();
    case json::value_t::boolean: return j.dump();
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "the number " + j.dump();
    default: return "binary data";
  }
}

/// Field checks with the dotted path of the field in every error.
class Checker {
 public:
  explicit Checker(std::string source) : source_(std::move(source)) {}
  const std::string& source() const noexcept { return source_; }

  const json& member(const json& parent, const std::string& path, const std::string& key) const {
    const std::string field = path.empty() ? key : path + "." + key;
    if (!parent.is_object() || !parent.contains(key)) throw Error(source_, field, "a value", "nothing (missing)");
    return parent.at(key);
  }
  const json& object(const json& parent, const std::string& path, const std::string& key) const {
    const json& j = member(parent, path, key);
    if (!j.is_object()) fail(path, key, "an object", j);
    return j;
  }
  const json& array(const json& parent, const std::string& path, const std::string& key, std::size_t size = npos) const {
    const json& j = member(parent, path, key);
    if (!j.is_array()) fail(path, key, size == npos ? "an array" : fmt::format("an array of {}", size), j);
    if (size != npos && j.size() != size) fail(path, key, fmt::format("an array of {}", size), j);
    return j;
  }
  void number(const json& parent, const std::string& path, const std::string& key) const {
    const json& j = member(parent, path, key);
    if (!j.is_number()) fail(path, key, "a number", j);
  }
  void non_negative(const json& parent, const std::string& path, const std::string& key) const {
    const json& j = member(parent, path, key);
    if (!j.is_number() || j.get<double>() < 0) fail(path, key, "a non-negative number", j);
  }
  /// A whole number in [0, max]: sizes, counts and indices the renderer converts to integers (a
  /// float such as 1e300 would not convert).
  void count(const json& parent, const std::string& path, const std::string& key, std::uint64_t max = kMaxCount) const {
    const json& j = member(parent, path, key);
    if (!j.is_number_integer() || (!j.is_number_unsigned() && j.get<std::int64_t>() < 0) || j.get<std::uint64_t>() > max)
      fail(path, key, fmt::format("a whole number in [0, {}]", max), j);
  }
  void integer(const json& parent, const std::string& path, const std::string& key, std::int64_t min, std::int64_t max) const {
    const json& j = member(parent, path, key);
    if (!j.is_number_integer() || (j.is_number_unsigned() && j.get<std::uint64_t>() > static_cast<std::uint64_t>(max)) ||
        (!j.is_number_unsigned() && (j.get<std::int64_t>() < min || j.get<std::int64_t>() > max)))
      fail(path, key, fmt::format("a whole number in [{}, {}]", min, max), j);
  }
  void string(const json& parent, const std::string& path, const std::string& key) const {
    const json& j = member(parent, path, key);
    if (!j.is_string()) fail(path, key, "a string", j);
  }
  /// Optional members, read by the renderer with a default when absent, must have the right type.
  void optional_string(const json& parent, const std::string& path, const std::string& key) const {
    if (parent.contains(key)) string(parent, path, key);
  }
  void optional_boolean(const json& parent, const std::string& path, const std::string& key) const {
    if (parent.contains(key) && !parent.at(key).is_boolean()) fail(path, key, "true or false", parent.at(key));
  }
  void optional_count(const json& parent, const std::string& path, const std::string& key, std::uint64_t max = kMaxCount) const {
    if (parent.contains(key)) count(parent, path, key, max);
  }
  void numbers(const json& parent, const std::string& path, const std::string& key, std::size_t size) const {
    const json& a = array(parent, path, key, size);
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!a[i].is_number()) fail(path, fmt::format("{}[{}]", key, i), "a number", a[i]);
  }
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  static constexpr std::uint64_t kMaxCount = std::uint64_t{1} << 53;  // exact in a double
  static constexpr std::uint64_t kMaxInt = (std::uint64_t{1} << 31) - 1;

  [[noreturn]] void fail(const std::string& path, const std::string& key, const std::string& expected, const json& got) const {
    throw Error(source_, path.empty() ? key : path + "." + key, expected, describe(got));
  }

 private:
  std::string source_;
};

void check_counts(const Checker& c, const json& parent, const std::string& path, const std::string& key,
                  std::initializer_list<const char*> fields) {
  const json& o = c.object(parent, path, key);
  for (const char* f : fields) c.non_negative(o, path + "." + key, f);
}

void check_populations(const Checker& c, const json& report, std::size_t steps) {
  const json& pops = c.array(report, "", "populations");
  for (std::size_t i = 0; i < pops.size(); ++i) {
    const std::string path = fmt::format("populations[{}]", i);
    const json& p = pops[i];
    c.string(p, path, "name");
    c.string(p, path, "kind");
    c.count(p, path, "size");
    for (const char* key : {"totals", "per_image"})
      check_counts(c, p, path, key, {"spikes", "neuron_updates", "state_updates", "acs", "macs", "synops", "adds",
                                     "dense_ops", "executed_ops"});
    const json& per_step = c.object(p, path, "per_step");
    for (const char* key : {"spikes", "firing_rate", "neuron_updates", "state_updates"})
      c.numbers(per_step, path + ".per_step", key, steps);
    if (p.at("kind") == "spiking")
      for (const char* key : {"firing_rate", "activation_sparsity", "silent_neurons", "silent_fraction",
                              "silent_fraction_per_image"})
        c.non_negative(p, path, key);
  }
}

void check_projections(const Checker& c, const json& report, std::size_t steps) {
  const json& projs = c.array(report, "", "projections");
  for (std::size_t i = 0; i < projs.size(); ++i) {
    const std::string path = fmt::format("projections[{}]", i);
    const json& p = projs[i];
    for (const char* key : {"name", "source", "target", "kind"}) c.string(p, path, key);
    for (const char* key : {"totals", "per_image"})
      check_counts(c, p, path, key, {"acs", "macs", "synops", "adds", "dense_ops", "executed_ops"});
    for (const char* key : {"dense_synops", "dense_adds", "effective_fraction"}) c.non_negative(p, path, key);
    const json& per_step = c.object(p, path, "per_step");
    for (const char* key : {"acs", "macs", "adds", "dense_ops", "executed_ops"})
      c.numbers(per_step, path + ".per_step", key, steps);
  }
}

void check_energy(const Checker& c, const json& report, std::size_t populations) {
  const json& energy = c.array(report, "", "energy");
  for (std::size_t i = 0; i < energy.size(); ++i) {
    const std::string path = fmt::format("energy[{}]", i);
    const json& e = energy[i];
    const json& table = c.object(e, path, "table");
    for (const char* key : {"name", "description", "source"}) c.string(table, path + ".table", key);
    check_counts(c, table, path + ".table", "pj", {"ac", "mac", "add", "neuron_update", "spike"});
    check_counts(c, e, path, "per_image_pj", {"ac", "mac", "add", "neuron_update", "spike", "total"});
    c.non_negative(e, path, "dense_ann_per_image_pj");
    c.non_negative(e, path, "dense_ann_over_snn");
    const json& layers = c.array(e, path, "per_layer_pj", populations);
    for (std::size_t l = 0; l < layers.size(); ++l) {
      const std::string lp = fmt::format("{}.per_layer_pj[{}]", path, l);
      c.string(layers[l], lp, "population");
      for (const char* key : {"ac", "mac", "add", "neuron_update", "spike", "total", "dense_ann"})
        c.non_negative(layers[l], lp, key);
    }
  }
}

void check_rasters(const Checker& c, const json& report) {
  const json& rasters = c.array(report, "", "rasters");
  for (std::size_t i = 0; i < rasters.size(); ++i) {
    const std::string path = fmt::format("rasters[{}]", i);
    c.count(rasters[i], path, "image");
    const json& layers = c.object(rasters[i], path, "layers");
    // Every raster has a layer for each spiking population (the report draws them all).
    for (const json& p : report.at("populations"))
      if (p.at("kind") == "spiking") c.object(layers, path + ".layers", p.at("name").get<std::string>());
    for (const auto& [name, layer] : layers.items()) {
      const std::string lp = path + ".layers." + name;
      c.count(layer, lp, "size");
      const json& spikes = c.array(layer, lp, "spikes");
      for (std::size_t s = 0; s < spikes.size(); ++s)
        if (!spikes[s].is_array() || spikes[s].size() != 2 || !spikes[s][0].is_number_integer() ||
            !spikes[s][1].is_number_integer())
          c.fail(lp, fmt::format("spikes[{}]", s), "a pair [step, neuron] of integers", spikes[s]);
    }
  }
}

/// The model summary: what the report's model table shows.
void check_model(const Checker& c, const json& report) {
  const json& model = c.object(report, "", "model");
  c.string(model, "model", "name");
  c.count(model, "model", "neurons");
  const json& pops = c.array(model, "model", "populations");
  for (std::size_t i = 0; i < pops.size(); ++i) {
    const std::string path = fmt::format("model.populations[{}]", i);
    for (const char* key : {"name", "kind"}) c.string(pops[i], path, key);
    c.count(pops[i], path, "size");
    for (const char* key : {"layer", "neuron_model"}) c.optional_string(pops[i], path, key);
  }
  const json& projs = c.array(model, "model", "projections");
  for (std::size_t i = 0; i < projs.size(); ++i) {
    const std::string path = fmt::format("model.projections[{}]", i);
    for (const char* key : {"name", "source", "target", "kind"}) c.string(projs[i], path, key);
    if (projs[i].contains("synapses")) {
      c.count(projs[i], path, "synapses");
      c.count(projs[i], path, "delay");
    }
    if (projs[i].contains("first_offset"))
      c.integer(projs[i], path, "first_offset", -static_cast<std::int64_t>(Checker::kMaxInt), Checker::kMaxInt);
    c.optional_boolean(projs[i], path, "bias");
  }
}

/// A neuromorphic backend's core mapping (provenance.backend_details "mesh" and "cores"), which
/// the report draws: every tile of every chip and every core, so their numbers are bounded.
void check_mapping(const Checker& c, const json& report) {
  const json& prov = report.at("provenance");
  if (!prov.contains("backend_details")) return;
  const json& d = prov.at("backend_details");
  if (!d.is_object() || !d.contains("mesh") || !d.contains("cores")) return;
  const std::string path = "provenance.backend_details";
  constexpr std::uint64_t max_index = std::uint64_t{1} << 20, max_tiles = std::uint64_t{1} << 20;
  c.optional_count(d, path, "chips", max_index);
  for (const char* key : {"cores_used", "cores_available"}) c.optional_count(d, path, key);
  const json& mesh = c.object(d, path, "mesh");
  for (const char* key : {"tiles_x", "tiles_y"}) c.count(mesh, path + ".mesh", key, max_index);
  c.count(mesh, path + ".mesh", "cores_per_tile", 64);
  const std::uint64_t chips = d.value("chips", std::uint64_t{1});
  const std::uint64_t tiles = chips * mesh.at("tiles_x").get<std::uint64_t>() * mesh.at("tiles_y").get<std::uint64_t>();
  if (mesh.at("cores_per_tile").get<std::uint64_t>() == 0 || tiles == 0 || tiles > max_tiles)
    throw Error(c.source(), path + ".mesh", fmt::format("1 to {} tiles of 1 to 64 cores", max_tiles),
                fmt::format("{} chips x {} x {} tiles of {} cores", chips, mesh.at("tiles_x").dump(), mesh.at("tiles_y").dump(),
                            mesh.at("cores_per_tile").dump()));
  const json& cores = c.array(d, path, "cores");
  for (std::size_t i = 0; i < cores.size(); ++i) {
    const std::string cp = fmt::format("{}.cores[{}]", path, i);
    c.string(cores[i], cp, "layer");
    c.count(cores[i], cp, "slot", max_index);  // drawn at slot % cores_per_tile
    c.count(cores[i], cp, "tile_x", mesh.at("tiles_x").get<std::uint64_t>() - 1);
    c.count(cores[i], cp, "tile_y", mesh.at("tiles_y").get<std::uint64_t>() - 1);
    c.optional_count(cores[i], cp, "chip", chips - 1);
    c.count(cores[i], cp, "core", Checker::kMaxInt);
    for (const char* key : {"first", "count"}) c.count(cores[i], cp, key);
  }
}

}  // namespace

void validate_run_report(const json& report, const std::string& source) {
  const Checker c(source);
  if (!report.is_object()) throw Error(source, "", "a JSON object (snnsim run --json)", describe(report));
  const json& format = c.member(report, "", "format");
  if (format != kRunFormat) throw Error(source, "format", fmt::format("\"{}\"", kRunFormat), describe(format));
  const json& prov = c.object(report, "", "provenance");
  for (const char* key : {"snnsim_version", "backend", "data", "command", "created_utc"}) c.string(prov, "provenance", key);
  c.count(prov, "provenance", "threads", Checker::kMaxInt);
  const json& model_file = c.object(prov, "provenance", "model");
  c.string(model_file, "provenance.model", "path");
  c.string(model_file, "provenance.model", "sha256");
  check_model(c, report);
  check_mapping(c, report);
  c.count(report, "", "images");
  c.count(report, "", "steps");
  if (report.contains("accuracy") && report.at("accuracy").is_object()) {
    c.number(report.at("accuracy"), "accuracy", "accuracy");
    c.count(report.at("accuracy"), "accuracy", "correct");
  }
  const std::size_t steps = report.at("steps").get<std::size_t>();
  const json& summary = c.object(report, "", "summary");
  for (const char* key : {"totals", "per_image"})
    check_counts(c, summary, "summary", key, {"spikes", "neuron_updates", "acs", "macs", "synops", "adds", "dense_ops",
                                              "executed_ops", "dense_synops", "dense_adds"});
  for (const char* key : {"firing_rate", "activation_sparsity", "silent_fraction", "effective_fraction"})
    c.non_negative(summary, "summary", key);
  c.count(summary, "summary", "silent_neurons");
  const json& per_step = c.object(summary, "summary", "per_step");
  for (const char* key : {"firing_rate", "activation_sparsity", "synops", "dense_ops"})
    c.numbers(per_step, "summary.per_step", key, steps);
  check_populations(c, report, steps);
  check_projections(c, report, steps);
  check_energy(c, report, report.at("populations").size());
  check_rasters(c, report);
}

json read_run_report(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string(), "", "a readable run report (snnsim run --json)", "a file that cannot be opened");
  json j;
  try {
    j = json::parse(in);
  } catch (const json::parse_error& e) {
    throw Error(path.string(), fmt::format("byte {}", e.byte), "valid JSON", "a syntax error");
  }
  validate_run_report(j, path.string());
  return j;
}

}  // namespace snnsim::report
