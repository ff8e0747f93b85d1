// SPDX-License-Identifier: MIT
#include "hw_backends/loihi/loihi_backend.hpp"

#include <cmath>
#include <mutex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "hw_backends/cpu_event/cpu_event.hpp"
#include "hw_backends/loihi/engine.hpp"
#include "hw_backends/loihi/lowering.hpp"
#include "hw_backends/loihi/mapper.hpp"
#include "hw_backends/loihi/quantizer.hpp"
#include "sim/error.hpp"

namespace snnsim::hw_backends {

namespace {

using nlohmann::json;
using namespace loihi;

/// Per-layer spike agreement with the float network, as integer sums (order-independent).
struct AgreementSums {
  std::int64_t pairs = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;  ///< per-neuron spike counts, float x / chip y
  std::int64_t divergence_sum = 0, identical = 0, images = 0, float_spikes = 0, chip_spikes = 0;
  AgreementSums& operator+=(const AgreementSums& o) {
    pairs += o.pairs, sx += o.sx, sy += o.sy, sxx += o.sxx, syy += o.syy, sxy += o.sxy;
    divergence_sum += o.divergence_sum, identical += o.identical, images += o.images;
    float_spikes += o.float_spikes, chip_spikes += o.chip_spikes;
    return *this;
  }
  double correlation() const {
    const double n = static_cast<double>(pairs);
    const double cov = n * static_cast<double>(sxy) - static_cast<double>(sx) * static_cast<double>(sy);
    const double vx = n * static_cast<double>(sxx) - static_cast<double>(sx) * static_cast<double>(sx);
    const double vy = n * static_cast<double>(syy) - static_cast<double>(sy) * static_cast<double>(sy);
    return vx > 0 && vy > 0 ? cov / std::sqrt(vx * vy) : (vx == 0 && vy == 0 ? 1.0 : 0.0);
  }
};

std::string setting(const sim::BackendOptions& o, const std::string& key, const std::string& fallback) {
  auto it = o.settings.find(key);
  return it == o.settings.end() || it->second.empty() ? fallback : it->second;
}

std::int64_t positive_setting(const sim::BackendOptions& o, const std::string& key, std::int64_t fallback,
                              const std::string& flag) {
  const std::string text = setting(o, key, std::to_string(fallback));
  std::size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || v < 1) throw Error("snnsim run", flag, "a positive integer", "'" + text + "'");
  return v;
}

struct LoihiWorkspace final : sim::Workspace {
  std::unique_ptr<EventEngine::Workspace> engine;
  TrialInput input;
  TrialOutput output;
  Activity activity;
  std::unique_ptr<sim::Workspace> float_ws;
  sim::TrialRecord float_record;
};

class LoihiCompiled final : public sim::CompiledNetwork {
 public:
  LoihiCompiled(const sim::Network& net, ChipSpec chip, std::int64_t chips, QuantizeOptions q, bool agreement,
                double input_rate)
      : net_(&net), chip_(std::move(chip)), input_rate_(input_rate) {
    lowered_ = lower(net, "loihi");
    program_ = quantize(lowered_, chip_, q, "loihi");
    mapping_ = map_program(program_, chip_, chips, {});
    engine_ = std::make_unique<EventEngine>(program_, mapping_, EngineCosts::from(chip_, mapping_));
    if (agreement) float_ = CpuEventBackend().compile(net, {});
    total_.reset(mapping_.cores.size());
    agreement_.resize(program_.groups.size());
  }

  std::unique_ptr<sim::Workspace> make_workspace() const override {
    auto ws = std::make_unique<LoihiWorkspace>();
    ws->engine = engine_->make_workspace();
    if (float_) ws->float_ws = float_->make_workspace();
    return ws;
  }

  void run_trial(sim::Workspace& base, const sim::Stimulus& stimulus, const sim::RecordOptions& options,
                 sim::TrialRecord& record) const override {
    auto& ws = static_cast<LoihiWorkspace&>(base);
    make_trial_input(program_, *net_, stimulus, ws.input);
    ws.output.reset(program_, false);
    ws.activity.reset(mapping_.cores.size());
    engine_->run(*ws.engine, ws.input, ws.output, &ws.activity);
    record_spikes(ws.output, options, record);
    const std::int64_t host_adds = host_readout(ws, stimulus, record, options);
    std::vector<AgreementSums> agree;
    if (float_) agree = compare_with_float(ws, stimulus);
    const std::lock_guard lock(mutex_);
    total_ += ws.activity;
    host_readout_adds_ += host_adds;
    ++trials_;
    for (std::size_t g = 0; g < agree.size(); ++g) agreement_[g] += agree[g];
  }

  json describe() const override;

 private:
  void record_spikes(const TrialOutput& out, const sim::RecordOptions& options, sim::TrialRecord& record) const {
    for (std::size_t g = 0; g < program_.groups.size(); ++g) {
      const CompartmentGroup& cg = program_.groups[g];
      std::int64_t dense = 0;
      for (std::size_t si : cg.synapses)
        dense += static_cast<std::int64_t>(program_.synapses[si].in * program_.synapses[si].out * program_.synapses[si].delay.size());
      for (sim::TimeStep t = 0; t < program_.steps; ++t) {
        const auto& fired = out.spikes[g][static_cast<std::size_t>(t)];
        record.spikes(cg.population, t) = static_cast<std::int32_t>(fired.size());
        if (options.raster)
          for (std::uint32_t n : fired) record.raster[cg.population].push_back({t, n});
        if (options.counters) {
          sim::OpCounts& c = record.counters.population(cg.population, t);
          c.spikes += static_cast<std::int64_t>(fired.size());
          c.neuron_updates += static_cast<std::int64_t>(cg.size);
          c.acs += out.synops[g][static_cast<std::size_t>(t)];
          c.executed_ops += out.synops[g][static_cast<std::size_t>(t)];
          c.dense_ops += dense;
        }
      }
    }
  }

  /// The host's readout (e.g. the classifier head): bias + weights x spikes of its sources (and
  /// x values of graded inputs it reads directly, as MACs), in double; returns the host
  /// additions performed.
  std::int64_t host_readout(LoihiWorkspace& ws, const sim::Stimulus& stimulus, sim::TrialRecord& record,
                            const sim::RecordOptions& options) const {
    std::int64_t adds_total = 0;
    for (const LoweredReadout& r : lowered_.readouts) {
      std::vector<double>& y = record.outputs[r.output];
      const std::size_t size = r.value.size;
      for (sim::TimeStep t = 0; t < program_.steps; ++t) {
        double* row = y.data() + static_cast<std::size_t>(t) * size;
        std::int64_t adds = static_cast<std::int64_t>(size), macs = 0;
        for (std::size_t o = 0; o < size; ++o) row[o] = r.value.bias[o];
        for (const auto& [src, taps] : r.value.terms)
          for (const auto& [off, w] : taps.weight) {
            const sim::TimeStep s = t + off;
            if (s < 0 || s >= program_.steps) continue;
            const sim::Population& pop = net_->population(src);
            if (pop.kind == sim::PopulationKind::Input && pop.graded) {
              const float* x = stimulus.values[src].data() + static_cast<std::size_t>(s) * taps.in;
              for (std::size_t i = 0; i < taps.in; ++i) {
                if (x[i] == 0.0f) continue;
                for (std::size_t o = 0; o < size; ++o) row[o] += w[o * taps.in + i] * static_cast<double>(x[i]);
                macs += static_cast<std::int64_t>(size);
              }
              continue;
            }
            for (std::uint32_t n : source_spikes(ws, src, s)) {
              for (std::size_t o = 0; o < size; ++o) row[o] += w[o * taps.in + n];
              adds += static_cast<std::int64_t>(size);
            }
          }
        if (options.counters) {
          record.counters.population(r.population, t).acs += adds;
          record.counters.population(r.population, t).macs += macs;
        }
        ws.activity.host_macs += macs;
        adds_total += adds;
      }
    }
    return adds_total;
  }

  const std::vector<std::uint32_t>& source_spikes(const LoihiWorkspace& ws, sim::PopulationId src, sim::TimeStep s) const {
    for (std::size_t g = 0; g < program_.groups.size(); ++g)
      if (program_.groups[g].population == src) return ws.output.spikes[g][static_cast<std::size_t>(s)];
    for (std::size_t i = 0; i < program_.inputs.size(); ++i)
      if (program_.inputs[i].population == src) return ws.input.spikes[i][static_cast<std::size_t>(s)];
    throw std::logic_error("readout source without spikes: " + net_->population(src).name);
  }

  std::vector<AgreementSums> compare_with_float(LoihiWorkspace& ws, const sim::Stimulus& stimulus) const {
    sim::RecordOptions ro;
    ro.raster = true;
    ro.counters = false;
    ws.float_record.reset(*net_, ro);
    float_->run_trial(*ws.float_ws, stimulus, ro, ws.float_record);
    std::vector<AgreementSums> out(program_.groups.size());
    for (std::size_t g = 0; g < program_.groups.size(); ++g) {
      const CompartmentGroup& cg = program_.groups[g];
      const std::vector<sim::SpikeEvent>& fr = ws.float_record.raster[cg.population];
      std::vector<std::int64_t> cx(cg.size, 0), cy(cg.size, 0);
      for (const sim::SpikeEvent& e : fr) ++cx[e.neuron];
      // First step whose spike set differs (events are in step order, neurons ascending).
      sim::TimeStep diverge = program_.steps;
      std::size_t at = 0;
      for (sim::TimeStep t = 0; t < program_.steps; ++t) {
        const auto& q = ws.output.spikes[g][static_cast<std::size_t>(t)];
        for (std::uint32_t n : q) ++cy[n];
        std::size_t j = 0;
        bool same = true;
        while (at < fr.size() && fr[at].step == t) {
          same = same && j < q.size() && q[j] == fr[at].neuron;
          ++j;
          ++at;
        }
        same = same && j == q.size();
        if (!same && diverge == program_.steps) diverge = t;
      }
      AgreementSums& a = out[g];
      for (std::size_t n = 0; n < cg.size; ++n) {
        a.pairs += 1;
        a.sx += cx[n], a.sy += cy[n], a.sxx += cx[n] * cx[n], a.syy += cy[n] * cy[n], a.sxy += cx[n] * cy[n];
        a.float_spikes += cx[n], a.chip_spikes += cy[n];
      }
      a.divergence_sum += diverge;
      a.identical += diverge == program_.steps;
      a.images = 1;
    }
    return out;
  }

  const sim::Network* net_;
  ChipSpec chip_;
  double input_rate_;
  LoweredNetwork lowered_;
  Program program_;
  Mapping mapping_;
  std::unique_ptr<EventEngine> engine_;
  std::unique_ptr<sim::CompiledNetwork> float_;
  mutable std::mutex mutex_;
  mutable Activity total_;
  mutable std::vector<AgreementSums> agreement_;
  mutable std::int64_t trials_ = 0, host_readout_adds_ = 0;
};

/// A few lines for the terminal, from the description.
json summary_lines(const json& j) {
  json lines = json::array();
  lines.push_back(fmt::format("chip      {} ({}), {} chip(s): {} of {} neurocores, chip runs {} steps behind (ticks {})",
                              j["chip"]["name"].get<std::string>(), j["chip"]["file"].get<std::string>(),
                              j["chips"].get<std::int64_t>(), j["cores_used"].get<std::size_t>(),
                              j["cores_available"].get<std::int64_t>(), j["max_lag"].get<std::int64_t>(),
                              j["ticks"].get<std::int64_t>()));
  double worst_rms = 0;
  std::string worst;
  std::int64_t clipped = 0;
  for (const json& g : j["groups"])
    for (const json& s : g["synapse_groups"]) {
      clipped += s["clipped"].get<std::int64_t>();
      if (s["rms_rel_error"].get<double>() > worst_rms) {
        worst_rms = s["rms_rel_error"].get<double>();
        worst = s["name"].get<std::string>();
      }
    }
  lines.push_back(fmt::format("quantise  8-bit weights: worst RMS weight error {:.3f} % of the group's largest weight ({}), "
                              "{} clipped",
                              100.0 * worst_rms, worst, clipped));
  if (!j["agreement"].empty()) {
    const json* low = &j["agreement"][0];
    for (const json& a : j["agreement"])
      if (a["spike_count_correlation"].get<double>() < (*low)["spike_count_correlation"].get<double>()) low = &a;
    lines.push_back(fmt::format("agreement lowest per-layer spike-count correlation with float: {:.3f} ({})",
                                (*low)["spike_count_correlation"].get<double>(), (*low)["layer"].get<std::string>()));
  }
  const json& t = j["traffic"];
  lines.push_back(fmt::format("traffic   {:.1f} spike messages/step, {:.1f} E-W + {:.1f} N-S hops/step, {:.2f} chip crossings/step",
                              t["messages_per_step"].get<double>(), t["hops_east_west_per_step"].get<double>(),
                              t["hops_north_south_per_step"].get<double>(), t["chip_crossings_per_step"].get<double>()));
  const json& e = j["energy"];
  lines.push_back(fmt::format("energy    {:.2f} uJ/image ({:.1f} nJ/step) from the chip file's per-op figures; host: {:.0f} MACs, "
                              "{:.0f} readout adds per image",
                              e["per_image_uj"].get<double>(), e["per_step_nj"].get<double>(),
                              j["lowering"]["host_macs_per_image"].get<double>(),
                              j["lowering"]["host_readout_adds_per_image"].get<double>()));
  const json& l = j["latency"];
  lines.push_back(fmt::format("latency   {:.1f} us/step mean, {:.1f} us worst -> {:.0f} steps/s; {:.0f} steps/s input needs {:.3f} x "
                              "nominal speed",
                              l["per_step_ns_mean"].get<double>() * 1e-3, l["per_step_ns_max"].get<double>() * 1e-3,
                              l["max_steps_per_second"].get<double>(), l["input_rate_hz"].get<double>(),
                              l["speed_needed_vs_nominal"].get<double>()));
  std::string host;
  for (const json& h : j["lowering"]["host"]) host += (host.empty() ? "" : ", ") + h["what"].get<std::string>();
  lines.push_back("host      " + host + " (everything else on chip)");
  return lines;
}

json LoihiCompiled::describe() const {
  const std::lock_guard lock(mutex_);
  json j;
  j["backend"] = "loihi";
  j["chip"] = {{"name", chip_.name}, {"file", chip_.file}, {"description", chip_.description}, {"figures", chip_.provenance}};
  j["chips"] = mapping_.chips;
  j["ticks"] = program_.ticks();
  j["max_lag"] = program_.max_lag;

  // What runs where.
  json on_chip = json::array(), host = json::array();
  std::int64_t graded_macs_per_step = 0;
  for (const CompartmentGroup& g : program_.groups)
    on_chip.push_back({{"what", g.name}, {"as", fmt::format("{} CUBA compartments (du 4095, dv {}, vth {}), lag {} steps",
                                                         g.size, g.cuba.dv, g.cuba.vth, g.lag)}});
  for (const SynapseGroup& s : program_.synapses) {
    const bool graded = s.source.kind == SourceKind::GradedInput;
    if (graded) graded_macs_per_step += static_cast<std::int64_t>(s.in * s.out * s.delay.size());
    const json item = {{"what", s.name},
                       {"as", fmt::format("{} synapse group, {} tap{} (delays {}), weight exponent {}",
                                          graded ? (chip_.graded_spikes ? "graded-spike" : "host MAC") : "spike",
                                          s.delay.size(), s.delay.size() == 1 ? "" : "s", fmt::join(s.delay, "/"),
                                          s.weight_exp)}};
    (graded && !chip_.graded_spikes ? host : on_chip).push_back(item);
  }
  for (sim::PopulationId id = 0; id < net_->population_count(); ++id) {
    const sim::Population& pop = net_->population(id);
    bool is_output = false;
    for (const auto& r : lowered_.readouts) is_output |= r.population == id;
    if (pop.kind == sim::PopulationKind::Analog && !is_output)
      on_chip.push_back({{"what", pop.name}, {"as", "float stream composed into the multi-source synapses and biases of its readers"}});
  }
  for (const auto& r : lowered_.readouts)
    host.push_back({{"what", net_->population(r.population).name},
                    {"as", "host readout: bias + weights x spikes, float64, one addition per spike per output"}});
  for (const ProgramInput& in : program_.inputs)
    host.push_back({{"what", net_->population(in.population).name},
                    {"as", in.graded ? fmt::format("host encodes values as {}-bit payloads (round(x * {}))",
                                                   chip_.graded_payload_bits, in.payload_max)
                                     : "host sends input spikes"}});
  const double trials = trials_ > 0 ? static_cast<double>(trials_) : 1.0;
  j["lowering"] = {{"on_chip", on_chip}, {"host", host},
                   {"host_macs_per_image", static_cast<double>(total_.host_macs) / trials},
                   {"host_readout_adds_per_image", static_cast<double>(host_readout_adds_) / trials},
                   {"graded_input_dense_macs_per_step", graded_macs_per_step},
                   {"output_latency_steps", program_.max_lag},
                   {"note", "population time t of group X runs at chip step t + lag_X; inputs of step t enter at chip step t"}};

  // Quantisation per layer.
  json groups = json::array();
  for (const CompartmentGroup& g : program_.groups) {
    json syn = json::array();
    for (std::size_t si : g.synapses) {
      const SynapseGroup& s = program_.synapses[si];
      syn.push_back({{"name", s.name}, {"taps", s.delay.size()}, {"delays", s.delay}, {"offsets", s.offset},
                     {"weight_exp", s.weight_exp}, {"weights", s.stats.weights}, {"scale", s.stats.scale},
                     {"max_rel_error", s.stats.max_rel_error}, {"rms_rel_error", s.stats.rms_rel_error},
                     {"clipped", s.stats.clipped}, {"zeroed", s.stats.zeroed}});
    }
    std::int64_t cores = 0;
    for (const Core& c : mapping_.cores) cores += &program_.groups[c.group] == &g;
    groups.push_back({{"name", g.name}, {"layer", g.layer}, {"neurons", g.size}, {"lag", g.lag}, {"cores", cores},
                      {"du", g.cuba.du}, {"dv", g.cuba.dv}, {"vth", g.cuba.vth}, {"sigma", g.sigma},
                      {"v_threshold", g.v_threshold}, {"bias_clipped", g.bias_clipped}, {"synapse_groups", syn}});
  }
  j["groups"] = groups;

  // Cores and occupancy.
  json cores = json::array();
  for (std::size_t c = 0; c < mapping_.cores.size(); ++c) {
    const Core& core = mapping_.cores[c];
    cores.push_back({{"core", c}, {"layer", program_.groups[core.group].name}, {"first", core.first}, {"count", core.count},
                     {"chip", core.chip}, {"tile_x", core.tile_x}, {"tile_y", core.tile_y}, {"slot", core.slot},
                     {"occupancy",
                      {{"compartments", {core.use.compartments, chip_.compartments_per_core}},
                       {"fanin_axons", {core.use.fanin_axons, chip_.fanin_axons_per_core}},
                       {"fanout_axons", {core.use.fanout_axons, chip_.fanout_axons_per_core}},
                       {"synapse_bits", {core.use.synapse_bits, chip_.synapse_memory_bits_per_core}}}},
                     {"synops", c < total_.core_synops.size() ? total_.core_synops[c] : 0}});
  }
  j["cores_used"] = mapping_.cores.size();
  j["cores_available"] = mapping_.chips * chip_.cores_per_chip;
  j["cores"] = cores;
  j["mesh"] = {{"tiles_x", chip_.tiles_x * mapping_.chips}, {"tiles_y", chip_.tiles_y},
               {"cores_per_tile", chip_.cores_per_tile}, {"placement_cost", mapping_.placement_cost}};

  // Traffic, energy and latency from the trials run so far.
  const double steps = total_.steps > 0 ? static_cast<double>(total_.steps) : 1.0;
  const std::size_t nc = mapping_.cores.size();
  if (total_.steps > 0 && !total_.pair_messages.empty()) {
    // The run so far is a calibration run: place again from its measured messages per step.
    std::vector<std::vector<double>> w(nc, std::vector<double>(nc, 0.0));
    for (std::size_t a = 0; a < nc; ++a)
      for (std::size_t b = 0; b < nc; ++b) w[a][b] = static_cast<double>(total_.pair_messages[a * nc + b]) / steps;
    Mapping measured = mapping_;
    place(measured, chip_, w);
    double hops_now = 0, hops_measured = 0;
    for (std::uint32_t a = 0; a < nc; ++a)
      for (std::uint32_t b = 0; b < nc; ++b) {
        hops_now += w[a][b] * static_cast<double>(mapping_.hops(a, b));
        hops_measured += w[a][b] * static_cast<double>(measured.hops(a, b));
      }
    json positions = json::array();
    for (const Core& c : measured.cores) positions.push_back({{"chip", c.chip}, {"tile_x", c.tile_x}, {"tile_y", c.tile_y}});
    j["mesh"]["placement"] = "fan-out counts (spike rate 1 per compartment)";
    j["mesh"]["calibrated_placement"] = {
        {"hops_per_step_as_run", hops_now}, {"hops_per_step_if_placed_from_measured_traffic", hops_measured},
        {"positions", positions},
        {"note", "this run's measured messages per core pair, placed again with the same RCM + swap search"}};
  }
  json pairs = json::array();
  for (std::size_t a = 0; a < nc; ++a)
    for (std::size_t b = 0; b < nc; ++b) {
      const std::int64_t m = total_.pair_messages.empty() ? 0 : total_.pair_messages[a * nc + b];
      if (m == 0) continue;
      pairs.push_back({{"from", a}, {"to", b}, {"hops", mapping_.hops(static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b))},
                       {"messages_per_step", static_cast<double>(m) / steps}});
    }
  j["traffic"] = {{"trials", trials_}, {"chip_steps", total_.steps},
                  {"messages_per_step", static_cast<double>(total_.messages) / steps},
                  {"in_tile_messages_per_step", static_cast<double>(total_.messages_in_tile) / steps},
                  {"hops_east_west_per_step", static_cast<double>(total_.hops_ew) / steps},
                  {"hops_north_south_per_step", static_cast<double>(total_.hops_ns) / steps},
                  {"chip_crossings_per_step", static_cast<double>(total_.chip_crossings) / steps},
                  {"host_messages_per_step", static_cast<double>(total_.host_messages) / steps},
                  {"pairs", pairs}};
  const json parts = {
      {"synops", static_cast<double>(total_.synops) * chip_.synop_pj},
      {"updates_active", static_cast<double>(total_.updates_active) * chip_.neuron_update_active_pj},
      {"updates_inactive", static_cast<double>(total_.updates_inactive) * chip_.neuron_update_inactive_pj},
      {"messages_in_tile", static_cast<double>(total_.messages_in_tile) * chip_.spike_in_tile_pj},
      {"hops_east_west", static_cast<double>(total_.hops_ew) * chip_.hop_ew_pj},
      {"hops_north_south", static_cast<double>(total_.hops_ns) * chip_.hop_ns_pj},
      {"host_macs", static_cast<double>(total_.host_macs) * chip_.host_mac_pj}};
  double energy_pj = 0;
  json per_image = json::object();
  for (const auto& [k, v] : parts.items()) {
    energy_pj += v.get<double>();
    per_image[k] = v.get<double>() / trials * 1e-6;  // uJ
  }
  j["energy"] = {{"per_image_uj", energy_pj / trials * 1e-6}, {"per_step_nj", energy_pj / steps * 1e-3},
                 {"per_image_breakdown_uj", per_image},
                 {"counts_per_image", {{"synops", static_cast<double>(total_.synops) / trials},
                                       {"updates_active", static_cast<double>(total_.updates_active) / trials},
                                       {"updates_inactive", static_cast<double>(total_.updates_inactive) / trials},
                                       {"messages", static_cast<double>(total_.messages) / trials},
                                       {"host_macs", static_cast<double>(total_.host_macs) / trials}}}};
  const double mean_ns = static_cast<double>(total_.latency_ps) / steps * 1e-3;
  const double max_ns = static_cast<double>(total_.latency_max_ps) * 1e-3;
  j["latency"] = {{"per_step_ns_mean", mean_ns}, {"per_step_ns_max", max_ns},
                  {"max_steps_per_second", max_ns > 0 ? 1e9 / max_ns : 0.0},
                  {"input_rate_hz", input_rate_},
                  {"speed_needed_vs_nominal", input_rate_ * max_ns * 1e-9},
                  {"per_image_us", mean_ns * static_cast<double>(program_.ticks()) * 1e-3},
                  {"note", "per step: max over cores of synop and update time + longest message + barrier; nominal = the chip "
                           "file's per-op timings; speed_needed_vs_nominal <= 1 keeps up with input_rate_hz"}};

  // Float agreement per layer.
  json agree = json::array();
  for (std::size_t g = 0; g < agreement_.size(); ++g) {
    const AgreementSums& a = agreement_[g];
    if (a.images == 0) continue;
    agree.push_back({{"layer", program_.groups[g].name}, {"images", a.images},
                     {"spike_count_correlation", a.correlation()},
                     {"first_divergence_step_mean", static_cast<double>(a.divergence_sum) / static_cast<double>(a.images)},
                     {"identical_images", a.identical},
                     {"float_spikes_per_image", static_cast<double>(a.float_spikes) / static_cast<double>(a.images)},
                     {"chip_spikes_per_image", static_cast<double>(a.chip_spikes) / static_cast<double>(a.images)}});
  }
  j["agreement"] = agree;
  j["summary_lines"] = summary_lines(j);
  return j;
}

}  // namespace

sim::Support LoihiBackend::supports(const sim::Network& net) const {
  try {
    (void)lower(net, "loihi");
  } catch (const Error& e) {
    return {false, e.what()};
  }
  return {};
}

std::unique_ptr<sim::CompiledNetwork> LoihiBackend::compile(const sim::Network& net,
                                                            const sim::BackendOptions& options) const {
  ChipSpec chip = load_chip(setting(options, "chip", "loihi2"), default_chip_dir());
  const std::int64_t chips = positive_setting(options, "chips", 1, "--chips");
  QuantizeOptions q;
  q.target_vth = positive_setting(options, "target_vth", q.target_vth, "target_vth");
  const bool agreement = setting(options, "agreement", "1") != "0";
  const double rate = static_cast<double>(positive_setting(options, "input_rate_hz", 1000, "input_rate_hz"));
  return std::make_unique<LoihiCompiled>(net, std::move(chip), chips, q, agreement, rate);
}

}  // namespace snnsim::hw_backends
