// SPDX-License-Identifier: MIT
#include "sim/report/run_report.hpp"

#include <chrono>
#include <ctime>

#include <fmt/format.h>

#include "sim/atomic_file.hpp"
#include "sim/error.hpp"

namespace snnsim::report {

namespace {

using nlohmann::json;
using sim::OpCounts;
using sim::PopulationId;
using sim::TimeStep;

bool is_spiking(const sim::Population& p) { return p.kind == sim::PopulationKind::Spiking; }

const char* connectivity_kind(const sim::Connectivity& c) {
  if (std::holds_alternative<sim::Conv1d>(c)) return "conv1d";
  if (std::holds_alternative<sim::Identity>(c)) return "identity";
  return "sparse";
}

double ratio(double num, double den) { return den > 0 ? num / den : 0.0; }

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

json counts_json(const OpCounts& c) {
  return {{"spikes", c.spikes},           {"neuron_updates", c.neuron_updates}, {"state_updates", c.state_updates},
          {"acs", c.acs},                 {"macs", c.macs},                     {"synops", c.synops()},
          {"adds", c.adds},               {"dense_ops", c.dense_ops},           {"executed_ops", c.executed_ops}};
}

json per_image_json(const OpCounts& c, double images) {
  const json counts = counts_json(c);
  json j = json::object();
  for (const auto& [key, value] : counts.items()) j[key] = ratio(value.get<double>(), images);
  return j;
}

json energy_json(const sim::Energy& e, double images) {
  return {{"ac", ratio(e.ac, images)},
          {"mac", ratio(e.mac, images)},
          {"add", ratio(e.add, images)},
          {"neuron_update", ratio(e.neuron_update, images)},
          {"spike", ratio(e.spike, images)},
          {"total", ratio(e.total(), images)}};
}

json table_json(const sim::EnergyTable& t) {
  return {{"name", t.name},
          {"description", t.description},
          {"source", t.source},
          {"file", t.file},
          {"pj", {{"ac", t.ac_pj}, {"mac", t.mac_pj}, {"add", t.add_pj}, {"neuron_update", t.neuron_update_pj},
                  {"spike", t.spike_pj}}}};
}

/// The dense-equivalent work split by what a dense ANN would do with it: weighted projections
/// are MACs, identity projections and biases are adds.
struct DenseSplit {
  std::int64_t synops = 0, adds = 0;
};

DenseSplit dense_split(const sim::Projection& p, const OpCounts& c) {
  if (std::holds_alternative<sim::Identity>(p.connectivity)) return {0, c.dense_ops};
  return {c.dense_ops, c.adds};
}

/// Everything the run attributes to one population (see the header).
struct LayerTotals {
  OpCounts counts;  ///< own spikes/updates + outgoing projections' operations
  DenseSplit dense;
};

std::vector<LayerTotals> layer_totals(const sim::Network& net, const sim::OpCounters& c) {
  std::vector<LayerTotals> layers(net.population_count());
  for (PopulationId p = 0; p < net.population_count(); ++p) layers[p].counts = c.population_total(p);
  for (const sim::EdgeRef& e : net.projections()) {
    const OpCounts t = c.projection_total(e.projection->index);
    LayerTotals& l = layers[e.source];
    l.counts.acs += t.acs;
    l.counts.macs += t.macs;
    l.counts.adds += t.adds;
    l.counts.dense_ops += t.dense_ops;
    l.counts.executed_ops += t.executed_ops;
    const DenseSplit d = dense_split(*e.projection, t);
    l.dense.synops += d.synops;
    l.dense.adds += d.adds;
  }
  return layers;
}

json model_json(const sim::Network& net) {
  json pops = json::array();
  for (PopulationId p = 0; p < net.population_count(); ++p) {
    const sim::Population& pop = net.population(p);
    pops.push_back({{"name", pop.name},
                    {"layer", pop.layer},
                    {"kind", sim::to_string(pop.kind)},
                    {"size", pop.size},
                    {"neuron_model", pop.neuron_model},
                    {"graded", pop.graded}});
  }
  json projs = json::array();
  for (const sim::EdgeRef& e : net.projections()) {
    const sim::Projection& p = *e.projection;
    json j = {{"name", p.name},
              {"index", p.index},
              {"source", net.population(e.source).name},
              {"target", net.population(e.target).name},
              {"kind", connectivity_kind(p.connectivity)},
              {"port", p.port}};
    if (const auto* c = std::get_if<sim::Conv1d>(&p.connectivity)) {
      j["shape"] = {c->out, c->in, c->kernel};
      j["first_offset"] = c->first_offset;
      j["bias"] = !c->bias.empty();
      j["weights"] = c->weight.size();
    } else if (const auto* s = std::get_if<sim::Sparse>(&p.connectivity)) {
      j["synapses"] = s->weight.size();
      j["delay"] = s->delay;
    } else {
      j["shape"] = {net.population(e.source).size};
    }
    projs.push_back(std::move(j));
  }
  return {{"name", net.name()},
          {"steps", net.steps()},
          {"neurons", net.neuron_count()},
          {"populations", std::move(pops)},
          {"projections", std::move(projs)}};
}

json populations_json(const ReportInputs& in, const std::vector<LayerTotals>& layers) {
  const sim::Network& net = in.net;
  const sim::OpCounters& c = in.totals.counters;
  const double images = static_cast<double>(in.totals.trials);
  const TimeStep steps = net.steps();
  const std::vector<std::int64_t> silent = in.collector.silent_neurons();
  const std::vector<std::int64_t> silent_trials = in.collector.silent_neuron_trials();
  json out = json::array();
  for (PopulationId p = 0; p < net.population_count(); ++p) {
    const sim::Population& pop = net.population(p);
    const double possible = images * static_cast<double>(pop.size) * static_cast<double>(steps);
    json per_step = {{"spikes", json::array()}, {"firing_rate", json::array()},
                     {"neuron_updates", json::array()}, {"state_updates", json::array()}};
    for (TimeStep t = 0; t < steps; ++t) {
      const OpCounts& s = c.population(p, t);
      per_step["spikes"].push_back(s.spikes);
      per_step["firing_rate"].push_back(ratio(static_cast<double>(s.spikes), images * static_cast<double>(pop.size)));
      per_step["neuron_updates"].push_back(s.neuron_updates);
      per_step["state_updates"].push_back(s.state_updates);
    }
    const LayerTotals& l = layers[p];
    json j = {{"name", pop.name},
              {"layer", pop.layer},
              {"kind", sim::to_string(pop.kind)},
              {"size", pop.size},
              {"totals", counts_json(l.counts)},
              {"per_image", per_image_json(l.counts, images)},
              {"dense_synops", l.dense.synops},
              {"dense_adds", l.dense.adds},
              {"per_step", std::move(per_step)}};
    if (is_spiking(pop)) {
      const double rate = ratio(static_cast<double>(l.counts.spikes), possible);
      j["firing_rate"] = rate;
      j["activation_sparsity"] = 1.0 - rate;
      j["silent_neurons"] = silent[p];
      j["silent_fraction"] = ratio(static_cast<double>(silent[p]), static_cast<double>(pop.size));
      j["silent_fraction_per_image"] = ratio(static_cast<double>(silent_trials[p]), images * static_cast<double>(pop.size));
    }
    out.push_back(std::move(j));
  }
  return out;
}

json projections_json(const ReportInputs& in) {
  const sim::Network& net = in.net;
  const sim::OpCounters& c = in.totals.counters;
  const double images = static_cast<double>(in.totals.trials);
  json out = json::array();
  for (const sim::EdgeRef& e : net.projections()) {
    const std::size_t index = e.projection->index;
    json per_step = {{"acs", json::array()}, {"macs", json::array()}, {"adds", json::array()},
                     {"dense_ops", json::array()}, {"executed_ops", json::array()}};
    for (TimeStep t = 0; t < net.steps(); ++t) {
      const OpCounts& s = c.projection(index, t);
      per_step["acs"].push_back(s.acs);
      per_step["macs"].push_back(s.macs);
      per_step["adds"].push_back(s.adds);
      per_step["dense_ops"].push_back(s.dense_ops);
      per_step["executed_ops"].push_back(s.executed_ops);
    }
    const OpCounts total = c.projection_total(index);
    const DenseSplit d = dense_split(*e.projection, total);
    json totals = counts_json(total);
    totals.erase("spikes");
    totals.erase("neuron_updates");
    totals.erase("state_updates");
    json per_image = per_image_json(total, images);
    per_image.erase("spikes");
    per_image.erase("neuron_updates");
    per_image.erase("state_updates");
    out.push_back({{"name", e.projection->name},
                   {"source", net.population(e.source).name},
                   {"target", net.population(e.target).name},
                   {"kind", connectivity_kind(e.projection->connectivity)},
                   {"totals", std::move(totals)},
                   {"per_image", std::move(per_image)},
                   {"dense_synops", d.synops},
                   {"dense_adds", d.adds},
                   {"effective_fraction", ratio(static_cast<double>(total.synops()), static_cast<double>(d.synops))},
                   {"per_step", std::move(per_step)}});
  }
  return out;
}

/// Network-wide figures and the per-step sparsity over all spiking neurons.
json summary_json(const ReportInputs& in, const std::vector<LayerTotals>& layers) {
  const sim::Network& net = in.net;
  const double images = static_cast<double>(in.totals.trials);
  OpCounts all;
  DenseSplit dense;
  std::int64_t neurons = 0, silent = 0, silent_trials = 0;
  const std::vector<std::int64_t> silent_run = in.collector.silent_neurons();
  const std::vector<std::int64_t> silent_each = in.collector.silent_neuron_trials();
  for (PopulationId p = 0; p < net.population_count(); ++p) {
    all += layers[p].counts;
    dense.synops += layers[p].dense.synops;
    dense.adds += layers[p].dense.adds;
    if (!is_spiking(net.population(p))) continue;
    neurons += static_cast<std::int64_t>(net.population(p).size);
    silent += silent_run[p];
    silent_trials += silent_each[p];
  }
  const double possible = images * static_cast<double>(neurons) * static_cast<double>(net.steps());
  json rate = json::array(), sparsity = json::array(), synops = json::array(), dense_step = json::array();
  for (TimeStep t = 0; t < net.steps(); ++t) {
    std::int64_t spikes = 0, syn = 0, dense_ops = 0;
    for (PopulationId p = 0; p < net.population_count(); ++p)
      if (is_spiking(net.population(p))) spikes += in.totals.counters.population(p, t).spikes;
    for (std::size_t j = 0; j < net.projection_count(); ++j) {
      syn += in.totals.counters.projection(j, t).synops();
      dense_ops += in.totals.counters.projection(j, t).dense_ops;
    }
    const double r = ratio(static_cast<double>(spikes), images * static_cast<double>(neurons));
    rate.push_back(r);
    sparsity.push_back(1.0 - r);
    synops.push_back(syn);
    dense_step.push_back(dense_ops);
  }
  json totals = counts_json(all);
  totals["dense_synops"] = dense.synops;
  totals["dense_adds"] = dense.adds;
  json per_image = per_image_json(all, images);
  per_image["dense_synops"] = ratio(static_cast<double>(dense.synops), images);
  per_image["dense_adds"] = ratio(static_cast<double>(dense.adds), images);
  const double firing = ratio(static_cast<double>(all.spikes), possible);
  return {{"totals", std::move(totals)},
          {"per_image", std::move(per_image)},
          {"spiking_neurons", neurons},
          {"effective_fraction", ratio(static_cast<double>(all.synops()), static_cast<double>(dense.synops))},
          {"firing_rate", firing},
          {"activation_sparsity", 1.0 - firing},
          {"silent_neurons", silent},
          {"silent_fraction", ratio(static_cast<double>(silent), static_cast<double>(neurons))},
          {"silent_fraction_per_image", ratio(static_cast<double>(silent_trials), images * static_cast<double>(neurons))},
          {"per_step", {{"firing_rate", std::move(rate)}, {"activation_sparsity", std::move(sparsity)},
                        {"synops", std::move(synops)}, {"dense_ops", std::move(dense_step)}}}};
}

json energies_json(const ReportInputs& in, const std::vector<LayerTotals>& layers) {
  const double images = static_cast<double>(in.totals.trials);
  json out = json::array();
  for (const sim::EnergyTable& table : in.tables) {
    sim::Energy total;
    double dense = 0;
    json per_layer = json::array();
    for (PopulationId p = 0; p < in.net.population_count(); ++p) {
      const sim::Energy e = sim::energy_of(layers[p].counts, table);
      const double d = sim::dense_ann_energy(static_cast<double>(layers[p].dense.synops),
                                             static_cast<double>(layers[p].dense.adds), table);
      total.ac += e.ac;
      total.mac += e.mac;
      total.add += e.add;
      total.neuron_update += e.neuron_update;
      total.spike += e.spike;
      dense += d;
      json j = energy_json(e, images);
      j["population"] = in.net.population(p).name;
      j["dense_ann"] = ratio(d, images);
      per_layer.push_back(std::move(j));
    }
    out.push_back({{"table", table_json(table)},
                   {"per_image_pj", energy_json(total, images)},
                   {"dense_ann_per_image_pj", ratio(dense, images)},
                   {"dense_ann_over_snn", ratio(dense, total.total())},
                   {"per_layer_pj", std::move(per_layer)}});
  }
  return out;
}

json rasters_json(const RunCollector& c) {
  const sim::Network& net = c.network();
  json out = json::array();
  for (const RunCollector::Raster& r : c.rasters()) {
    json layers = json::object();
    for (PopulationId p = 0; p < net.population_count(); ++p) {
      if (!is_spiking(net.population(p))) continue;
      json spikes = json::array();
      for (const sim::SpikeEvent& e : r.spikes[p]) spikes.push_back({e.step, e.neuron});
      layers[net.population(p).name] = {{"size", net.population(p).size}, {"spikes", std::move(spikes)}};
    }
    out.push_back({{"image", r.image}, {"layers", std::move(layers)}});
  }
  return out;
}

json images_json(const RunCollector& c) {
  const sim::Network& net = c.network();
  json out = json::array();
  for (std::size_t i = 0; i < c.images().size(); ++i) {
    const RunCollector::ImageCounts& im = c.images()[i];
    json spikes = json::object(), silent = json::object();
    for (PopulationId p = 0; p < net.population_count(); ++p) {
      if (!is_spiking(net.population(p))) continue;
      spikes[net.population(p).name] = im.spikes[p];
      silent[net.population(p).name] = im.silent_neurons[p];
    }
    out.push_back({{"index", i}, {"ops", counts_json(im.ops)}, {"spikes", std::move(spikes)},
                   {"silent_neurons", std::move(silent)}});
  }
  return out;
}

}  // namespace

RunCollector::RunCollector(const sim::Network& net, std::size_t trials, CollectOptions options)
    : net_(&net), trials_(trials), options_(options) {
  neuron_offset_.assign(net.population_count() + 1, 0);
  for (PopulationId p = 0; p < net.population_count(); ++p)
    neuron_offset_[p + 1] = neuron_offset_[p] + (is_spiking(net.population(p)) ? net.population(p).size : 0);
  fired_ = std::make_unique<std::atomic<std::int64_t>[]>(neuron_offset_.back());
  silent_trials_ = std::make_unique<std::atomic<std::int64_t>[]>(net.population_count());
  if (options_.per_image) images_.resize(trials);
  rasters_.resize(std::min(options_.raster_images, trials));
}

void RunCollector::add_trial(std::size_t trial, const sim::TrialRecord& record) {
  const sim::Network& net = *net_;
  ImageCounts* image = options_.per_image ? &images_[trial] : nullptr;
  if (image) {
    image->spikes.assign(net.population_count(), 0);
    image->silent_neurons.assign(net.population_count(), 0);
    image->ops = record.counters.total();
  }
  for (PopulationId p = 0; p < net.population_count(); ++p) {
    if (!is_spiking(net.population(p))) continue;
    // Spikes per neuron of this trial, then the neurons that stayed silent.
    const std::vector<std::int32_t>& own = record.neuron_spikes.at(p);
    std::int64_t silent = 0;
    for (std::size_t n = 0; n < own.size(); ++n) {
      silent += own[n] == 0;
      // A flag, set once: a locked add per firing neuron and image cost about 4 % of a run.
      std::atomic<std::int64_t>& fired = fired_[neuron_offset_[p] + n];
      if (own[n] && fired.load(std::memory_order_relaxed) == 0) fired.store(1, std::memory_order_relaxed);
    }
    silent_trials_[p].fetch_add(silent, std::memory_order_relaxed);
    if (image) {
      image->spikes[p] = record.total_spikes(p);
      image->silent_neurons[p] = silent;
    }
  }
  if (trial < rasters_.size()) rasters_[trial] = {trial, record.raster};
}

void RunCollector::reduce_to_root(const sim::Communicator& comm) {
  if (!comm.uses_mpi()) return;
  const std::size_t npop = net_->population_count();
  // Integers: a trial not added here contributes zeros, so the sum is its owner's values.
  std::vector<std::int64_t> sums;
  for (std::size_t n = 0; n < neuron_offset_.back(); ++n) sums.push_back(fired_[n].load());
  for (std::size_t p = 0; p < npop; ++p) sums.push_back(silent_trials_[p].load());
  for (const ImageCounts& im : images_) {
    const bool added = !im.spikes.empty();
    for (std::size_t p = 0; p < npop; ++p) sums.push_back(added ? im.spikes[p] : 0);
    for (std::size_t p = 0; p < npop; ++p) sums.push_back(added ? im.silent_neurons[p] : 0);
    im.ops.append_flat(sums);
  }
  comm.reduce_sum(sums);
  // Rasters of the first images: (image, then per population the count and (step, neuron) pairs).
  std::vector<std::int64_t> mine;
  for (const Raster& r : rasters_) {
    if (r.spikes.empty()) continue;  // not one of this rank's trials
    mine.push_back(static_cast<std::int64_t>(r.image));
    for (const auto& events : r.spikes) {
      mine.push_back(static_cast<std::int64_t>(events.size()));
      for (const sim::SpikeEvent& e : events) {
        mine.push_back(e.step);
        mine.push_back(e.neuron);
      }
    }
  }
  const std::vector<std::vector<std::int64_t>> rasters = comm.gather(mine);
  if (!comm.root()) return;
  std::size_t at = 0;
  for (std::size_t n = 0; n < neuron_offset_.back(); ++n) fired_[n].store(sums[at++]);
  for (std::size_t p = 0; p < npop; ++p) silent_trials_[p].store(sums[at++]);
  for (ImageCounts& im : images_) {
    im.spikes.assign(sums.begin() + static_cast<std::ptrdiff_t>(at), sums.begin() + static_cast<std::ptrdiff_t>(at + npop));
    im.silent_neurons.assign(sums.begin() + static_cast<std::ptrdiff_t>(at + npop),
                             sums.begin() + static_cast<std::ptrdiff_t>(at + 2 * npop));
    at += 2 * npop;
    at += im.ops.read_flat(std::span<const std::int64_t>(sums).subspan(at));
  }
  for (const std::vector<std::int64_t>& part : rasters)
    for (std::size_t k = 0; k < part.size();) {
      Raster& r = rasters_[static_cast<std::size_t>(part[k++])];
      r.image = static_cast<std::size_t>(part[k - 1]);
      r.spikes.assign(npop, {});
      for (std::size_t p = 0; p < npop; ++p) {
        const auto n = static_cast<std::size_t>(part[k++]);
        for (std::size_t e = 0; e < n; ++e, k += 2)
          r.spikes[p].push_back({part[k], static_cast<std::uint32_t>(part[k + 1])});
      }
    }
}

std::vector<std::int64_t> RunCollector::silent_neurons() const {
  std::vector<std::int64_t> out(net_->population_count(), 0);
  for (PopulationId p = 0; p < out.size(); ++p)
    for (std::size_t n = neuron_offset_[p]; n < neuron_offset_[p + 1]; ++n) out[p] += fired_[n].load() == 0;
  return out;
}

std::vector<std::int64_t> RunCollector::silent_neuron_trials() const {
  std::vector<std::int64_t> out(net_->population_count(), 0);
  for (PopulationId p = 0; p < out.size(); ++p) out[p] = silent_trials_[p].load();
  return out;
}

json build_run_report(const ReportInputs& in) {
  const std::vector<LayerTotals> layers = layer_totals(in.net, in.totals.counters);
  const Provenance& pv = in.provenance;
  json j;
  j["format"] = kRunFormat;
  j["provenance"] = {{"snnsim_version", pv.snnsim_version},
                     {"backend", pv.backend},
                     {"backend_details", pv.backend_details},
                     {"threads", pv.threads},
                     {"model", {{"path", pv.model.string()}, {"sha256", pv.model_sha256}}},
                     {"data", pv.data},
                     {"command", pv.command},
                     {"created_utc", utc_now()}};
  j["model"] = model_json(in.net);
  j["images"] = in.totals.trials;
  j["steps"] = in.net.steps();
  j["summary"] = summary_json(in, layers);
  j["populations"] = populations_json(in, layers);
  j["projections"] = projections_json(in);
  j["energy"] = energies_json(in, layers);
  j["rasters"] = rasters_json(in.collector);
  if (in.collector.options().per_image) j["per_image"] = images_json(in.collector);
  return j;
}

void write_run_json(const std::filesystem::path& path, const nlohmann::json& report) {
  write_file_atomic(path, report.dump(1) + "\n");
}

}  // namespace snnsim::report
