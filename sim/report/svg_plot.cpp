// SPDX-License-Identifier: MIT
#include "sim/report/svg_plot.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

namespace snnsim::report::svg {

namespace {

constexpr double kFont = 12;

std::string text(double x, double y, const std::string& s, const std::string& anchor = "start",
                 const std::string& extra = "") {
  return fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"{}\"{}>{}</text>", x, y, anchor, extra, escape(s));
}

std::string open_svg(const std::string& id, double width, double height, std::size_t marks, const std::string& title) {
  return fmt::format(
      "<svg class=\"plot\" id=\"{0}\" data-plot=\"{0}\" data-marks=\"{1}\" xmlns=\"http://www.w3.org/2000/svg\" "
      "width=\"{2:.0f}\" height=\"{3:.0f}\" viewBox=\"0 0 {2:.0f} {3:.0f}\" font-family=\"sans-serif\" "
      "font-size=\"{4}\" role=\"img\" aria-label=\"{5}\">\n<title>{5}</title>\n{6}\n",
      escape(id), marks, width, height, kFont, escape(title), text(8, 18, title, "start", " font-weight=\"bold\" font-size=\"14\""));
}

/// "Nice" tick step for a range: 1, 2 or 5 times a power of ten.
double tick_step(double range, int target) {
  if (range <= 0) return 1;
  const double raw = range / target;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * p) return m * p;
  return 10 * p;
}

std::string tick_label(double v) {
  if (v == 0) return "0";
  if (std::abs(v) < 1) return fmt::format("{:.3g}", v);
  return si(v);
}

}  // namespace

std::string colour(std::size_t i) {
  static constexpr std::array<const char*, 14> palette = {
      "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
      "#ff9da7", "#9c755f", "#79706e", "#1f4e79", "#a0522d", "#2e7d32", "#6a1b9a"};
  return palette[i % palette.size()];
}

std::string escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string si(double v) {
  const double a = std::abs(v);
  const auto three = [](double x, const char* unit) {
    const std::string number = x >= 100 ? fmt::format("{:.0f}", x) : x >= 10 ? fmt::format("{:.1f}", x) : fmt::format("{:.2f}", x);
    return number + unit;
  };
  if (a >= 1e12) return three(v / 1e12, " T");
  if (a >= 1e9) return three(v / 1e9, " G");
  if (a >= 1e6) return three(v / 1e6, " M");
  if (a >= 1e3) return three(v / 1e3, " k");
  if (a == 0) return "0";
  if (a >= 1 && v == std::round(v)) return fmt::format("{:.0f}", v);
  return fmt::format("{:.3g}", v);
}

std::string energy(double pj) {
  const double a = std::abs(pj);
  const auto fmt3 = [](double x) {
    return x >= 100 ? fmt::format("{:.0f}", x) : x >= 10 ? fmt::format("{:.1f}", x) : fmt::format("{:.2f}", x);
  };
  if (a == 0) return "0 J";
  if (a >= 1e9) return fmt3(pj / 1e9) + " mJ";
  if (a >= 1e6) return fmt3(pj / 1e6) + " \xc2\xb5J";
  if (a >= 1e3) return fmt3(pj / 1e3) + " nJ";
  return fmt3(pj) + " pJ";
}

std::string bar_chart(const Bars& b) {
  const double label_w = 200, bar_w = 300, value_w = 90, row_h = 20, top = 30;
  const double width = label_w + bar_w + value_w, height = top + row_h * static_cast<double>(b.labels.size()) + 24;
  double max = 0;
  for (double v : b.values) max = std::max(max, v);
  double min_positive = max;
  for (double v : b.values)
    if (v > 0) min_positive = std::min(min_positive, v);
  const double lo = b.log_scale && max > 0 ? std::floor(std::log10(min_positive)) : 0;
  const double hi = b.log_scale && max > 0 ? std::ceil(std::log10(max) + 1e-9) : max;
  const auto length = [&](double v) {
    if (v <= 0 || max <= 0) return 0.0;
    if (!b.log_scale) return bar_w * v / max;
    return bar_w * std::max(0.02, (std::log10(v) - lo + 0.3) / (hi - lo + 0.3));
  };
  std::size_t marks = 0;
  std::string body = "<g class=\"marks\">\n";
  for (std::size_t i = 0; i < b.labels.size(); ++i) {
    const double y = top + row_h * static_cast<double>(i);
    const double w = length(b.values[i]);
    if (w > 0) {
      body += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"><title>{}: {}</title></rect>\n",
                          label_w, y + 3, w, row_h - 6, colour(0), escape(b.labels[i]), escape(si(b.values[i]) + b.unit));
      ++marks;
    }
  }
  body += "</g>\n";
  std::string labels;
  for (std::size_t i = 0; i < b.labels.size(); ++i) {
    const double y = top + row_h * static_cast<double>(i) + row_h / 2 + 4;
    labels += text(label_w - 6, y, b.labels[i], "end");
    labels += text(label_w + length(b.values[i]) + 4, y, b.unit == " pJ" ? energy(b.values[i]) : si(b.values[i]) + b.unit);
  }
  const std::string axis = fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#333\"/>\n", label_w, top,
                                       height - 24) +
                           text(label_w, height - 8, b.log_scale ? "(logarithmic scale)" : "", "start", " fill=\"#666\"");
  return open_svg(b.id, width, height, marks, b.title) + body + labels + axis + "</svg>\n";
}

std::string line_chart(const Lines& l) {
  const double left = 60, right = 190, top = 30, bottom = 40, plot_w = 520, plot_h = 240;
  const double width = left + plot_w + right, height = top + plot_h + bottom;
  std::size_t steps = 0;
  double y_max = l.y_max;
  for (const Series& s : l.series) {
    steps = std::max(steps, s.values.size());
    if (l.y_max <= 0)
      for (double v : s.values) y_max = std::max(y_max, v);
  }
  if (y_max <= 0) y_max = 1;
  const double y_step = tick_step(y_max, 5);
  y_max = std::ceil(y_max / y_step - 1e-9) * y_step;
  const auto px = [&](std::size_t t) { return left + (steps > 1 ? plot_w * static_cast<double>(t) / static_cast<double>(steps - 1) : 0); };
  const auto py = [&](double v) { return top + plot_h * (1 - v / y_max); };

  std::string grid;
  for (double v = 0; v <= y_max + y_step / 2; v += y_step) {
    grid += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#ddd\"/>\n", left, py(v), left + plot_w, py(v));
    grid += text(left - 6, py(v) + 4, tick_label(v), "end");
  }
  const std::size_t x_step = steps > 20 ? 5 : steps > 10 ? 2 : 1;
  for (std::size_t t = 0; t < steps; t += x_step) grid += text(px(t), top + plot_h + 16, std::to_string(t), "middle");
  grid += text(left + plot_w / 2, height - 6, "time step", "middle");
  grid += text(14, top + plot_h / 2, l.y_label, "middle", fmt::format(" transform=\"rotate(-90 14 {:.1f})\"", top + plot_h / 2));
  grid += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#333\"/>\n", left, top, plot_w, plot_h);

  std::size_t marks = 0;
  std::string body = "<g class=\"marks\">\n", legend;
  for (std::size_t i = 0; i < l.series.size(); ++i) {
    const Series& s = l.series[i];
    std::string points;
    for (std::size_t t = 0; t < s.values.size(); ++t) points += fmt::format("{:.1f},{:.1f} ", px(t), py(s.values[t]));
    body += fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"1.8\" points=\"{}\"><title>{}</title></polyline>\n",
                        colour(i), points, escape(s.name));
    marks += s.values.size();
    const double ly = top + 8 + 16 * static_cast<double>(i);
    legend += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" stroke=\"{3}\" stroke-width=\"3\"/>\n",
                          left + plot_w + 10, ly, left + plot_w + 28, colour(i));
    legend += text(left + plot_w + 32, ly + 4, s.name);
  }
  body += "</g>\n";
  return open_svg(l.id, width, height, marks, l.title) + grid + body + legend + "</svg>\n";
}

std::string raster_plot(const Raster& r) {
  const double left = 200, top = 30, plot_w = 560, gap = 4, min_band = 12;
  // Band heights: 0.5 px per neuron, at least min_band, so a one-neuron layer stays visible.
  std::vector<double> band;
  double plot_h = 0;
  for (const RasterLayer& l : r.layers) {
    band.push_back(std::max(min_band, 0.5 * static_cast<double>(l.size)));
    plot_h += band.back() + gap;
  }
  const double height = top + plot_h + 36, width = left + plot_w + 20;
  const double step_w = r.steps > 0 ? plot_w / static_cast<double>(r.steps) : plot_w;
  std::string body = "<g class=\"marks\">\n", frame;
  std::size_t marks = 0;
  double y = top;
  for (std::size_t i = 0; i < r.layers.size(); ++i) {
    const RasterLayer& l = r.layers[i];
    const double row_h = band[i] / static_cast<double>(std::max<std::size_t>(1, l.size));
    frame += fmt::format("<rect x=\"{}\" y=\"{:.1f}\" width=\"{}\" height=\"{:.1f}\" fill=\"#f7f7f7\" stroke=\"#bbb\"/>\n", left, y,
                         plot_w, band[i]);
    frame += text(left - 6, y + band[i] / 2 + 4, fmt::format("{} ({})", l.name, l.size), "end");
    std::string path;
    for (const auto& [t, n] : l.spikes) {
      path += fmt::format("M{:.1f} {:.2f}h{:.1f}v{:.2f}h-{:.1f}z", left + static_cast<double>(t) * step_w + 1,
                          y + static_cast<double>(n) * row_h, step_w - 2, std::max(row_h, 0.8), step_w - 2);
      ++marks;
    }
    if (!path.empty())
      body += fmt::format("<path fill=\"{}\" d=\"{}\"><title>{}: {} spikes</title></path>\n", colour(i), path,
                          escape(l.name), l.spikes.size());
    y += band[i] + gap;
  }
  body += "</g>\n";
  std::string axis;
  const std::int64_t x_step = r.steps > 20 ? 5 : r.steps > 10 ? 2 : 1;
  for (std::int64_t t = 0; t < r.steps; t += x_step)
    axis += text(left + (static_cast<double>(t) + 0.5) * step_w, top + plot_h + 14, std::to_string(t), "middle");
  axis += text(left + plot_w / 2, top + plot_h + 30, "time step (neurons top to bottom within each layer)", "middle");
  return open_svg(r.id, width, height, marks, r.title) + frame + body + axis + "</svg>\n";
}

}  // namespace snnsim::report::svg
