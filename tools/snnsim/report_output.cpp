// SPDX-License-Identifier: MIT
#include "tools/snnsim/report_output.hpp"

#include <fstream>
#include <iterator>

#include <fmt/format.h>

#include "sim/report/svg_plot.hpp"

namespace snnsim::tools {

void add_report_options(CLI::App& app, ReportArgs& args) {
  app.add_option("--json", args.json, "write the run report (schema snnsim-run-v1, see README) to this file, atomically");
  app.add_option("--csv", args.csv, "write the run report's tables as CSV files into this folder");
  app.add_option("--energy-table", args.energy_tables,
                 "energy table (TOML, see sim/energy_tables) to report besides the shipped 45nm and loihi1; repeatable");
  app.add_option("--rasters", args.raster_images,
                 "keep the spike rasters of the first N images in the report (snnsim report draws them)")
      ->capture_default_str();
  app.add_flag("--per-sample", args.per_image,
               "add per-image index, label, pred, logits, spikes and operation counts to --json/--csv");
}

std::vector<sim::EnergyTable> energy_tables(const ReportArgs& args) {
  std::vector<sim::EnergyTable> tables = sim::builtin_energy_tables(SNNSIM_ENERGY_TABLES_DIR);
  for (const std::string& file : args.energy_tables) tables.push_back(sim::load_energy_table(file));
  return tables;
}

report::CollectOptions collect_options(const ReportArgs& args) {
  return {.per_image = args.per_image, .raster_images = args.raster_images};
}

std::string command_line() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!raw.empty() && raw.back() == '\0') raw.pop_back();
  for (char& c : raw)
    if (c == '\0') c = ' ';
  return raw;
}

void print_ops_summary(const nlohmann::json& r) {
  using report::svg::energy;
  using report::svg::si;
  const nlohmann::json& s = r.at("summary");
  const nlohmann::json& pi = s.at("per_image");
  const auto v = [&](const char* key) { return pi.at(key).get<double>(); };
  fmt::print("ops/image {} synops ({} ACs + {} MACs) of {} dense-equivalent synops ({:.1f} %), {} adds, "
             "{} neuron updates, {} state updates\n",
             si(v("synops")), si(v("acs")), si(v("macs")), si(v("dense_synops")),
             100.0 * s.at("effective_fraction").get<double>(), si(v("adds")), si(v("neuron_updates")),
             si(v("state_updates")));
  fmt::print("sparsity  firing rate {:.4f}, activation sparsity {:.2f} %, silent neurons {} ({:.1f} %) over the run, "
             "{:.1f} % per image\n",
             s.at("firing_rate").get<double>(), 100.0 * s.at("activation_sparsity").get<double>(),
             s.at("silent_neurons").get<std::int64_t>(), 100.0 * s.at("silent_fraction").get<double>(),
             100.0 * s.at("silent_fraction_per_image").get<double>());
  for (const nlohmann::json& e : r.at("energy"))
    fmt::print("energy    {:<8} {} per image (dense ANN {}, {:.1f} x)\n", e.at("table").at("name").get<std::string>(),
               energy(e.at("per_image_pj").at("total").get<double>()), energy(e.at("dense_ann_per_image_pj").get<double>()),
               e.at("dense_ann_over_snn").get<double>());
}

void write_report_outputs(const ReportArgs& args, const nlohmann::json& report) {
  if (!args.json.empty()) report::write_run_json(args.json, report);
  if (!args.csv.empty()) report::write_run_csv(args.csv, report);
}

}  // namespace snnsim::tools
