// SPDX-License-Identifier: MIT
#include "hw_backends/loihi/mapper.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <numeric>
#include <set>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/cuthill_mckee_ordering.hpp>
#include <fmt/format.h>

#include "sim/error.hpp"

namespace snnsim::hw_backends::loihi {

namespace {

/// Synapse memory of one axon with n dense synapses (nengo-loihi SynapseConfig.bits_per_axon).
std::int64_t bits_per_axon(std::int64_t n, int bits_per_synapse) {
  constexpr std::int64_t per_block = 64, header = 4 + 6, word = 64;
  std::int64_t bits = 0;
  for (std::int64_t i = 0; i < n; i += per_block) {
    const std::int64_t b = std::min(per_block, n - i) * bits_per_synapse + header;
    bits += (b + word - 1) / word * word;
  }
  return bits;
}

bool has_delays(const SynapseGroup& sg) {
  return std::any_of(sg.delay.begin(), sg.delay.end(), [](int d) { return d != 1; });
}

/// Whether source neuron i of `sg` has a non-zero weight into target neurons [first, first + count).
bool reaches(const SynapseGroup& sg, std::size_t i, std::size_t first, std::size_t count) {
  for (std::size_t k = 0; k < sg.delay.size(); ++k) {
    const std::int64_t* row = sg.row(k, i);
    for (std::size_t o = first; o < first + count; ++o)
      if (row[o] != 0) return true;
  }
  return false;
}

CoreOccupancy slice_use(const Program& p, const ChipSpec& chip, std::size_t g, std::size_t first, std::size_t count) {
  CoreOccupancy use;
  use.compartments = static_cast<std::int64_t>(count);
  std::set<std::pair<std::size_t, std::size_t>> axons;  // (source group kind/index key, neuron)
  for (std::size_t si : p.groups[g].synapses) {
    const SynapseGroup& sg = p.synapses[si];
    const int bits = chip.weight_bits + (has_delays(sg) ? chip.delay_bits : 0);
    const std::size_t key = (static_cast<std::size_t>(sg.source.kind) << 24) | sg.source.index;
    for (std::size_t i = 0; i < sg.in; ++i) {
      if (!reaches(sg, i, first, count)) continue;
      axons.insert({key, i});
      use.synapse_bits += bits_per_axon(static_cast<std::int64_t>(sg.delay.size() * count), bits);
    }
  }
  use.fanin_axons = static_cast<std::int64_t>(axons.size());
  return use;
}

std::string limit_error_field(const CompartmentGroup& g, const char* limit) {
  return "layer " + g.name + ": " + limit;
}

/// Splits group g into the fewest balanced slices that each fit a core.
std::vector<Core> split_group(const Program& p, const ChipSpec& chip, std::size_t g) {
  const CompartmentGroup& cg = p.groups[g];
  const std::size_t n = cg.size;
  std::size_t k = static_cast<std::size_t>((static_cast<std::int64_t>(n) + chip.compartments_per_core - 1) /
                                           chip.compartments_per_core);
  for (k = std::max<std::size_t>(k, 1); k <= n; ++k) {
    std::vector<Core> cores;
    bool fits = true;
    for (std::size_t j = 0; j < k && fits; ++j) {
      Core c;
      c.group = g;
      c.first = j * n / k;
      c.count = (j + 1) * n / k - c.first;
      c.use = slice_use(p, chip, g, c.first, c.count);
      fits = c.use.fanin_axons <= chip.fanin_axons_per_core && c.use.synapse_bits <= chip.synapse_memory_bits_per_core;
      cores.push_back(c);
    }
    if (fits) return cores;
    if (k == n) {
      const Core& worst = cores.back();
      if (worst.use.fanin_axons > chip.fanin_axons_per_core)
        throw Error(chip.file, limit_error_field(cg, "fan-in axons per core"),
                    fmt::format("at most {} (limits.fanin_axons_per_core)", chip.fanin_axons_per_core),
                    fmt::format("{} for a single compartment", worst.use.fanin_axons));
      throw Error(chip.file, limit_error_field(cg, "synapse memory bits per core"),
                  fmt::format("at most {} (limits.synapse_memory_bits_per_core)", chip.synapse_memory_bits_per_core),
                  fmt::format("{} for a single compartment", worst.use.synapse_bits));
    }
  }
  return {};
}

/// Destination cores of every source neuron of `kind`/`index` (sorted, unique).
std::vector<std::vector<std::uint32_t>> fanout_of(const Program& p, const Mapping& m, SourceKind kind, std::size_t index,
                                                  std::size_t size) {
  std::vector<std::vector<std::uint32_t>> out(size);
  for (const SynapseGroup& sg : p.synapses) {
    if (sg.source.kind != kind || sg.source.index != index) continue;
    for (std::uint32_t c = 0; c < m.cores.size(); ++c) {
      const Core& core = m.cores[c];
      if (core.group != sg.target) continue;
      for (std::size_t i = 0; i < size; ++i)
        if (reaches(sg, i, core.first, core.count)) out[i].push_back(c);
    }
  }
  for (auto& v : out) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }
  return out;
}

struct Position {
  std::int64_t chip, x, y;
};

Position slot_position(const ChipSpec& chip, std::int64_t global_slot) {
  const std::int64_t c = global_slot / chip.cores_per_chip;
  const std::int64_t tile = (global_slot % chip.cores_per_chip) / chip.cores_per_tile;
  const std::int64_t y = tile / chip.tiles_x;
  const std::int64_t xr = tile % chip.tiles_x;
  const std::int64_t x = (y % 2 == 0) ? xr : chip.tiles_x - 1 - xr;  // serpentine
  return {c, c * chip.tiles_x + x, y};
}

using TrafficMatrix = std::vector<std::vector<double>>;

double placement_cost(const TrafficMatrix& w, const std::vector<Position>& pos) {
  double cost = 0;
  for (std::size_t a = 0; a < w.size(); ++a)
    for (std::size_t b = 0; b < w.size(); ++b)
      if (w[a][b] > 0) cost += w[a][b] * static_cast<double>(std::abs(pos[a].x - pos[b].x) + std::abs(pos[a].y - pos[b].y));
  return cost;
}

/// Reverse Cuthill-McKee order of the core traffic graph (Boost.Graph).
std::vector<std::size_t> rcm_order(const TrafficMatrix& w) {
  using G = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS,
                                  boost::property<boost::vertex_color_t, boost::default_color_type,
                                                  boost::property<boost::vertex_degree_t, int>>>;
  G graph(w.size());
  for (std::size_t a = 0; a < w.size(); ++a)
    for (std::size_t b = a + 1; b < w.size(); ++b)
      if (w[a][b] + w[b][a] > 0) boost::add_edge(a, b, graph);
  std::vector<std::size_t> order(w.size());
  boost::cuthill_mckee_ordering(graph, order.rbegin(), boost::get(boost::vertex_color, graph),
                                boost::make_degree_map(graph));
  return order;
}

}  // namespace

std::int64_t Mapping::hops(std::uint32_t a, std::uint32_t b) const {
  return std::abs(cores[a].tile_x - cores[b].tile_x) + std::abs(cores[a].tile_y - cores[b].tile_y);
}

bool Mapping::same_tile(std::uint32_t a, std::uint32_t b) const { return hops(a, b) == 0; }

void place(Mapping& m, const ChipSpec& chip, const std::vector<std::vector<double>>& w) {
  const std::size_t nc = m.cores.size();
  // Place along the RCM order, then improve by pairwise swaps of positions.
  const std::vector<std::size_t> order = rcm_order(w);
  std::vector<Position> pos(nc);
  for (std::size_t s = 0; s < nc; ++s) pos[order[s]] = slot_position(chip, static_cast<std::int64_t>(s));
  std::vector<std::int64_t> slot(nc);
  for (std::size_t s = 0; s < nc; ++s) slot[order[s]] = static_cast<std::int64_t>(s);
  // Only the terms of the two swapped cores change (their mutual distance does not).
  auto node_cost = [&](std::size_t i) {
    double c = 0;
    for (std::size_t j = 0; j < nc; ++j)
      c += (w[i][j] + w[j][i]) * static_cast<double>(std::abs(pos[i].x - pos[j].x) + std::abs(pos[i].y - pos[j].y));
    return c;
  };
  for (int pass = 0; pass < 8; ++pass) {
    bool improved = false;
    for (std::size_t a = 0; a < nc; ++a)
      for (std::size_t b = a + 1; b < nc; ++b) {
        const double before = node_cost(a) + node_cost(b);
        std::swap(pos[a], pos[b]);
        if (node_cost(a) + node_cost(b) + 1e-9 < before) {
          std::swap(slot[a], slot[b]);
          improved = true;
        } else {
          std::swap(pos[a], pos[b]);
        }
      }
    if (!improved) break;
  }
  m.placement_cost = placement_cost(w, pos);
  for (std::size_t c = 0; c < nc; ++c) {
    m.cores[c].chip = pos[c].chip;
    m.cores[c].tile_x = pos[c].x;
    m.cores[c].tile_y = pos[c].y;
    m.cores[c].slot = slot[c] % chip.cores_per_chip;
  }
}

Mapping map_program(const Program& p, const ChipSpec& chip, std::int64_t chips, const std::vector<double>& rates) {
  Mapping m;
  m.chips = chips;
  const std::int64_t capacity = chips * chip.cores_per_chip;
  for (std::size_t g = 0; g < p.groups.size(); ++g) {
    for (Core& c : split_group(p, chip, g)) m.cores.push_back(c);
    if (static_cast<std::int64_t>(m.cores.size()) > capacity)
      throw Error(chip.file, "layer " + p.groups[g].name + ": neurocores",
                  fmt::format("at most {} ({} chip{} x limits.cores_per_chip = {}; more chips: --chips)", capacity, chips,
                              chips == 1 ? "" : "s", chip.cores_per_chip),
                  fmt::format("{} cores needed up to this layer", m.cores.size()));
  }
  m.core_of.resize(p.groups.size());
  for (std::size_t g = 0; g < p.groups.size(); ++g) m.core_of[g].assign(p.groups[g].size, 0);
  for (std::uint32_t c = 0; c < m.cores.size(); ++c)
    for (std::size_t n = m.cores[c].first; n < m.cores[c].first + m.cores[c].count; ++n) m.core_of[m.cores[c].group][n] = c;
  m.fanout.resize(p.groups.size());
  for (std::size_t g = 0; g < p.groups.size(); ++g)
    m.fanout[g] = fanout_of(p, m, SourceKind::Compartments, g, p.groups[g].size);
  m.input_fanout.resize(p.inputs.size());
  for (std::size_t i = 0; i < p.inputs.size(); ++i)
    m.input_fanout[i] = fanout_of(p, m, p.inputs[i].graded ? SourceKind::GradedInput : SourceKind::SpikeInput, i,
                                  p.inputs[i].size);
  for (std::size_t g = 0; g < p.groups.size(); ++g)
    for (std::size_t n = 0; n < p.groups[g].size; ++n)
      m.cores[m.core_of[g][n]].use.fanout_axons += static_cast<std::int64_t>(m.fanout[g][n].size());
  for (const Core& c : m.cores)
    if (c.use.fanout_axons > chip.fanout_axons_per_core)
      throw Error(chip.file, "layer " + p.groups[c.group].name + ": fan-out axons per core",
                  fmt::format("at most {} (limits.fanout_axons_per_core)", chip.fanout_axons_per_core),
                  std::to_string(c.use.fanout_axons));

  // Expected traffic between cores: spike rate x fan-out axons.
  const std::size_t nc = m.cores.size();
  std::vector<std::vector<double>> w(nc, std::vector<double>(nc, 0.0));
  for (std::size_t g = 0; g < p.groups.size(); ++g) {
    const double rate = g < rates.size() ? rates[g] : 1.0;
    for (std::size_t n = 0; n < p.groups[g].size; ++n)
      for (std::uint32_t d : m.fanout[g][n]) w[m.core_of[g][n]][d] += rate;
  }
  place(m, chip, w);
  return m;
}

}  // namespace snnsim::hw_backends::loihi
