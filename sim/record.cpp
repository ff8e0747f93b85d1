// SPDX-License-Identifier: MIT
#include "sim/record.hpp"

#include <algorithm>

#include "sim/isa.hpp"

namespace snnsim::sim {

namespace {

/// Summing a trial's counters into the totals runs over every population, projection and step
/// (~70 kB for the LMUFormer) once per trial.
SNNSIM_CLONES void add_counts(OpCounts* __restrict sum, const OpCounts* __restrict x, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) sum[i] += x[i];
}

}  // namespace

void OpCounters::clear() {
  std::fill(populations_.begin(), populations_.end(), OpCounts{});
  std::fill(projections_.begin(), projections_.end(), OpCounts{});
}

OpCounters& OpCounters::operator+=(const OpCounters& o) {
  // An empty side counted nothing (e.g. a worker thread that got no trial).
  if (o.populations_.empty() && o.projections_.empty()) return *this;
  if (populations_.empty() && projections_.empty()) {
    *this = o;
    return *this;
  }
  add_counts(populations_.data(), o.populations_.data(), populations_.size());
  add_counts(projections_.data(), o.projections_.data(), projections_.size());
  return *this;
}

namespace {

/// The fields of OpCounts in one fixed order (the flat layout of append_flat / read_flat).
constexpr std::int64_t OpCounts::*kCountFields[] = {&OpCounts::spikes, &OpCounts::neuron_updates,
                                                    &OpCounts::state_updates, &OpCounts::acs, &OpCounts::macs,
                                                    &OpCounts::adds, &OpCounts::dense_ops, &OpCounts::executed_ops};
static_assert(sizeof(OpCounts) == std::size(kCountFields) * sizeof(std::int64_t),
              "a new OpCounts field must be added to kCountFields");

}  // namespace

void OpCounts::append_flat(std::vector<std::int64_t>& out) const {
  for (auto field : kCountFields) out.push_back(this->*field);
}

std::size_t OpCounts::read_flat(std::span<const std::int64_t> in) {
  std::size_t at = 0;
  for (auto field : kCountFields) this->*field = in[at++];
  return at;
}

void OpCounters::append_flat(std::vector<std::int64_t>& out) const {
  for (const auto* part : {&populations_, &projections_})
    for (const OpCounts& c : *part) c.append_flat(out);
}

std::size_t OpCounters::read_flat(std::span<const std::int64_t> in) {
  std::size_t at = 0;
  for (auto* part : {&populations_, &projections_})
    for (OpCounts& c : *part) at += c.read_flat(in.subspan(at));
  return at;
}

OpCounts OpCounters::population_total(PopulationId p) const {
  OpCounts s;
  for (TimeStep t = 0; t < static_cast<TimeStep>(steps_); ++t) s += population(p, t);
  return s;
}

OpCounts OpCounters::projection_total(std::size_t index) const {
  OpCounts s;
  for (TimeStep t = 0; t < static_cast<TimeStep>(steps_); ++t) s += projection(index, t);
  return s;
}

OpCounts OpCounters::total() const {
  OpCounts s;
  for (const auto& c : populations_) s += c;
  for (const auto& c : projections_) s += c;
  return s;
}

void TrialRecord::reset(const Network& net, const RecordOptions& options) {
  steps = net.steps();
  populations = net.population_count();
  spike_counts.assign(populations * static_cast<std::size_t>(steps), 0);
  raster.resize(options.raster ? populations : 0);
  for (auto& r : raster) r.clear();
  neuron_spikes.resize(options.neuron_counts ? populations : 0);
  for (std::size_t p = 0; p < neuron_spikes.size(); ++p) neuron_spikes[p].assign(net.population(p).size, 0);
  outputs.resize(net.outputs().size());
  for (std::size_t o = 0; o < outputs.size(); ++o)
    outputs[o].assign(net.population(net.outputs()[o].population).size * static_cast<std::size_t>(steps), 0.0);
  if (options.counters) {
    if (counters.steps() != steps || counters.population_count() != populations ||
        counters.projection_count() != net.projection_count())
      counters = OpCounters(populations, net.projection_count(), steps);
    else if (options.counters_per_trial)
      counters.clear();
  } else {
    counters = OpCounters();
  }
}

void TrialRecord::count_neuron_spikes_from_raster() {
  for (std::size_t p = 0; p < raster.size() && p < neuron_spikes.size(); ++p)
    for (const SpikeEvent& e : raster[p]) ++neuron_spikes[p][e.neuron];
}

std::int64_t TrialRecord::total_spikes(PopulationId p) const {
  std::int64_t s = 0;
  for (TimeStep t = 0; t < steps; ++t) s += spikes(p, t);
  return s;
}

}  // namespace snnsim::sim
