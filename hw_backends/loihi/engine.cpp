// SPDX-License-Identifier: MIT
#include "hw_backends/loihi/engine.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "hw_backends/loihi/synapse_format.hpp"

namespace snnsim::hw_backends::loihi {

namespace {

std::int64_t ps(double ns) { return std::llround(ns * 1000.0); }

void add_vec(std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b) {
  if (a.size() < b.size()) a.resize(b.size(), 0);
  for (std::size_t i = 0; i < b.size(); ++i) a[i] += b[i];
}

}  // namespace

void Activity::reset(std::size_t cores) {
  *this = Activity{};
  pair_messages.assign(cores * cores, 0);
  core_synops.assign(cores, 0);
  core_updates_active.assign(cores, 0);
  core_updates_inactive.assign(cores, 0);
}

Activity& Activity::operator+=(const Activity& o) {
  add_vec(pair_messages, o.pair_messages);
  add_vec(core_synops, o.core_synops);
  add_vec(core_updates_active, o.core_updates_active);
  add_vec(core_updates_inactive, o.core_updates_inactive);
  synops += o.synops;
  updates_active += o.updates_active;
  updates_inactive += o.updates_inactive;
  messages += o.messages;
  messages_in_tile += o.messages_in_tile;
  hops_ew += o.hops_ew;
  hops_ns += o.hops_ns;
  chip_crossings += o.chip_crossings;
  host_messages += o.host_messages;
  host_macs += o.host_macs;
  steps += o.steps;
  latency_ps += o.latency_ps;
  latency_max_ps = std::max(latency_max_ps, o.latency_max_ps);
  return *this;
}

EngineCosts EngineCosts::from(const ChipSpec& chip, const Mapping& m) {
  EngineCosts c;
  c.synop_ps = ps(chip.synop_ns);
  c.update_active_ps = ps(chip.neuron_update_active_ns);
  c.update_inactive_ps = ps(chip.neuron_update_inactive_ns);
  c.in_tile_ps = ps(chip.spike_in_tile_ns);
  c.hop_ew_ps = ps(chip.hop_ew_ns);
  c.hop_ns_ps = ps(chip.hop_ns_ns);
  std::set<std::pair<std::int64_t, std::int64_t>> tiles;
  for (const Core& core : m.cores) tiles.insert({core.tile_x, core.tile_y});
  c.barrier_ps.assign(tiles.size() + 1, 0);
  for (std::size_t t = 1; t <= tiles.size(); ++t) c.barrier_ps[t] = ps(chip.barrier_ns(static_cast<std::int64_t>(t)));
  c.graded_on_chip = chip.graded_spikes;
  return c;
}

EventEngine::EventEngine(const Program& p, const Mapping& m, EngineCosts costs)
    : p_(&p), m_(&m), costs_(std::move(costs)), slots_(static_cast<std::size_t>(p.max_delay) + 1) {
  outgoing_.resize(p.groups.size());
  input_outgoing_.resize(p.inputs.size());
  target_cores_.resize(p.synapses.size());
  for (std::size_t s = 0; s < p.synapses.size(); ++s) {
    const SynapseGroup& sg = p.synapses[s];
    (sg.source.kind == SourceKind::Compartments ? outgoing_ : input_outgoing_)[sg.source.index].push_back(s);
    for (std::uint32_t c = 0; c < m.cores.size(); ++c)
      if (m.cores[c].group == sg.target) target_cores_[s].push_back({c, static_cast<std::int64_t>(m.cores[c].count)});
  }
  std::set<std::pair<std::int64_t, std::int64_t>> tiles;
  for (const Core& core : m.cores) tiles.insert({core.tile_x, core.tile_y});
  tile_count_.assign(1, static_cast<std::int64_t>(tiles.size()));
}

std::unique_ptr<EventEngine::Workspace> EventEngine::make_workspace() const {
  auto ws = std::make_unique<Workspace>();
  ws->u.resize(p_->groups.size());
  ws->v.resize(p_->groups.size());
  for (std::size_t g = 0; g < p_->groups.size(); ++g) {
    ws->u[g].assign(p_->groups[g].size, 0);
    ws->v[g].assign(p_->groups[g].size, 0);
  }
  ws->ring.resize(p_->synapses.size());
  for (std::size_t s = 0; s < p_->synapses.size(); ++s) ws->ring[s].assign(slots_ * p_->synapses[s].out, 0);
  ws->step_time_ps.assign(m_->cores.size(), 0);
  return ws;
}

void EventEngine::deliver(Workspace& ws, std::size_t s, std::size_t i, std::int64_t value, sim::TimeStep tau,
                          TrialOutput& out, Activity* act) const {
  const SynapseGroup& sg = p_->synapses[s];
  for (std::size_t k = 0; k < sg.delay.size(); ++k) {
    std::int64_t* acc = ws.ring[s].data() +
                        static_cast<std::size_t>((tau + sg.delay[k]) % static_cast<sim::TimeStep>(slots_)) * sg.out;
    const std::int64_t* row = sg.row(k, i);
    if (value == 1) {
      for (std::size_t o = 0; o < sg.out; ++o) acc[o] += row[o];
    } else {
      for (std::size_t o = 0; o < sg.out; ++o) acc[o] += value * row[o];
    }
  }
  if (!act) return;
  const auto taps = static_cast<std::int64_t>(sg.delay.size());
  if (sg.source.kind == SourceKind::GradedInput && !costs_.graded_on_chip) {
    act->host_macs += taps * static_cast<std::int64_t>(sg.out);
    return;
  }
  const CompartmentGroup& target = p_->groups[sg.target];
  for (std::size_t k = 0; k < sg.delay.size(); ++k) {
    const sim::TimeStep t = tau + sg.delay[k] - target.lag;
    if (t >= 0 && t < p_->steps) out.synops[sg.target][static_cast<std::size_t>(t)] += static_cast<std::int64_t>(sg.out);
  }
  for (const auto& [core, count] : target_cores_[s]) {
    act->core_synops[core] += taps * count;
    act->synops += taps * count;
    ws.step_time_ps[core] += taps * count * costs_.synop_ps;
  }
}

void EventEngine::send_messages(std::uint32_t src, const std::vector<std::uint32_t>& dest, Activity* act,
                                std::int64_t& longest_ps) const {
  const std::size_t nc = m_->cores.size();
  for (std::uint32_t d : dest) {
    act->pair_messages[src * nc + d] += 1;
    act->messages += 1;
    const std::int64_t ew = std::abs(m_->cores[src].tile_x - m_->cores[d].tile_x);
    const std::int64_t ns = std::abs(m_->cores[src].tile_y - m_->cores[d].tile_y);
    act->hops_ew += ew;
    act->hops_ns += ns;
    act->chip_crossings += m_->cores[src].chip != m_->cores[d].chip;
    if (ew + ns == 0) act->messages_in_tile += 1;
    longest_ps = std::max(longest_ps, ew + ns == 0 ? costs_.in_tile_ps : ew * costs_.hop_ew_ps + ns * costs_.hop_ns_ps);
  }
}

void EventEngine::run(Workspace& ws, const TrialInput& input, TrialOutput& out, Activity* act) const {
  const Program& p = *p_;
  for (std::size_t g = 0; g < p.groups.size(); ++g) {
    std::fill(ws.u[g].begin(), ws.u[g].end(), 0);
    std::fill(ws.v[g].begin(), ws.v[g].end(), 0);
  }
  for (auto& r : ws.ring) std::fill(r.begin(), r.end(), 0);
  for (sim::TimeStep tau = 0; tau < p.ticks(); ++tau) {
    const std::size_t slot = static_cast<std::size_t>(tau % static_cast<sim::TimeStep>(slots_));
    if (act) std::fill(ws.step_time_ps.begin(), ws.step_time_ps.end(), 0);
    std::int64_t longest_ps = 0;
    // 1. Compartment updates from this step's dendritic accumulators.
    for (std::size_t g = 0; g < p.groups.size(); ++g) {
      const CompartmentGroup& cg = p.groups[g];
      const sim::TimeStep t = tau - cg.lag;
      const bool live = t >= 0 && t < p.steps;
      for (std::size_t n = 0; n < cg.size; ++n) {
        std::int64_t activation = 0;
        for (std::size_t si : cg.synapses) {
          std::int64_t& acc = ws.ring[si][slot * p.synapses[si].out + n];
          activation += apply_weight_exp(acc, p.synapses[si].weight_exp);
          acc = 0;
        }
        std::int64_t& u = ws.u[g][n];
        std::int64_t& v = ws.v[g][n];
        const bool active = live && (activation != 0 || u != 0 || v != 0);
        if (act) {
          const std::uint32_t core = m_->core_of[g][n];
          (active ? act->core_updates_active : act->core_updates_inactive)[core] += 1;
          (active ? act->updates_active : act->updates_inactive) += 1;
          ws.step_time_ps[core] += active ? costs_.update_active_ps : costs_.update_inactive_ps;
        }
        if (!live) continue;
        const bool spike = neurons::cuba_step(cg.cuba, activation, neurons::cuba_bias(cg.bias_mant[n], cg.bias_exp[n]), u, v);
        const std::size_t at = static_cast<std::size_t>(t) * cg.size + n;
        if (spike) out.spikes[g][static_cast<std::size_t>(t)].push_back(static_cast<std::uint32_t>(n));
        if (out.trace) {
          out.u[g][at] = u;
          out.v[g][at] = v;
        }
      }
    }
    // 2. This step's spikes travel: fan-out rows into the accumulators of their arrival steps.
    for (std::size_t g = 0; g < p.groups.size(); ++g) {
      const sim::TimeStep t = tau - p.groups[g].lag;
      if (t < 0 || t >= p.steps) continue;
      for (std::uint32_t n : out.spikes[g][static_cast<std::size_t>(t)]) {
        for (std::size_t si : outgoing_[g]) deliver(ws, si, n, 1, tau, out, act);
        if (act) send_messages(m_->core_of[g][n], m_->fanout[g][n], act, longest_ps);
      }
    }
    if (tau < p.steps) {
      const auto t = static_cast<std::size_t>(tau);
      for (std::size_t i = 0; i < p.inputs.size(); ++i) {
        const ProgramInput& in = p.inputs[i];
        auto emit = [&](std::uint32_t n, std::int64_t value) {
          for (std::size_t si : input_outgoing_[i]) deliver(ws, si, n, value, tau, out, act);
          if (act) act->host_messages += static_cast<std::int64_t>(m_->input_fanout[i][n].size());
        };
        if (in.graded) {
          const std::int64_t* row = input.payload[i].data() + t * in.size;
          for (std::uint32_t n = 0; n < in.size; ++n)
            if (row[n] != 0) emit(n, row[n]);
        } else {
          for (std::uint32_t n : input.spikes[i][t]) emit(n, 1);
        }
      }
    }
    if (act) {
      const std::int64_t compute =
          ws.step_time_ps.empty() ? 0 : *std::max_element(ws.step_time_ps.begin(), ws.step_time_ps.end());
      const std::int64_t step = compute + longest_ps + costs_.barrier_ps[static_cast<std::size_t>(tile_count_[0])];
      act->latency_ps += step;
      act->latency_max_ps = std::max(act->latency_max_ps, step);
      act->steps += 1;
    }
  }
}

}  // namespace snnsim::hw_backends::loihi
