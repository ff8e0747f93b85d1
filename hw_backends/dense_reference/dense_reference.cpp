// SPDX-License-Identifier: MIT
#include "hw_backends/dense_reference/dense_reference.hpp"

#include <algorithm>

#include "hw_backends/common/tick_engine.hpp"

namespace snnsim::hw_backends {

namespace {

/// The source's output at step s as a dense vector (spikes become 0/1).
template <class Real>
std::span<const Real> dense_output(const PopulationPlan& src, const History<Real>& h, sim::TimeStep s,
                                   std::vector<Real>& scratch) {
  if (src.graded) return h.values_at(s);
  scratch.assign(src.size, Real(0));
  for (std::uint32_t i : h.events_at(s)) scratch[i] = Real(1);
  return scratch;
}

template <class Real>
struct DenseDelivery {
  using Plan = ProjectionPlan<Real>;
  using Scratch = std::vector<Real>;  ///< a spiking source's output as a dense 0/1 vector

  static void finish(Scratch&) {}

  static void deliver(const Plan& p, const PopulationPlan& src, const History<Real>& h, sim::TimeStep t,
                      sim::TimeStep steps, std::span<Real> buf, sim::OpCounts* c, std::vector<Real>& scratch) {
    switch (p.kind) {
      case Plan::Kind::Conv: {
        for (std::size_t o = 0; o < p.bias.size(); ++o) buf[o] += p.bias[o];
        if (c) c->adds += static_cast<std::int64_t>(p.bias.size());
        if (c) c->executed_ops += static_cast<std::int64_t>(p.bias.size());
        for (std::size_t k = 0; k < p.kernel; ++k) {
          const sim::TimeStep s = t + p.first_offset + static_cast<sim::TimeStep>(k);
          if (s < 0 || s >= steps) continue;
          const std::span<const Real> x = dense_output(src, h, s, scratch);
          std::int64_t active = 0;
          for (std::size_t i = 0; i < p.in; ++i) {
            const Real* row = p.row(i, k);
            for (std::size_t o = 0; o < p.out; ++o) buf[o] += row[o] * x[i];
            active += x[i] != Real(0);
          }
          if (c) {
            (src.graded ? c->macs : c->acs) += active * static_cast<std::int64_t>(p.out);
            c->dense_ops += static_cast<std::int64_t>(p.in * p.out);
            c->executed_ops += static_cast<std::int64_t>(p.in * p.out);
          }
        }
        return;
      }
      case Plan::Kind::Identity: {
        const std::span<const Real> x = dense_output(src, h, t, scratch);
        std::int64_t active = 0;
        for (std::size_t o = 0; o < p.out; ++o) {
          buf[o] += x[o];
          active += x[o] != Real(0);
        }
        if (c) {
          c->adds += src.graded ? static_cast<std::int64_t>(p.out) : active;
          c->dense_ops += static_cast<std::int64_t>(p.out);
          c->executed_ops += static_cast<std::int64_t>(p.out);
        }
        return;
      }
      case Plan::Kind::Sparse: {
        const sim::TimeStep s = t - p.delay;
        if (s < 0) return;
        const std::span<const Real> x = dense_output(src, h, s, scratch);
        std::int64_t touched = 0;
        for (std::size_t i = 0; i < p.in; ++i) {
          const std::uint32_t end = p.row_start[i + 1];
          // Every synapse every step; w * 0 adds an exact zero, so the sums equal the event order's.
          for (std::uint32_t j = p.row_start[i]; j < end; ++j) buf[p.syn_target[j]] += p.syn_weight[j] * x[i];
          if (x[i] != Real(0)) touched += end - p.row_start[i];
        }
        if (c) {
          c->acs += touched;
          c->dense_ops += static_cast<std::int64_t>(p.syn_target.size());
          c->executed_ops += static_cast<std::int64_t>(p.syn_target.size());
        }
        return;
      }
    }
  }
};

}  // namespace

sim::Support DenseReferenceBackend::supports(const sim::Network&) const { return {}; }

std::unique_ptr<sim::CompiledNetwork> DenseReferenceBackend::compile(const sim::Network& net,
                                                                     const sim::BackendOptions&) const {
  if (net.precision() == sim::Precision::F32)
    return std::make_unique<TickEngine<float, DenseDelivery<float>>>(net, std::string(name()));
  return std::make_unique<TickEngine<double, DenseDelivery<double>>>(net, std::string(name()));
}

}  // namespace snnsim::hw_backends
