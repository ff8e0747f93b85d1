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
  void string(const json& parent, const std::string& path, const std::string& key) const {
    const json& j = member(parent, path, key);
    if (!j.is_string()) fail(path, key, "a string", j);
  }
  void numbers(const json& parent, const std::string& path, const std::string& key, std::size_t size) const {
    const json& a = array(parent, path, key, size);
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!a[i].is_number()) fail(path, fmt::format("{}[{}]", key, i), "a number", a[i]);
  }
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

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
    c.non_negative(p, path, "size");
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
    c.non_negative(rasters[i], path, "image");
    const json& layers = c.object(rasters[i], path, "layers");
    for (const auto& [name, layer] : layers.items()) {
      const std::string lp = path + ".layers." + name;
      c.non_negative(layer, lp, "size");
      const json& spikes = c.array(layer, lp, "spikes");
      for (std::size_t s = 0; s < spikes.size(); ++s)
        if (!spikes[s].is_array() || spikes[s].size() != 2 || !spikes[s][0].is_number_integer() ||
            !spikes[s][1].is_number_integer())
          c.fail(lp, fmt::format("spikes[{}]", s), "a pair [step, neuron] of integers", spikes[s]);
    }
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
  c.non_negative(prov, "provenance", "threads");
  const json& model_file = c.object(prov, "provenance", "model");
  c.string(model_file, "provenance.model", "path");
  c.string(model_file, "provenance.model", "sha256");
  const json& model = c.object(report, "", "model");
  c.string(model, "model", "name");
  c.non_negative(model, "model", "neurons");
  c.array(model, "model", "populations");
  c.array(model, "model", "projections");
  c.non_negative(report, "", "images");
  c.non_negative(report, "", "steps");
  const std::size_t steps = report.at("steps").get<std::size_t>();
  const json& summary = c.object(report, "", "summary");
  for (const char* key : {"totals", "per_image"})
    check_counts(c, summary, "summary", key, {"spikes", "neuron_updates", "acs", "macs", "synops", "adds", "dense_ops",
                                              "executed_ops", "dense_synops", "dense_adds"});
  for (const char* key : {"firing_rate", "activation_sparsity", "silent_fraction", "effective_fraction"})
    c.non_negative(summary, "summary", key);
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
