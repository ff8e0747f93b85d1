// SPDX-License-Identifier: MIT
#pragma once
/// The run report as one self-contained HTML page: inline CSS and SVG plots (spike rasters,
/// per-layer bars of spikes, synops and energy, per-step sparsity lines), the operation and
/// energy tables, the model summary and the provenance. Nothing is fetched from the network.
/// A few lines of inline script only measure the drawn plots (for the headless-browser check,
/// tools/scripts/check_report_chromium.sh); the page reads the same without it.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace snnsim::report {

struct HtmlOptions {
  std::vector<std::string> raster_layers;  ///< spiking layers in the rasters (empty: all)
  std::vector<std::size_t> raster_images;  ///< images with a raster (empty: the first recorded)
};

/// Renders a validated run report (validate_run_report). Throws Error(source, "--raster-layers"
/// or "--raster-images", ...) for a layer or image the report does not hold.
std::string render_html(const nlohmann::json& report, const HtmlOptions& options, const std::string& source);

}  // namespace snnsim::report
