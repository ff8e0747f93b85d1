// SPDX-License-Identifier: MIT
#include <algorithm>
#include <cstring>
#include <numeric>

#include "hw_backends/common/tick_engine.hpp"

namespace snnsim::hw_backends {

template <class Real>
std::vector<ProjectionPlan<Real>> make_projection_plans(const sim::Network& net) {
  std::vector<ProjectionPlan<Real>> plans;
  for (const sim::EdgeRef& e : net.projections()) {
    ProjectionPlan<Real> p;
    p.index = e.projection->index;
    p.port = e.projection->port;
    p.source = e.source;
    p.target = e.target;
    std::visit(
        [&](const auto& c) {
          using C = std::decay_t<decltype(c)>;
          if constexpr (std::is_same_v<C, sim::Conv1d>) {
            p.kind = ProjectionPlan<Real>::Kind::Conv;
            p.out = c.out;
            p.in = c.in;
            p.kernel = c.kernel;
            p.first_offset = c.first_offset;
            p.weight.resize(c.weight.size());
            for (std::size_t o = 0; o < c.out; ++o)
              for (std::size_t i = 0; i < c.in; ++i)
                for (std::size_t k = 0; k < c.kernel; ++k)
                  p.weight[(i * c.kernel + k) * c.out + o] = static_cast<Real>(c.weight[(o * c.in + i) * c.kernel + k]);
            p.bias.assign(c.bias.begin(), c.bias.end());
          } else if constexpr (std::is_same_v<C, sim::Identity>) {
            p.kind = ProjectionPlan<Real>::Kind::Identity;
            p.out = p.in = net.population(e.source).size;
          } else {
            p.kind = ProjectionPlan<Real>::Kind::Sparse;
            p.in = net.population(e.source).size;
            p.out = net.population(e.target).size;
            p.delay = c.delay;
            // CSR by source neuron, keeping the given synapse order within each source.
            p.row_start.assign(p.in + 1, 0);
            for (std::uint32_t s : c.source) ++p.row_start[s + 1];
            std::partial_sum(p.row_start.begin(), p.row_start.end(), p.row_start.begin());
            std::vector<std::uint32_t> fill(p.row_start.begin(), p.row_start.end() - 1);
            p.syn_target.resize(c.source.size());
            p.syn_weight.resize(c.source.size());
            for (std::size_t j = 0; j < c.source.size(); ++j) {
              const std::uint32_t at = fill[c.source[j]]++;
              p.syn_target[at] = c.target[j];
              p.syn_weight[at] = static_cast<Real>(c.weight[j]);
            }
            // Bitwise, not ==: 0.0 and -0.0 compare equal but do not always add alike.
            p.uniform_weight = !p.syn_weight.empty() &&
                               std::all_of(p.syn_weight.begin(), p.syn_weight.end(), [&](Real w) {
                                 return std::memcmp(&w, &p.syn_weight[0], sizeof(Real)) == 0;
                               });
          }
        },
        e.projection->connectivity);
    plans.push_back(std::move(p));
  }
  return plans;
}

template std::vector<ProjectionPlan<float>> make_projection_plans<float>(const sim::Network&);
template std::vector<ProjectionPlan<double>> make_projection_plans<double>(const sim::Network&);

}  // namespace snnsim::hw_backends
