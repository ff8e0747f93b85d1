// SPDX-License-Identifier: MIT
#include "hw_backends/loihi/chip.hpp"

#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include "sim/error.hpp"

namespace snnsim::hw_backends::loihi {

namespace {

/// Largest count or exponent a chip file may give (see FigureReader::integer).
constexpr std::int64_t kMaxFigure = std::numeric_limits<std::int32_t>::max();

/// Reads figures of one table, remembering their provenance.
class FigureReader {
 public:
  FigureReader(const toml::table& root, std::string file, ChipSpec& spec)
      : root_(root), file_(std::move(file)), spec_(spec) {}

  double number(const std::string& table, const std::string& key, bool positive) {
    const std::string field = table + "." + key;
    const toml::node* node = root_.at_path(field).node();
    if (!node) throw Error(file_, field, positive ? "a positive number" : "a number", "nothing");
    nlohmann::json prov = nlohmann::json::object();
    const toml::node* value = node;
    if (const toml::table* t = node->as_table()) {
      value = t->get("value");
      if (!value) throw Error(file_, field + ".value", "a number", "nothing");
      if (const auto* s = t->get_as<std::string>("source")) prov["source"] = s->get();
      if (const auto* a = t->get_as<bool>("assumption")) prov["assumption"] = a->get();
    }
    double v = 0;
    if (const auto* i = value->as_integer()) {
      v = static_cast<double>(i->get());
    } else if (const auto* f = value->as_floating_point()) {
      v = f->get();
    } else {
      { std::ostringstream kind; kind << value->type(); throw Error(file_, field, "a number", kind.str()); }
    }
    if (positive && !(v > 0)) throw Error(file_, field, "a positive number", fmt::format("{:g}", v));
    prov["value"] = v;
    spec_.provenance[field] = prov;
    return v;
  }

  /// Chip figures are counts far below 2^31; checked before the conversion, which would be
  /// undefined beyond the type's range (fuzz_toml: fanin_axons_per_core = 40E96).
  std::int64_t integer(const std::string& table, const std::string& key, std::int64_t most = kMaxFigure) {
    const double v = number(table, key, true);
    if (!(v <= static_cast<double>(most)) || v != std::trunc(v))
      throw Error(file_, table + "." + key, fmt::format("a positive integer of at most {}", most), fmt::format("{:g}", v));
    return static_cast<std::int64_t>(v);
  }

  /// An integer in [-magnitude, magnitude].
  int signed_int(const std::string& table, const std::string& key, int magnitude) {
    const double v = number(table, key, false);
    if (!(std::abs(v) <= magnitude) || v != std::trunc(v))
      throw Error(file_, table + "." + key, fmt::format("an integer in [-{0}, {0}]", magnitude), fmt::format("{:g}", v));
    return static_cast<int>(v);
  }

  bool flag(const std::string& table, const std::string& key) {
    const std::string field = table + "." + key;
    const toml::node* node = root_.at_path(field).node();
    if (!node) throw Error(file_, field, "true or false", "nothing");
    const toml::node* value = node;
    if (const toml::table* t = node->as_table()) {
      value = t->get("value");
      nlohmann::json prov = nlohmann::json::object();
      if (const auto* s = t->get_as<std::string>("source")) prov["source"] = s->get();
      if (const auto* a = t->get_as<bool>("assumption")) prov["assumption"] = a->get();
      if (value && value->is_boolean()) prov["value"] = value->as_boolean()->get();
      spec_.provenance[field] = prov;
    }
    if (!value || !value->is_boolean()) throw Error(file_, field, "true or false", "another value");
    return value->as_boolean()->get();
  }

  std::string text(const std::string& table, const std::string& key) {
    const auto* s = root_.at_path(table + "." + key).as_string();
    if (!s) throw Error(file_, table + "." + key, "a string", "nothing");
    return s->get();
  }

 private:
  const toml::table& root_;
  std::string file_;
  ChipSpec& spec_;
};

}  // namespace

double ChipSpec::barrier_ns(std::int64_t tiles) const {
  if (tiles <= 1 || barrier_max_tiles <= 1) return barrier_min_ns;
  const double f = static_cast<double>(tiles - 1) / static_cast<double>(barrier_max_tiles - 1);
  return barrier_min_ns + f * (barrier_max_ns - barrier_min_ns);  // extrapolates past the measured range
}

ChipSpec parse_chip(const std::string& toml_text, const std::string& file) {
  toml::table root;
  try {
    root = toml::parse(toml_text, file);
  } catch (const toml::parse_error& e) {
    throw Error(file, fmt::format("line {}", e.source().begin.line), "valid TOML", std::string(e.description()));
  }
  ChipSpec c;
  c.file = file;
  FigureReader r(root, file, c);
  c.name = r.text("chip", "name");
  c.description = r.text("chip", "description");
  c.cores_per_chip = r.integer("limits", "cores_per_chip");
  c.compartments_per_core = r.integer("limits", "compartments_per_core");
  c.fanin_axons_per_core = r.integer("limits", "fanin_axons_per_core");
  c.fanout_axons_per_core = r.integer("limits", "fanout_axons_per_core");
  c.synapse_memory_bits_per_core = r.integer("limits", "synapse_memory_bits_per_core");
  c.weight_bits = static_cast<int>(r.integer("formats", "weight_bits"));
  if (c.weight_bits > 8) throw Error(file, "formats.weight_bits", "at most 8 (Lava's Dense format)", std::to_string(c.weight_bits));
  // The shipped chips give -8..7; beyond 16 the weight scale 2^(6 + exp) would
  // shift 64-bit activations past their width.
  c.weight_exp_min = r.signed_int("formats", "weight_exp_min", 16);
  c.weight_exp_max = r.signed_int("formats", "weight_exp_max", 16);
  if (c.weight_exp_max < c.weight_exp_min)
    throw Error(file, "formats.weight_exp_max", fmt::format("at least weight_exp_min = {}", c.weight_exp_min),
                std::to_string(c.weight_exp_max));
  c.max_synaptic_delay = static_cast<int>(r.integer("formats", "max_synaptic_delay"));
  c.delay_bits = static_cast<int>(r.integer("formats", "delay_bits", 32));  // bits per synapse, with the weight's
  c.graded_spikes = r.flag("formats", "graded_spikes");
  c.graded_payload_bits = static_cast<int>(r.integer("formats", "graded_payload_bits"));
  if (c.graded_payload_bits > 24)
    throw Error(file, "formats.graded_payload_bits", "at most 24", std::to_string(c.graded_payload_bits));
  c.cores_per_tile = r.integer("mesh", "cores_per_tile");
  c.tiles_x = r.integer("mesh", "tiles_x");
  c.tiles_y = r.integer("mesh", "tiles_y");
  // In double: three figures of up to 2^31 overflow a 64-bit product.
  if (static_cast<double>(c.cores_per_tile) * static_cast<double>(c.tiles_x) * static_cast<double>(c.tiles_y) <
      static_cast<double>(c.cores_per_chip))
    throw Error(file, "mesh", fmt::format("room for limits.cores_per_chip = {} cores", c.cores_per_chip),
                fmt::format("{} x {} tiles of {} cores", c.tiles_x, c.tiles_y, c.cores_per_tile));
  c.synop_pj = r.number("energy_pj", "synop", true);
  c.neuron_update_active_pj = r.number("energy_pj", "neuron_update_active", true);
  c.neuron_update_inactive_pj = r.number("energy_pj", "neuron_update_inactive", true);
  c.spike_in_tile_pj = r.number("energy_pj", "spike_in_tile", true);
  c.hop_ew_pj = r.number("energy_pj", "hop_east_west", true);
  c.hop_ns_pj = r.number("energy_pj", "hop_north_south", true);
  c.host_mac_pj = r.number("energy_pj", "host_mac", true);
  c.synop_ns = r.number("latency_ns", "synop", true);
  c.neuron_update_active_ns = r.number("latency_ns", "neuron_update_active", true);
  c.neuron_update_inactive_ns = r.number("latency_ns", "neuron_update_inactive", true);
  c.spike_in_tile_ns = r.number("latency_ns", "spike_in_tile", true);
  c.hop_ew_ns = r.number("latency_ns", "hop_east_west", true);
  c.hop_ns_ns = r.number("latency_ns", "hop_north_south", true);
  c.barrier_min_ns = r.number("latency_ns", "barrier_min", true);
  c.barrier_max_ns = r.number("latency_ns", "barrier_max", true);
  c.barrier_max_tiles = r.integer("latency_ns", "barrier_max_tiles");
  return c;
}

std::filesystem::path default_chip_dir() {
  if (const char* env = std::getenv("SNNSIM_LOIHI_CHIP_DIR")) return env;
  return SNNSIM_LOIHI_CHIP_DIR;
}

ChipSpec load_chip(const std::string& name_or_path, const std::filesystem::path& chip_dir) {
  std::filesystem::path path = name_or_path;
  if (name_or_path.find('/') == std::string::npos && path.extension() != ".toml") path = chip_dir / (name_or_path + ".toml");
  std::ifstream in(path);
  if (!in)
    throw Error("--chip", "chip", "loihi1, loihi2 or a readable TOML chip file", "'" + name_or_path + "'");
  std::stringstream text;
  text << in.rdbuf();
  return parse_chip(text.str(), path.string());
}

}  // namespace snnsim::hw_backends::loihi
