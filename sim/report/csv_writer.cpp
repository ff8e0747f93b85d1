// SPDX-License-Identifier: MIT
// The run report as CSV tables, one file per table, for spreadsheets and pandas. Figures per
// image are the run totals divided by the number of images; per-step figures are summed over
// images (README.md, "Run report").
#include <fmt/format.h>

#include "sim/atomic_file.hpp"
#include "sim/error.hpp"
#include "sim/report/run_report.hpp"

namespace snnsim::report {

namespace {

using nlohmann::json;

std::string cell(const json& j) {
  if (j.is_string()) {
    const std::string s = j.get<std::string>();
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string quoted = "\"";
    for (char ch : s) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return quoted + "\"";
  }
  if (j.is_boolean()) return j.get<bool>() ? "1" : "0";
  if (j.is_null()) return "";
  return j.dump();
}

/// One CSV table built row by row.
class Table {
 public:
  explicit Table(std::vector<std::string> header) : columns_(header.size()) { add(header); }
  void row(const std::vector<json>& cells) {
    std::vector<std::string> text;
    for (const json& c : cells) text.push_back(cell(c));
    add(text);
  }
  void write(const std::filesystem::path& path) const { write_file_atomic(path, text_); }

 private:
  void add(const std::vector<std::string>& cells) {
    if (cells.size() != columns_) throw std::logic_error("CSV row width differs from its header");
    for (std::size_t i = 0; i < cells.size(); ++i) text_ += (i ? "," : "") + cells[i];
    text_ += "\n";
  }
  std::size_t columns_;
  std::string text_;
};

const std::vector<std::string> kCounts = {"neuron_updates", "state_updates", "acs", "macs", "synops",
                                          "adds", "dense_ops", "executed_ops"};

Table layers_table(const json& report) {
  std::vector<std::string> header = {"population", "layer", "kind", "size", "spikes_per_image", "firing_rate",
                                     "activation_sparsity", "silent_fraction", "silent_fraction_per_image"};
  for (const std::string& k : kCounts) header.push_back(k + "_per_image");
  header.insert(header.end(), {"dense_synops_per_image", "dense_adds_per_image"});
  Table t(header);
  const double images = report.at("images").get<double>();
  for (const json& p : report.at("populations")) {
    const bool spiking = p.at("kind") == "spiking";
    std::vector<json> row = {p.at("name"), p.value("layer", ""), p.at("kind"), p.at("size"),
                             p.at("per_image").at("spikes"),
                             spiking ? p.at("firing_rate") : json(),
                             spiking ? p.at("activation_sparsity") : json(),
                             spiking ? p.at("silent_fraction") : json(),
                             spiking ? p.at("silent_fraction_per_image") : json()};
    for (const std::string& k : kCounts) row.push_back(p.at("per_image").at(k));
    row.push_back(images > 0 ? p.at("dense_synops").get<double>() / images : 0.0);
    row.push_back(images > 0 ? p.at("dense_adds").get<double>() / images : 0.0);
    t.row(row);
  }
  return t;
}

Table layer_steps_table(const json& report) {
  Table t({"population", "step", "spikes", "firing_rate", "neuron_updates", "state_updates"});
  for (const json& p : report.at("populations")) {
    const json& s = p.at("per_step");
    for (std::size_t i = 0; i < s.at("spikes").size(); ++i)
      t.row({p.at("name"), i, s.at("spikes")[i], s.at("firing_rate")[i], s.at("neuron_updates")[i],
             s.at("state_updates")[i]});
  }
  return t;
}

Table projections_table(const json& report) {
  Table t({"projection", "source", "target", "kind", "acs_per_image", "macs_per_image", "synops_per_image",
           "adds_per_image", "dense_ops_per_image", "executed_ops_per_image", "dense_synops", "dense_adds",
           "effective_fraction"});
  for (const json& p : report.at("projections")) {
    const json& pi = p.at("per_image");
    t.row({p.at("name"), p.at("source"), p.at("target"), p.at("kind"), pi.at("acs"), pi.at("macs"), pi.at("synops"),
           pi.at("adds"), pi.at("dense_ops"), pi.at("executed_ops"), p.at("dense_synops"), p.at("dense_adds"),
           p.at("effective_fraction")});
  }
  return t;
}

Table projection_steps_table(const json& report) {
  Table t({"projection", "step", "acs", "macs", "adds", "dense_ops", "executed_ops"});
  for (const json& p : report.at("projections")) {
    const json& s = p.at("per_step");
    for (std::size_t i = 0; i < s.at("acs").size(); ++i)
      t.row({p.at("name"), i, s.at("acs")[i], s.at("macs")[i], s.at("adds")[i], s.at("dense_ops")[i],
             s.at("executed_ops")[i]});
  }
  return t;
}

const std::vector<std::string> kEnergy = {"ac", "mac", "add", "neuron_update", "spike", "total"};

Table energy_table(const json& report) {
  std::vector<std::string> header = {"table"};
  for (const std::string& k : kEnergy) header.push_back(k + "_pj_per_image");
  header.insert(header.end(), {"dense_ann_pj_per_image", "dense_ann_over_snn", "source"});
  Table t(header);
  for (const json& e : report.at("energy")) {
    std::vector<json> row = {e.at("table").at("name")};
    for (const std::string& k : kEnergy) row.push_back(e.at("per_image_pj").at(k));
    row.insert(row.end(), {e.at("dense_ann_per_image_pj"), e.at("dense_ann_over_snn"), e.at("table").at("source")});
    t.row(row);
  }
  return t;
}

Table energy_layers_table(const json& report) {
  std::vector<std::string> header = {"table", "population"};
  for (const std::string& k : kEnergy) header.push_back(k + "_pj_per_image");
  header.push_back("dense_ann_pj_per_image");
  Table t(header);
  for (const json& e : report.at("energy"))
    for (const json& l : e.at("per_layer_pj")) {
      std::vector<json> row = {e.at("table").at("name"), l.at("population")};
      for (const std::string& k : kEnergy) row.push_back(l.at(k));
      row.push_back(l.at("dense_ann"));
      t.row(row);
    }
  return t;
}

Table images_table(const json& report) {
  const json& images = report.at("per_image");
  std::vector<std::string> header = {"index", "label", "pred", "spikes"};
  header.insert(header.end(), kCounts.begin(), kCounts.end());
  std::vector<std::string> layers;
  if (!images.empty())
    for (const auto& [name, value] : images[0].at("spikes").items()) layers.push_back(name);
  for (const std::string& l : layers) header.push_back("spikes:" + l);
  Table t(header);
  for (const json& im : images) {
    std::vector<json> row = {im.at("index"), im.value("label", json()), im.value("pred", json()),
                             im.at("ops").at("spikes")};
    for (const std::string& k : kCounts) row.push_back(im.at("ops").at(k));
    for (const std::string& l : layers) row.push_back(im.at("spikes").at(l));
    t.row(row);
  }
  return t;
}

}  // namespace

std::vector<std::filesystem::path> write_run_csv(const std::filesystem::path& dir, const json& report) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir))
    throw Error(dir.string(), "--csv", "a folder that exists or can be created", ec ? ec.message() : "not a folder");
  // Build every table first so that a bad report writes nothing.
  std::vector<std::pair<std::string, Table>> tables;
  tables.emplace_back("layers.csv", layers_table(report));
  tables.emplace_back("layer_steps.csv", layer_steps_table(report));
  tables.emplace_back("projections.csv", projections_table(report));
  tables.emplace_back("projection_steps.csv", projection_steps_table(report));
  tables.emplace_back("energy.csv", energy_table(report));
  tables.emplace_back("energy_layers.csv", energy_layers_table(report));
  if (report.contains("per_image")) tables.emplace_back("images.csv", images_table(report));
  std::vector<std::filesystem::path> written;
  for (const auto& [name, table] : tables) {
    table.write(dir / name);
    written.push_back(dir / name);
  }
  return written;
}

}  // namespace snnsim::report
