// SPDX-License-Identifier: MIT
#include "hw_backends/loihi/reference.hpp"

#include "hw_backends/loihi/synapse_format.hpp"

namespace snnsim::hw_backends::loihi {

namespace {

/// The value a source neuron sent at chip step tau: 0/1 for spikes, the payload for graded
/// inputs, 0 outside the source's window. `fired` holds 0/1 per [group][t][n].
std::int64_t sent(const Program& p, const TrialInput& in, const std::vector<std::vector<std::uint8_t>>& fired,
                  const SourceRef& s, sim::TimeStep tau, std::size_t n) {
  if (s.kind == SourceKind::Compartments) {
    const CompartmentGroup& g = p.groups[s.index];
    const sim::TimeStep t = tau - g.lag;
    if (t < 0 || t >= p.steps) return 0;
    return fired[s.index][static_cast<std::size_t>(t) * g.size + n];
  }
  if (tau < 0 || tau >= p.steps) return 0;
  const auto t = static_cast<std::size_t>(tau);
  if (s.kind == SourceKind::GradedInput) return in.payload[s.index][t * p.inputs[s.index].size + n];
  for (std::uint32_t k : in.spikes[s.index][t])
    if (k == n) return 1;
  return 0;
}

}  // namespace

void run_reference(const Program& p, const TrialInput& in, TrialOutput& out) {
  std::vector<std::vector<std::uint8_t>> fired(p.groups.size());
  std::vector<std::vector<std::int64_t>> u(p.groups.size()), v(p.groups.size());
  for (std::size_t g = 0; g < p.groups.size(); ++g) {
    fired[g].assign(static_cast<std::size_t>(p.steps) * p.groups[g].size, 0);
    u[g].assign(p.groups[g].size, 0);
    v[g].assign(p.groups[g].size, 0);
  }
  for (sim::TimeStep tau = 0; tau < p.ticks(); ++tau) {
    for (std::size_t g = 0; g < p.groups.size(); ++g) {
      const CompartmentGroup& cg = p.groups[g];
      const sim::TimeStep t = tau - cg.lag;
      if (t < 0 || t >= p.steps) continue;
      for (std::size_t n = 0; n < cg.size; ++n) {
        std::int64_t activation = 0;
        for (std::size_t si : cg.synapses) {
          const SynapseGroup& sg = p.synapses[si];
          std::int64_t sum = 0;
          for (std::size_t k = 0; k < sg.delay.size(); ++k)
            for (std::size_t i = 0; i < sg.in; ++i)
              sum += sent(p, in, fired, sg.source, tau - sg.delay[k], i) * sg.row(k, i)[n];
          activation += apply_weight_exp(sum, sg.weight_exp);
        }
        const bool spike = neurons::cuba_step(cg.cuba, activation, neurons::cuba_bias(cg.bias_mant[n], cg.bias_exp[n]),
                                              u[g][n], v[g][n]);
        const std::size_t at = static_cast<std::size_t>(t) * cg.size + n;
        fired[g][at] = spike;
        if (spike) out.spikes[g][static_cast<std::size_t>(t)].push_back(static_cast<std::uint32_t>(n));
        if (out.trace) {
          out.u[g][at] = u[g][n];
          out.v[g][at] = v[g][n];
        }
      }
    }
  }
}

}  // namespace snnsim::hw_backends::loihi
