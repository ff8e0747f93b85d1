// SPDX-License-Identifier: MIT
#pragma once
/// Inline SVG plots for the HTML report: no JavaScript library, no network. Every plot is one
/// <svg class="plot" data-plot=ID data-marks=N> whose data marks (bars, line points, raster
/// dots) sit in <g class="marks">, so a browser check can assert that each plot drew something.
#include <cstdint>
#include <string>
#include <vector>

namespace snnsim::report::svg {

/// A categorical colour (Tableau 10, then darker variants), readable on white.
std::string colour(std::size_t i);

/// Escapes &, <, >, " for HTML/SVG text and attributes.
std::string escape(const std::string& text);

/// Horizontal bars, one per label, value printed at the bar's end with `format_value`.
struct Bars {
  std::string id, title, unit;
  std::vector<std::string> labels;
  std::vector<double> values;
  bool log_scale = false;  ///< log10 axis for values spanning decades (zeros drawn empty)
};
std::string bar_chart(const Bars& bars);

/// Lines over time steps with a legend.
struct Series {
  std::string name;
  std::vector<double> values;
};
struct Lines {
  std::string id, title, y_label;
  std::vector<Series> series;
  double y_max = 0;  ///< 0: from the data
};
std::string line_chart(const Lines& lines);

/// A spike raster of one image: one band per layer (height by neuron count, at least a few
/// pixels), a dot per spike at (step, neuron).
struct RasterLayer {
  std::string name;
  std::size_t size = 0;
  std::vector<std::pair<std::int64_t, std::int64_t>> spikes;  ///< (step, neuron)
};
struct Raster {
  std::string id, title;
  std::int64_t steps = 0;
  std::vector<RasterLayer> layers;
};
std::string raster_plot(const Raster& raster);

/// "1.03 M", "149 k", "50.2 k", "812": three significant digits with an SI prefix.
std::string si(double value);
/// Energy from picojoules: "931 nJ", "1.67 µJ".
std::string energy(double picojoules);

}  // namespace snnsim::report::svg
