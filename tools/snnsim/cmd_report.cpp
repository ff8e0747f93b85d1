// SPDX-License-Identifier: MIT
// snnsim report RUN.json -o report.html: the run report (snnsim run --json) as one
// self-contained HTML page with inline SVG plots.
#include <fmt/format.h>

#include "sim/atomic_file.hpp"
#include "sim/report/html_report.hpp"
#include "sim/report/run_report.hpp"
#include "tools/snnsim/commands.hpp"

namespace snnsim::tools {

namespace {

struct ReportCommandArgs {
  std::string input;
  std::string output;
  report::HtmlOptions html;
};

int write_report(const ReportCommandArgs& args) {
  const std::filesystem::path input = args.input;
  const std::filesystem::path output = args.output;
  ensure_not_input(output, std::span<const std::filesystem::path>(&input, 1));
  const nlohmann::json run = report::read_run_report(input);
  const std::string html = report::render_html(run, args.html, "snnsim report");
  write_file_atomic(output, html);
  fmt::print("wrote {} ({} images, {} bytes)\n", output.string(), run.at("images").get<std::size_t>(), html.size());
  return 0;
}

}  // namespace

Command add_report_command(CLI::App& app, const Registries&) {
  auto args = std::make_shared<ReportCommandArgs>();
  app.add_option("run", args->input, "run report written by snnsim run --json")->required();
  app.add_option("-o,--output", args->output, "HTML file to write (atomically)")->required();
  app.add_option("--raster-layers", args->html.raster_layers, "spiking layers to draw in the rasters (default: all)")
      ->delimiter(',');
  app.add_option("--raster-images", args->html.raster_images,
                 "images to draw a raster of, among those the run recorded (default: the first)")
      ->delimiter(',');
  app.footer("Example: snnsim run --first 256 --json run.json && snnsim report run.json -o report.html");
  return [args] { return write_report(*args); };
}

}  // namespace snnsim::tools
