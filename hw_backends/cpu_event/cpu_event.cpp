// SPDX-License-Identifier: MIT
#include "hw_backends/cpu_event/cpu_event.hpp"

#include <algorithm>
#include <charconv>

#include "hw_backends/common/tick_engine.hpp"
#include "hw_backends/cpu_event/fan_out.hpp"

namespace snnsim::hw_backends {

namespace {

/// The rows waiting to be added into one port buffer (see fan_out.hpp): delivery lists biases,
/// residual streams and each tap's fan-out rows here, and they are added in one pass when the
/// port is done or before any contribution that is not a row (scatters of spiking identities and
/// sparse projections), so every target element still receives its terms in delivery order.
template <class Real>
struct RowBatch {
  sim::Isa isa = sim::best_isa();  // chosen once, not per call
  Real* buf = nullptr;
  std::size_t n = 0;
  std::vector<RowSegment<Real>> segments;

  void add(Real* target, std::size_t size, RowSegment<Real> segment) {
    if (target != buf) flush();
    buf = target;
    n = size;
    segments.push_back(segment);
  }
  void add_row(Real* target, std::size_t size, const Real* row) { add(target, size, {row, 0, kFirstRow, 1}); }
  void flush() {
    if (!segments.empty()) accumulate_segments(isa, buf, segments.data(), segments.size(), n);
    segments.clear();
    buf = nullptr;
  }
};

template <class Real>
struct EventDelivery {
  using Plan = ProjectionPlan<Real>;
  using Scratch = RowBatch<Real>;

  static void deliver(const Plan& p, const PopulationPlan& src, const History<Real>& h, sim::TimeStep t,
                      sim::TimeStep steps, std::span<Real> buf, sim::OpCounts* c, Scratch& batch) {
    switch (p.kind) {
      case Plan::Kind::Conv: return conv(p, src, h, t, steps, buf.data(), c, batch);
      case Plan::Kind::Identity: return identity(src, h, t, buf.data(), c, batch);
      case Plan::Kind::Sparse: batch.flush(); return sparse(p, h, t, buf.data(), c);
    }
  }

  /// Adds what is still listed for the port.
  static void finish(Scratch& batch) { batch.flush(); }

  static void conv(const Plan& p, const PopulationPlan& src, const History<Real>& h, sim::TimeStep t,
                   sim::TimeStep steps, Real* buf, sim::OpCounts* c, Scratch& batch) {
    if (!p.bias.empty()) {
      batch.add_row(buf, p.out, p.bias.data());
      if (c) c->adds += static_cast<std::int64_t>(p.out);
      if (c) c->executed_ops += static_cast<std::int64_t>(p.out);
    }
    // Taps whose source step lies inside the trial (the rest read zero padding).
    const sim::TimeStep first_step = t + p.first_offset;
    const auto k_begin = static_cast<std::size_t>(std::max<sim::TimeStep>(0, -first_step));
    const auto k_end = static_cast<std::size_t>(
        std::clamp<sim::TimeStep>(steps - first_step, 0, static_cast<sim::TimeStep>(p.kernel)));
    std::size_t events_delivered = 0;
    for (std::size_t k = k_begin; k < k_end; ++k) {
      const sim::TimeStep s = first_step + static_cast<sim::TimeStep>(k);
      const std::span<const std::uint32_t> events = h.events_at(s);
      if (events.empty()) continue;
      events_delivered += events.size();
      // Row of event i at tap k: weight[(i * kernel + k) * out].
      const Real* x = src.graded ? h.values_at(s).data() : nullptr;  // graded events scale their rows
      batch.add(buf, p.out, {p.row(0, k), p.kernel * p.out, events.data(), events.size(), x});
    }
    if (c && k_begin < k_end) {
      const auto touched = static_cast<std::int64_t>(events_delivered * p.out);
      (src.graded ? c->macs : c->acs) += touched;
      c->executed_ops += touched;
      // What a dense engine does, events or not.
      c->dense_ops += static_cast<std::int64_t>((k_end - k_begin) * p.in * p.out);
    }
  }

  static void identity(const PopulationPlan& src, const History<Real>& h, sim::TimeStep t, Real* buf,
                       sim::OpCounts* c, Scratch& batch) {
    if (src.graded) {
      batch.add_row(buf, src.size, h.values_at(t).data());
      if (c) c->adds += static_cast<std::int64_t>(src.size);
      if (c) c->executed_ops += static_cast<std::int64_t>(src.size);
    } else {
      batch.flush();
      const std::span<const std::uint32_t> events = h.events_at(t);
      for (std::uint32_t i : events) buf[i] += Real(1);
      if (c) c->adds += static_cast<std::int64_t>(events.size());
      if (c) c->executed_ops += static_cast<std::int64_t>(events.size());
    }
    if (c) c->dense_ops += static_cast<std::int64_t>(src.size);
  }

  static void sparse(const Plan& p, const History<Real>& h, sim::TimeStep t, Real* buf, sim::OpCounts* c) {
    const sim::TimeStep s = t - p.delay;
    if (s < 0) return;
    std::int64_t touched = 0;
    for (std::uint32_t i : h.events_at(s)) {
      const std::uint32_t begin = p.row_start[i], end = p.row_start[i + 1];
      add_synapse_row(buf, p.syn_target.data(), p.syn_weight.data(), p.uniform_weight, begin, end);
      touched += end - begin;
    }
    if (c) {
      c->acs += touched;
      c->executed_ops += touched;
      c->dense_ops += static_cast<std::int64_t>(p.syn_target.size());
    }
  }
};

}  // namespace

sim::Support CpuEventBackend::supports(const sim::Network&) const { return {}; }

namespace {

/// The "threads" setting: threads inside one trial (default 1; trials are parallel in run_trials).
int threads_per_trial(const sim::BackendOptions& options) {
  const auto it = options.settings.find("threads");
  if (it == options.settings.end()) return 1;
  int n = 0;
  const auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), n);
  if (ec != std::errc() || end != it->second.data() + it->second.size() || n < 1 || n > 1024)
    throw Error("cpu_event", "threads", "a thread count in [1, 1024]", "'" + it->second + "'");
  return n;
}

}  // namespace

std::unique_ptr<sim::CompiledNetwork> CpuEventBackend::compile(const sim::Network& net,
                                                               const sim::BackendOptions& options) const {
  const int threads = threads_per_trial(options);
  if (net.precision() == sim::Precision::F32)
    return std::make_unique<TickEngine<float, EventDelivery<float>>>(net, std::string(name()), threads);
  return std::make_unique<TickEngine<double, EventDelivery<double>>>(net, std::string(name()), threads);
}

}  // namespace snnsim::hw_backends
