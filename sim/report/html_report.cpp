// SPDX-License-Identifier: MIT
#include "sim/report/html_report.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/error.hpp"
#include "sim/report/svg_plot.hpp"

namespace snnsim::report {

namespace {

using nlohmann::json;
using svg::escape;
using svg::si;

std::string pct(double fraction) { return fmt::format("{:.1f} %", 100.0 * fraction); }
std::string num(const json& j) { return si(j.get<double>()); }

/// A table: header cells, then rows of already formatted (escaped) cells; numbers align right.
std::string html_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                       const std::string& caption = "") {
  std::string h = "<div class=\"scroll\"><table>";
  if (!caption.empty()) h += "<caption>" + caption + "</caption>";
  h += "<thead><tr>";
  // A column is numeric (right-aligned) when every non-empty cell of it starts with a digit.
  std::vector<bool> numeric(header.size(), true);
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size() && i < numeric.size(); ++i)
      if (!row[i].empty() && !(row[i][0] >= '0' && row[i][0] <= '9')) numeric[i] = false;
  for (std::size_t i = 0; i < header.size(); ++i) h += (numeric[i] ? "<th class=\"n\">" : "<th>") + header[i] + "</th>";
  h += "</tr></thead><tbody>\n";
  for (const auto& row : rows) {
    h += "<tr>";
    for (std::size_t i = 0; i < row.size(); ++i) h += (numeric[i] ? "<td class=\"n\">" : "<td>") + row[i] + "</td>";
    h += "</tr>\n";
  }
  return h + "</tbody></table></div>\n";
}

std::string card(const std::string& label, const std::string& value, const std::string& note = "") {
  return fmt::format("<div class=\"card\"><div class=\"label\">{}</div><div class=\"value\">{}</div><div class=\"note\">{}</div></div>\n",
                     label, value, note);
}

std::string key_figures(const json& r) {
  const json& s = r.at("summary");
  const json& pi = s.at("per_image");
  std::string h = "<section><h2>Key figures per image</h2><div class=\"cards\">\n";
  if (r.contains("accuracy") && r.at("accuracy").is_object())
    h += card("accuracy", pct(r.at("accuracy").value("accuracy", 0.0)),
              fmt::format("{} of {} images", r.at("accuracy").value("correct", 0), r.at("images").get<std::size_t>()));
  h += card("spikes", num(pi.at("spikes")), fmt::format("firing rate {:.3f}, activation sparsity {}", s.at("firing_rate").get<double>(),
                                                       pct(s.at("activation_sparsity").get<double>())));
  h += card("synaptic operations", num(pi.at("synops")),
            fmt::format("{} ACs + {} MACs", num(pi.at("acs")), num(pi.at("macs"))));
  h += card("dense equivalent", num(pi.at("dense_synops")),
            fmt::format("effective synops are {} of it", pct(s.at("effective_fraction").get<double>())));
  h += card("neuron updates", num(pi.at("neuron_updates")),
            fmt::format("{} silent neurons over the run ({})", s.at("silent_neurons").get<std::int64_t>(),
                        pct(s.at("silent_fraction").get<double>())));
  for (const json& e : r.at("energy"))
    h += card("energy, " + escape(e.at("table").at("name").get<std::string>()), svg::energy(e.at("per_image_pj").at("total").get<double>()),
              fmt::format("dense ANN {} = {:.1f} &times;", svg::energy(e.at("dense_ann_per_image_pj").get<double>()),
                          e.at("dense_ann_over_snn").get<double>()));
  return h + "</div></section>\n";
}

std::string layer_bars(const json& r) {
  svg::Bars spikes{"bars-spikes", "Spikes per image, by layer", "", {}, {}, false};
  svg::Bars synops{"bars-synops", "Synaptic operations per image, by source layer", "", {}, {}, false};
  for (const json& p : r.at("populations")) {
    const std::string name = p.at("name");
    if (p.at("kind") == "spiking") {
      spikes.labels.push_back(name);
      spikes.values.push_back(p.at("per_image").at("spikes").get<double>());
    }
    const double syn = p.at("per_image").at("synops").get<double>();
    if (syn > 0) {
      synops.labels.push_back(name);
      synops.values.push_back(syn);
    }
  }
  std::string h = "<section><h2>Per layer</h2><p>Synaptic operations and energy are attributed to the layer whose "
                  "output causes them (a layer's spikes times its fan-out).</p><div class=\"plots\">\n";
  h += svg::bar_chart(spikes) + svg::bar_chart(synops);
  std::size_t k = 0;
  for (const json& e : r.at("energy")) {
    const std::string table = e.at("table").at("name");
    svg::Bars energy{"bars-energy-" + std::to_string(k++), "Energy per image, by layer (" + table + ")",  " pJ", {}, {}, false};
    for (const json& l : e.at("per_layer_pj"))
      if (l.at("total").get<double>() > 0) {
        energy.labels.push_back(l.at("population"));
        energy.values.push_back(l.at("total").get<double>());
      }
    h += svg::bar_chart(energy);
  }
  return h + "</div></section>\n";
}

std::string sparsity_lines(const json& r) {
  const double images = std::max(1.0, r.at("images").get<double>());
  svg::Lines rate{"lines-firing-rate", "Firing rate per time step, by layer", "spikes / (neurons x images)", {}, 0};
  for (const json& p : r.at("populations"))
    if (p.at("kind") == "spiking")
      rate.series.push_back({p.at("name"), p.at("per_step").at("firing_rate").get<std::vector<double>>()});
  const json& ps = r.at("summary").at("per_step");
  svg::Lines net{"lines-sparsity", "Network sparsity per time step", "fraction", {}, 1.0};
  net.series.push_back({"activation sparsity", ps.at("activation_sparsity").get<std::vector<double>>()});
  std::vector<double> effective;
  const auto syn = ps.at("synops").get<std::vector<double>>();
  const auto dense = ps.at("dense_ops").get<std::vector<double>>();
  for (std::size_t t = 0; t < syn.size(); ++t) effective.push_back(dense[t] > 0 ? syn[t] / dense[t] : 0.0);
  net.series.push_back({"synops / dense ops", effective});
  svg::Lines ops{"lines-synops", "Synaptic operations per image and time step", "operations", {}, 0};
  std::vector<double> syn_pi, dense_pi;
  for (std::size_t t = 0; t < syn.size(); ++t) {
    syn_pi.push_back(syn[t] / images);
    dense_pi.push_back(dense[t] / images);
  }
  ops.series.push_back({"synops (ACs + MACs)", syn_pi});
  ops.series.push_back({"dense equivalent", dense_pi});
  return "<section><h2>Sparsity over time</h2><div class=\"plots\">\n" + svg::line_chart(rate) + svg::line_chart(net) +
         svg::line_chart(ops) + "</div></section>\n";
}

std::string rasters(const json& r, const HtmlOptions& o, const std::string& source) {
  const json& list = r.at("rasters");
  if (list.empty()) {
    if (!o.raster_images.empty())
      throw Error(source, "--raster-images", "an image with a recorded raster (the run recorded none)",
                  std::to_string(o.raster_images.front()));
    return "<section><h2>Spike rasters</h2><p>The run recorded no raster (snnsim run --rasters 0).</p></section>\n";
  }
  std::vector<std::string> available_layers;  // in network order
  for (const json& p : r.at("populations"))
    if (list[0].at("layers").contains(p.at("name").get<std::string>())) available_layers.push_back(p.at("name"));
  for (const std::string& name : o.raster_layers)
    if (std::find(available_layers.begin(), available_layers.end(), name) == available_layers.end())
      throw Error(source, "--raster-layers", "spiking layers of the run (" + fmt::format("{}", fmt::join(available_layers, ", ")) + ")",
                  "unknown layer \"" + name + "\"");
  std::vector<std::size_t> available_images;
  for (const json& im : list) available_images.push_back(im.at("image").get<std::size_t>());
  std::vector<std::size_t> images = o.raster_images.empty() ? std::vector<std::size_t>{available_images.front()} : o.raster_images;
  for (std::size_t i : images)
    if (std::find(available_images.begin(), available_images.end(), i) == available_images.end())
      throw Error(source, "--raster-images", "images with a recorded raster (" + fmt::format("{}", fmt::join(available_images, ", ")) + ")",
                  "image " + std::to_string(i));
  // Layers in network order, as the report lists its populations.
  std::vector<std::string> layers;
  for (const json& p : r.at("populations")) {
    const std::string name = p.at("name");
    if (p.at("kind") != "spiking") continue;
    if (o.raster_layers.empty() ||
        std::find(o.raster_layers.begin(), o.raster_layers.end(), name) != o.raster_layers.end())
      layers.push_back(name);
  }
  std::string h = "<section><h2>Spike rasters</h2><div class=\"plots\">\n";
  for (std::size_t image : images) {
    const json& entry = list[static_cast<std::size_t>(std::find(available_images.begin(), available_images.end(), image) -
                                                      available_images.begin())];
    svg::Raster raster{"raster-" + std::to_string(image), "Spike raster of image " + std::to_string(image),
                       r.at("steps").get<std::int64_t>(), {}};
    for (const std::string& name : layers) {
      const json& l = entry.at("layers").at(name);
      svg::RasterLayer rl{name, l.at("size").get<std::size_t>(), {}};
      for (const json& s : l.at("spikes")) rl.spikes.emplace_back(s[0].get<std::int64_t>(), s[1].get<std::int64_t>());
      raster.layers.push_back(std::move(rl));
    }
    h += svg::raster_plot(raster);
  }
  return h + "</div></section>\n";
}

std::string ops_tables(const json& r) {
  std::vector<std::vector<std::string>> rows;
  for (const json& p : r.at("populations")) {
    const json& pi = p.at("per_image");
    const bool spiking = p.at("kind") == "spiking";
    const double images = std::max(1.0, r.at("images").get<double>());
    const double dense = p.at("dense_synops").get<double>() / images;
    rows.push_back({escape(p.at("name").get<std::string>()), escape(p.at("kind").get<std::string>()),
                    std::to_string(p.at("size").get<std::size_t>()), spiking ? num(pi.at("spikes")) : "",
                    spiking ? fmt::format("{:.3f}", p.at("firing_rate").get<double>()) : "",
                    spiking ? pct(p.at("silent_fraction").get<double>()) : "",
                    spiking ? pct(p.at("silent_fraction_per_image").get<double>()) : "",
                    num(pi.at("neuron_updates")), num(pi.at("state_updates")), num(pi.at("acs")), num(pi.at("macs")),
                    num(pi.at("adds")), si(dense), dense > 0 ? pct(pi.at("synops").get<double>() / dense) : "",
                    num(pi.at("executed_ops"))});
  }
  std::string h = "<section><h2>Operations per image, by layer</h2>";
  h += html_table({"layer", "kind", "size", "spikes", "firing rate", "silent over the run", "silent per image",
                   "neuron updates", "state updates", "ACs", "MACs", "adds", "dense synops", "effective",
                   "executed by backend"},
                  rows);
  rows.clear();
  for (const json& p : r.at("projections")) {
    const json& pi = p.at("per_image");
    rows.push_back({escape(p.at("name").get<std::string>()),
                    escape(p.at("source").get<std::string>() + " \u2192 " + p.at("target").get<std::string>()),
                    escape(p.at("kind").get<std::string>()), num(pi.at("acs")), num(pi.at("macs")), num(pi.at("adds")),
                    num(pi.at("dense_ops")), pct(p.at("effective_fraction").get<double>()), num(pi.at("executed_ops"))});
  }
  h += "<h3>By projection</h3>";
  h += html_table({"projection", "source \u2192 target", "kind", "ACs", "MACs", "adds", "dense ops", "effective", "executed by backend"},
                  rows);
  return h + "</section>\n";
}

/// One row per layer with any energy: the spiking network and its dense ANN under every table.
std::string energy_by_layer(const json& r) {
  const json& energies = r.at("energy");
  if (energies.empty()) return "";
  std::vector<std::string> header = {"layer"};
  for (const json& e : energies) {
    const std::string name = escape(e.at("table").at("name").get<std::string>());
    header.push_back(name);
    header.push_back(name + " dense ANN");
  }
  std::vector<std::vector<std::string>> rows;
  for (std::size_t l = 0; l < energies[0].at("per_layer_pj").size(); ++l) {
    std::vector<std::string> row = {escape(energies[0].at("per_layer_pj")[l].at("population").get<std::string>())};
    bool any = false;
    for (const json& e : energies) {
      const json& layer = e.at("per_layer_pj")[l];
      any = any || layer.at("total").get<double>() > 0 || layer.at("dense_ann").get<double>() > 0;
      row.push_back(svg::energy(layer.at("total").get<double>()));
      row.push_back(svg::energy(layer.at("dense_ann").get<double>()));
    }
    if (any) rows.push_back(std::move(row));
  }
  return "<h3>By layer (operations attributed to the layer whose output causes them)</h3>" + html_table(header, rows);
}

std::string energy_tables(const json& r) {
  std::string h = "<section><h2>Energy per image</h2>";
  for (const json& e : r.at("energy")) {
    const json& t = e.at("table");
    const json& pj = t.at("pj");
    const json& pi = e.at("per_image_pj");
    h += fmt::format("<h3>{}</h3><p class=\"source\">{}. Source: {}</p>", escape(t.at("name").get<std::string>()),
                     escape(t.at("description").get<std::string>()), escape(t.at("source").get<std::string>()));
    const json& sum = r.at("summary").at("per_image");
    std::vector<std::vector<std::string>> rows = {
        {"accumulates (ACs)", num(sum.at("acs")), fmt::format("{}", pj.at("ac").get<double>()), svg::energy(pi.at("ac").get<double>())},
        {"multiply-accumulates (MACs)", num(sum.at("macs")), fmt::format("{}", pj.at("mac").get<double>()), svg::energy(pi.at("mac").get<double>())},
        {"bias and residual adds", num(sum.at("adds")), fmt::format("{}", pj.at("add").get<double>()), svg::energy(pi.at("add").get<double>())},
        {"neuron updates", num(sum.at("neuron_updates")), fmt::format("{}", pj.at("neuron_update").get<double>()),
         svg::energy(pi.at("neuron_update").get<double>())},
        {"spikes", num(sum.at("spikes")), fmt::format("{}", pj.at("spike").get<double>()), svg::energy(pi.at("spike").get<double>())},
        {"<b>spiking network</b>", "", "", "<b>" + svg::energy(pi.at("total").get<double>()) + "</b>"},
        {"dense ANN: dense synops as MACs + dense adds", num(sum.at("dense_synops")) + " + " + num(sum.at("dense_adds")), "",
         svg::energy(e.at("dense_ann_per_image_pj").get<double>())},
        {"<b>dense ANN / spiking</b>", "", "", fmt::format("<b>{:.2f} &times;</b>", e.at("dense_ann_over_snn").get<double>())}};
    h += html_table({"operation", "count per image", "pJ each", "energy per image"}, rows);
  }
  return h + energy_by_layer(r) + "</section>\n";
}

std::string model_summary(const json& r) {
  const json& m = r.at("model");
  std::vector<std::vector<std::string>> rows;
  for (const json& p : m.at("populations"))
    rows.push_back({escape(p.at("name").get<std::string>()), escape(p.value("layer", "")), escape(p.at("kind").get<std::string>()),
                    std::to_string(p.at("size").get<std::size_t>()), escape(p.value("neuron_model", ""))});
  std::string h = fmt::format("<section><h2>Model</h2><p>{}: {} spiking neurons, {} time steps, {} populations, {} projections.</p>",
                              escape(m.at("name").get<std::string>()), m.at("neurons").get<std::int64_t>(),
                              r.at("steps").get<std::int64_t>(), m.at("populations").size(), m.at("projections").size());
  h += html_table({"population", "layer", "kind", "size", "neuron model"}, rows);
  rows.clear();
  for (const json& p : m.at("projections")) {
    std::string shape;
    if (p.contains("shape")) shape = p.at("shape").dump();
    if (p.contains("synapses")) shape = fmt::format("{} synapses, delay {}", p.at("synapses").get<std::int64_t>(), p.at("delay").get<std::int64_t>());
    if (p.contains("first_offset")) shape += fmt::format(", first offset {}", p.at("first_offset").get<int>());
    if (p.value("bias", false)) shape += ", bias";
    rows.push_back({escape(p.at("name").get<std::string>()), escape(p.at("source").get<std::string>()),
                    escape(p.at("target").get<std::string>()), escape(p.at("kind").get<std::string>()), escape(shape)});
  }
  h += html_table({"projection", "source", "target", "kind", "shape [out, in, kernel]"}, rows);
  return h + "</section>\n";
}

std::string provenance(const json& r) {
  const json& p = r.at("provenance");
  std::vector<std::vector<std::string>> rows = {
      {"snnsim version", escape(p.at("snnsim_version").get<std::string>())},
      {"backend", escape(p.at("backend").get<std::string>())},
      {"threads", std::to_string(p.at("threads").get<int>())},
      {"model file", escape(p.at("model").at("path").get<std::string>())},
      {"model SHA-256", "<code>" + escape(p.at("model").at("sha256").get<std::string>()) + "</code>"},
      {"data", escape(p.at("data").get<std::string>())},
      {"images", std::to_string(r.at("images").get<std::size_t>())},
      {"command", "<code>" + escape(p.at("command").get<std::string>()) + "</code>"},
      {"created (UTC)", escape(p.at("created_utc").get<std::string>())}};
  return "<section><h2>Provenance</h2>" + html_table({"", ""}, rows) + "</section>\n";
}

const char* kDefinitions = R"(<section><h2>Definitions</h2><ul>
<li><b>Spikes</b>: spikes emitted. <b>Firing rate</b> = spikes / (neurons &times; steps &times; images). <b>Activation sparsity</b> (NeuroBench) = 1 &minus; firing rate = zero activations / possible activations.</li>
<li><b>Silent neurons</b>: neurons that never fired in any image of the run (run), and the mean fraction silent within one image (per image).</li>
<li><b>ACs</b>: one accumulate per spike per target actually touched (a K = 3 convolution's edge taps at the first and last step are not touched). <b>MACs</b>: one multiply-accumulate per non-zero real-valued input per target touched (e.g. the first convolution on pixels). <b>Synops</b> = ACs + MACs.</li>
<li><b>Dense synops</b>: what a time-stepped dense engine does for the weighted projections: inputs &times; outputs for every in-range tap and step, whatever the input values. <b>Effective</b> = synops / dense synops.</li>
<li><b>Adds</b>: bias additions (one per output per step) and residual (identity) additions (one per channel per step from a real-valued stream, one per spike from a spiking one). <b>Dense adds</b>: identity channels &times; steps + bias adds.</li>
<li><b>Neuron updates</b>: neuron state updates performed (neurons &times; steps for a time-stepped LIF). <b>State updates</b>: values of real-valued streams computed (channels &times; steps), e.g. the LMU memory.</li>
<li><b>Executed by backend</b>: the arithmetic the chosen backend itself performed in its deliveries (the event backend: touched targets and biases; the dense reference: every synapse every step).</li>
<li><b>Energy</b> = ACs &times; E<sub>AC</sub> + MACs &times; E<sub>MAC</sub> + adds &times; E<sub>add</sub> + neuron updates &times; E<sub>neuron</sub> + spikes &times; E<sub>spike</sub>. <b>Dense ANN</b> = dense synops &times; E<sub>MAC</sub> + dense adds &times; E<sub>add</sub>.</li>
</ul><p>Every figure with its formula: README.md, section "Run report".</p></section>
)";

const char* kStyle = R"(<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1500px;color:#222;line-height:1.4;padding:0 16px}
h1{font-size:24px;margin:0 0 4px} h2{font-size:19px;border-bottom:2px solid #4e79a7;padding-bottom:3px;margin-top:30px} h3{font-size:16px;margin:18px 0 6px}
.sub{color:#555;margin:0 0 12px}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{border:1px solid #ccd;border-radius:6px;padding:10px 14px;min-width:170px;background:#f8f9fc}
.card .label{font-size:13px;color:#555}.card .value{font-size:24px;font-weight:600}.card .note{font-size:12px;color:#666}
.plots{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}
svg.plot{border:1px solid #ddd;border-radius:4px;background:#fff}
table{border-collapse:collapse;font-size:13px;margin:6px 0}
th,td{border:1px solid #ddd;padding:3px 8px} th{background:#eef1f7;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
td.n{white-space:nowrap} th{vertical-align:bottom}
.scroll{overflow-x:auto;max-width:100%}
tbody tr:nth-child(even){background:#fafafa}
caption{text-align:left;font-weight:600;padding:4px 0}
.source{color:#555;font-size:13px;margin:2px 0}
code{font-size:12px;word-break:break-all}
#render-check{display:none}
</style>
)";

/// Measures each plot's drawn marks after layout, for the headless-browser check.
const char* kRenderCheck = R"(<pre id="render-check"></pre>
<script>
(function(){var out=[];document.querySelectorAll('svg.plot').forEach(function(s){
var g=s.querySelector('g.marks');var b=g?g.getBBox():{width:0,height:0};
var n=g?g.querySelectorAll('rect,path,polyline,circle').length:0;
s.setAttribute('data-rendered-shapes',n);s.setAttribute('data-rendered-size',Math.round(b.width)+'x'+Math.round(b.height));
out.push(s.id+' marks='+s.getAttribute('data-marks')+' shapes='+n+' size='+Math.round(b.width)+'x'+Math.round(b.height));});
document.getElementById('render-check').textContent=out.join('\n');})();
</script>
)";

}  // namespace

/// The neurocore mesh of a neuromorphic backend's mapping (backend_details "mesh" and "cores"): one
/// grid of tiles per chip, each tile split into its core slots, occupied slots coloured by layer.
std::string mesh_picture(const json& r) {
  const json& d = r.at("provenance").at("backend_details");
  if (!d.is_object() || !d.contains("mesh") || !d.contains("cores")) return "";
  const json& mesh = d.at("mesh");
  const int tiles_x = mesh.at("tiles_x").get<int>(), tiles_y = mesh.at("tiles_y").get<int>();
  const int per_tile = mesh.at("cores_per_tile").get<int>();
  const int side = per_tile <= 1 ? 1 : (per_tile <= 4 ? 2 : 4);  // slots per tile edge
  const int cell = 26, tile = side * cell + 8, chips = d.value("chips", 1);
  std::vector<std::string> layers;
  for (const json& c : d.at("cores")) {
    const std::string l = c.at("layer").get<std::string>();
    if (std::find(layers.begin(), layers.end(), l) == layers.end()) layers.push_back(l);
  }
  const int width = chips * (tiles_x * tile + 30), height = tiles_y * tile + 30;
  std::string g = fmt::format("<svg class=\"plot\" id=\"mesh\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
                              "role=\"img\" aria-label=\"neurocore mesh\">\n", width, height, width, height);
  for (int chip = 0; chip < chips; ++chip) {
    const int ox = chip * (tiles_x * tile + 30) + 10;
    g += fmt::format("<text x=\"{}\" y=\"12\" font-size=\"11\">chip {}</text>\n", ox, chip);
    for (int ty = 0; ty < tiles_y; ++ty)
      for (int tx = 0; tx < tiles_x; ++tx)
        g += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f4f4f4\" stroke=\"#999\"/>\n",
                         ox + tx * tile, 18 + ty * tile, tile - 4, tile - 4);
  }
  for (const json& c : d.at("cores")) {
    const int chip = c.value("chip", 0), slot = c.at("slot").get<int>() % per_tile;
    const int x = chip * (tiles_x * tile + 30) + 10 + c.at("tile_x").get<int>() * tile + 2 + (slot % side) * cell;
    const int y = 18 + c.at("tile_y").get<int>() * tile + 2 + (slot / side) * cell;
    const std::string layer = c.at("layer").get<std::string>();
    const auto colour_index = static_cast<std::size_t>(std::find(layers.begin(), layers.end(), layer) - layers.begin());
    g += fmt::format("<rect class=\"core\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>core {}: "
                     "{} neurons {}..{}</title></rect>\n", x, y, cell - 2, cell - 2, svg::colour(colour_index),
                     c.at("core").get<int>(), escape(layer), c.at("first").get<std::size_t>(),
                     c.at("first").get<std::size_t>() + c.at("count").get<std::size_t>() - 1);
  }
  g += "</svg>\n";
  std::string legend = "<p class=\"sub\">";
  for (std::size_t i = 0; i < layers.size(); ++i)
    legend += fmt::format("<span style=\"color:{}\">&#9632;</span> {} &nbsp; ", svg::colour(i), escape(layers[i]));
  return fmt::format("<section><h2>Neurocore mesh</h2><p>{} of {} cores used; {} x {} tiles of {} cores per chip. "
                     "Each square is a core, coloured by the layer it holds (hover for its neurons).</p>\n",
                     d.value("cores_used", 0), d.value("cores_available", 0), tiles_x, tiles_y, per_tile) +
         g + legend + "</p></section>\n";
}

std::string render_html(const json& r, const HtmlOptions& options, const std::string& source) {
  const std::string raster_section = rasters(r, options, source);  // may throw: before anything else
  const json& p = r.at("provenance");
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>snnsim report: " +
                  escape(r.at("model").at("name").get<std::string>()) + "</title>\n" + kStyle + "</head><body>\n";
  h += fmt::format("<h1>snnsim run report: {}</h1><p class=\"sub\">{} images, backend {}, {} thread(s), snnsim {}, {}</p>\n",
                   escape(r.at("model").at("name").get<std::string>()), r.at("images").get<std::size_t>(),
                   escape(p.at("backend").get<std::string>()), p.at("threads").get<int>(),
                   escape(p.at("snnsim_version").get<std::string>()), escape(p.at("created_utc").get<std::string>()));
  h += key_figures(r);
  h += layer_bars(r);
  h += mesh_picture(r);
  h += sparsity_lines(r);
  h += raster_section;
  h += ops_tables(r);
  h += energy_tables(r);
  h += model_summary(r);
  h += provenance(r);
  h += kDefinitions;
  h += kRenderCheck;
  return h + "</body></html>\n";
}

}  // namespace snnsim::report
