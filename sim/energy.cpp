// SPDX-License-Identifier: MIT
#include "sim/energy.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "sim/error.hpp"

namespace snnsim::sim {

namespace {

/// What a TOML value is, in words, for error messages.
std::string kind_of(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer:
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    default: return "a date or time";
  }
}

std::string required_string(const toml::table& t, const std::string& key, const std::string& source) {
  const toml::node* n = t.get(key);
  if (!n) throw Error(source, key, "a non-empty string", "nothing (missing)");
  const auto s = n->value<std::string>();
  if (!s) throw Error(source, key, "a non-empty string", kind_of(*n));
  if (s->empty()) throw Error(source, key, "a non-empty string", "an empty string");
  return *s;
}

double required_energy(const toml::table& energies, const std::string& key, const std::string& source) {
  const std::string field = "energy_pj." + key;
  const toml::node* n = energies.get(key);
  const std::string expected = "a non-negative number of picojoules";
  if (!n) throw Error(source, field, expected, "nothing (missing)");
  if (!n->is_number())
    throw Error(source, field, expected, kind_of(*n));
  const double v = n->value<double>().value_or(0.0);
  if (!std::isfinite(v) || v < 0.0) throw Error(source, field, expected, fmt::format("{}", v));
  return v;
}

}  // namespace

EnergyTable parse_energy_table(std::string_view toml_text, const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    throw Error(source, fmt::format("line {}", e.source().begin.line), "valid TOML",
                std::string(e.description()));
  }
  EnergyTable t;
  t.file = source;
  t.name = required_string(root, "name", source);
  t.description = required_string(root, "description", source);
  t.source = required_string(root, "source", source);
  const toml::table* energies = root["energy_pj"].as_table();
  if (!energies) throw Error(source, "energy_pj", "a table of energies per operation", "nothing (missing)");
  t.ac_pj = required_energy(*energies, "ac", source);
  t.mac_pj = required_energy(*energies, "mac", source);
  t.add_pj = required_energy(*energies, "add", source);
  t.neuron_update_pj = required_energy(*energies, "neuron_update", source);
  t.spike_pj = required_energy(*energies, "spike", source);
  for (const auto& [key, value] : *energies) {
    const std::string k(key.str());
    if (k != "ac" && k != "mac" && k != "add" && k != "neuron_update" && k != "spike")
      throw Error(source, "energy_pj." + k, "one of ac, mac, add, neuron_update, spike", "an unknown entry");
  }
  return t;
}

EnergyTable load_energy_table(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string(), "", "a readable energy table (TOML)", "a file that cannot be opened");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_energy_table(text.str(), path.string());
}

std::vector<EnergyTable> builtin_energy_tables(const std::filesystem::path& dir) {
  return {load_energy_table(dir / "horowitz_45nm.toml"), load_energy_table(dir / "loihi1.toml")};
}

Energy energy_of(const OpCounts& c, const EnergyTable& t) {
  Energy e;
  e.ac = static_cast<double>(c.acs) * t.ac_pj;
  e.mac = static_cast<double>(c.macs) * t.mac_pj;
  e.add = static_cast<double>(c.adds) * t.add_pj;
  e.neuron_update = static_cast<double>(c.neuron_updates) * t.neuron_update_pj;
  e.spike = static_cast<double>(c.spikes) * t.spike_pj;
  return e;
}

double dense_ann_energy(double dense_synops, double dense_adds, const EnergyTable& table) {
  return dense_synops * table.mac_pj + dense_adds * table.add_pj;
}

}  // namespace snnsim::sim
