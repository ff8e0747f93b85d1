// SPDX-License-Identifier: MIT
#include "hw_backends/loihi/quantizer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "hw_backends/loihi/synapse_format.hpp"
#include "sim/error.hpp"

namespace snnsim::hw_backends::loihi {

namespace {

/// Where each population of the lowered network lives in the program.
struct SourceIndex {
  std::vector<int> group, input;  ///< by PopulationId, -1 when not that kind
};

SourceRef source_of(const SourceIndex& idx, const Program& p, sim::PopulationId id) {
  if (idx.group[id] >= 0) return {SourceKind::Compartments, static_cast<std::size_t>(idx.group[id])};
  const auto i = static_cast<std::size_t>(idx.input[id]);
  return {p.inputs[i].graded ? SourceKind::GradedInput : SourceKind::SpikeInput, i};
}

/// Most chip steps a group may start after the inputs. The chip, and this backend's simulation of
/// it, runs every one of those steps for every compartment: look-aheads of up to 2^31 - 1 steps
/// per projection (NIR taps) made a trial walk billions of idle chip steps and never end. A
/// million steps of lag (about 1 s per trial for a thousand compartments) is far beyond any
/// look-ahead a model means to have.
constexpr sim::TimeStep kMaxLag = sim::TimeStep{1} << 20;

void check_lags(const LoweredNetwork& net, const std::vector<sim::TimeStep>& lag, const std::string& source) {
  for (std::size_t g = 0; g < net.groups.size(); ++g)
    if (lag[g] > kMaxLag)
      throw Error(source, net.groups[g].name,
                  fmt::format("a look-ahead of at most {} chip steps on the way to it (each is a chip step every "
                              "compartment idles through)",
                              kMaxLag),
                  fmt::format("{} chip steps", lag[g]));
}

/// Longest-path lags: lag_X >= lag_S + offset + 1 for every tap (delay >= 1).
std::vector<sim::TimeStep> assign_lags(const LoweredNetwork& net, const SourceIndex& idx, const std::string& source) {
  std::vector<sim::TimeStep> lag(net.groups.size(), 0);
  auto lag_of = [&](sim::PopulationId s) -> sim::TimeStep {
    return idx.group[s] >= 0 ? lag[static_cast<std::size_t>(idx.group[s])] : 0;
  };
  for (std::size_t pass = 0; pass <= net.groups.size() + 1; ++pass) {
    bool changed = false;
    for (std::size_t g = 0; g < net.groups.size(); ++g)
      for (const auto& [src, taps] : net.groups[g].input.terms)
        for (const auto& [off, w] : taps.weight) {
          const sim::TimeStep need = lag_of(src) + off + 1;
          if (need > lag[g]) {
            lag[g] = need;
            changed = true;
          }
        }
    if (!changed) {
      check_lags(net, lag, source);
      return lag;
    }
  }
  throw Error(source, "network", "no cycle of spiking layers without a delay", "a cycle");
}

double worst_case_input(const LoweredGroup& g, std::size_t o) {
  double sum = std::abs(g.input.bias[o]);
  for (const auto& [src, taps] : g.input.terms)
    for (const auto& [off, w] : taps.weight)
      for (std::size_t i = 0; i < taps.in; ++i) sum += std::abs(w[o * taps.in + i]);
  return sum;
}

double largest_weight(const LoweredGroup& g) {
  double m = 0;
  for (const auto& [src, taps] : g.input.terms)
    for (const auto& [off, w] : taps.weight)
      for (double x : w) m = std::max(m, std::abs(x));
  return m;
}

/// The mantissa grid of a sign mode at `weight_bits` (Lava clip + truncate).
struct Grid {
  std::int64_t lo = 0, hi = 0, step = 1;
};

Grid grid_for(SignMode mode, int weight_bits) {
  const bool mixed = mode == SignMode::Mixed;
  Grid g;
  g.step = std::int64_t{1} << (8 - weight_bits + (mixed ? 1 : 0));
  g.hi = mode == SignMode::Inhibitory ? 0 : (255 / g.step) * g.step;
  g.lo = mode == SignMode::Excitatory ? 0 : (mode == SignMode::Inhibitory ? -(255 / g.step) * g.step : -256);
  return g;
}

/// Quantises `w` (already in units of u >> 6, i.e. of the mantissa at exponent 0) at exponent e.
std::int64_t to_mantissa(double w, int e, const Grid& g, bool& clipped) {
  const double scaled = w / std::ldexp(1.0, e) / static_cast<double>(g.step);
  const double r = std::nearbyint(scaled) * static_cast<double>(g.step);
  clipped = r > static_cast<double>(g.hi) || r < static_cast<double>(g.lo);
  return static_cast<std::int64_t>(std::clamp(r, static_cast<double>(g.lo), static_cast<double>(g.hi)));
}

void quantize_synapses(SynapseGroup& sg, const std::vector<std::vector<double>>& taps_units, double unit,
                       const ChipSpec& chip) {
  // Sign mode from the float weights (what the group must be able to represent).
  bool any_pos = false, any_neg = false;
  double scale = 0;
  for (const auto& w : taps_units)
    for (double x : w) {
      any_pos |= x > 0;
      any_neg |= x < 0;
      scale = std::max(scale, std::abs(x));
    }
  const SignMode mode = any_neg && any_pos ? SignMode::Mixed : (any_neg ? SignMode::Inhibitory : SignMode::Excitatory);
  const Grid grid = grid_for(mode, chip.weight_bits);
  // The exponent with the least squared error among those that clip nothing (no overflow of the
  // mantissa); when every exponent clips, the least error overall.
  int best_e = chip.weight_exp_max;
  double best_err = std::numeric_limits<double>::infinity();
  bool best_clips = true;
  for (int e = chip.weight_exp_min; e <= chip.weight_exp_max; ++e) {
    double err = 0;
    bool clips = false;
    for (const auto& w : taps_units)
      for (double x : w) {
        bool clipped = false;
        const double d = static_cast<double>(to_mantissa(x, e, grid, clipped)) * std::ldexp(1.0, e) - x;
        err += d * d;
        clips |= clipped;
      }
    const bool better = (best_clips && !clips) || (clips == best_clips && err < best_err);
    if (better) {  // strict: ties keep the finer exponent
      best_err = err;
      best_e = e;
      best_clips = clips;
    }
  }
  sg.weight_exp = best_e;
  sg.weight_bits = chip.weight_bits;
  // Store [tap][in][out] (fan-out rows) from taps_units [tap][out][in].
  sg.weight.assign(taps_units.size() * sg.in * sg.out, 0);
  QuantStats& st = sg.stats;
  st.scale = scale / unit;
  double sq = 0;
  for (std::size_t k = 0; k < taps_units.size(); ++k)
    for (std::size_t o = 0; o < sg.out; ++o)
      for (std::size_t i = 0; i < sg.in; ++i) {
        const double x = taps_units[k][o * sg.in + i];
        bool clipped = false;
        const std::int64_t m = to_mantissa(x, best_e, grid, clipped);
        sg.weight[(k * sg.in + i) * sg.out + o] = m;
        const double rel = scale > 0 ? std::abs(static_cast<double>(m) * std::ldexp(1.0, best_e) - x) / scale : 0.0;
        st.max_rel_error = std::max(st.max_rel_error, rel);
        sq += rel * rel;
        st.clipped += clipped;
        st.zeroed += (m == 0 && x != 0.0);
        ++st.weights;
      }
  st.rms_rel_error = st.weights ? std::sqrt(sq / static_cast<double>(st.weights)) : 0.0;
  // The stored mantissas are exactly what Lava's Dense would keep (clip + truncate is identity).
  const std::vector<std::int64_t> eff = effective_weights(sg.weight, chip.weight_bits);
  if (eff != sg.weight) throw std::logic_error("quantised weights off Lava's grid: " + sg.name);
}

/// The spikingjelly LIF's CUBA constants and bias (see quantizer.hpp); returns the factor from
/// float current to u.
double lif_constants(const LoweredGroup& lg, const ChipSpec& chip, const QuantizeOptions& options,
                     CompartmentGroup& cg) {
  cg.v_threshold = lg.lif.v_threshold;
  const double tau = lg.lif.tau;
  cg.cuba.du = 4095;
  cg.cuba.dv = std::clamp<std::int64_t>(std::llround(4096.0 / tau), 0, 4095);
  const double input_gain = lg.lif.decay_input ? 1.0 / tau : 1.0;  // sigma * gain: float current -> u

  // Threshold mantissa (and so sigma): as large as target_vth allows without risking wrap-around
  // of u (worst-case input below 2^22) or weights beyond the largest mantissa.
  double worst = 0;
  for (std::size_t o = 0; o < lg.size; ++o) worst = std::max(worst, worst_case_input(lg, o));
  const double v_per_vth = 64.0 / lg.lif.v_threshold;  // sigma per unit of vth
  double vth = static_cast<double>(std::min<std::int64_t>(options.target_vth, neurons::CubaFormat::vth_max));
  if (worst > 0) vth = std::min(vth, std::ldexp(1.0, 22) / (worst * input_gain * v_per_vth));
  const double wmax = largest_weight(lg);
  if (wmax > 0) vth = std::min(vth, 254.0 * std::ldexp(1.0, 6 + chip.weight_exp_max) / (wmax * input_gain * v_per_vth));
  cg.cuba.vth = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::floor(vth)));
  cg.sigma = static_cast<double>(cg.cuba.vth) * v_per_vth;
  const double to_u = cg.sigma * input_gain;

  // Bias: mantissa and the smallest exponent that holds it.
  cg.bias_mant.resize(lg.size);
  cg.bias_exp.resize(lg.size);
  for (std::size_t o = 0; o < lg.size; ++o) {
    const double beta = lg.input.bias[o] * to_u;
    std::int64_t e = 0;
    while (e < neurons::CubaFormat::bias_exp_max &&
           std::abs(std::nearbyint(beta / std::ldexp(1.0, static_cast<int>(e)))) > neurons::CubaFormat::bias_mant_max)
      ++e;
    const double m = std::nearbyint(beta / std::ldexp(1.0, static_cast<int>(e)));
    const double mc = std::clamp(m, static_cast<double>(neurons::CubaFormat::bias_mant_min),
                                 static_cast<double>(neurons::CubaFormat::bias_mant_max));
    cg.bias_clipped += mc != m;
    cg.bias_mant[o] = static_cast<std::int64_t>(mc);
    cg.bias_exp[o] = e;
  }
  return to_u;
}

/// A loihi_cuba population: constants as given, weights in activation units (u = a << 6).
double native_constants(const LoweredGroup& lg, const std::string& source, CompartmentGroup& cg) {
  for (double b : lg.input.bias)
    if (b != 0.0)
      throw Error(source, lg.name + ".bias", "no bias from projections (a loihi_cuba population uses bias_mant, bias_exp)",
                  fmt::format("{:g}", b));
  cg.cuba = lg.native->constants;
  cg.v_threshold = static_cast<double>(cg.cuba.vth);
  cg.bias_mant.assign(lg.size, lg.native->bias_mant);
  cg.bias_exp.assign(lg.size, lg.native->bias_exp);
  return 64.0;
}

}  // namespace

Program quantize(const LoweredNetwork& net, const ChipSpec& chip, const QuantizeOptions& options,
                 const std::string& source) {
  Program p;
  p.steps = net.steps;
  std::size_t pops = 0;
  for (const auto& g : net.groups) pops = std::max(pops, g.population + 1);
  for (auto id : net.spike_inputs) pops = std::max(pops, id + 1);
  for (auto id : net.graded_inputs) pops = std::max(pops, id + 1);
  SourceIndex idx{std::vector<int>(pops, -1), std::vector<int>(pops, -1)};
  for (std::size_t g = 0; g < net.groups.size(); ++g) idx.group[net.groups[g].population] = static_cast<int>(g);
  const int payload_max = (1 << chip.graded_payload_bits) - 1;
  auto add_input = [&](sim::PopulationId id, bool graded, const std::string& name, std::size_t size) {
    idx.input[id] = static_cast<int>(p.inputs.size());
    p.inputs.push_back({name, id, size, graded, payload_max});
  };
  // Input sizes come from the taps that read them.
  auto input_size = [&](sim::PopulationId id) {
    for (const auto& g : net.groups)
      if (auto it = g.input.terms.find(id); it != g.input.terms.end()) return it->second.in;
    for (const auto& r : net.readouts)
      if (auto it = r.value.terms.find(id); it != r.value.terms.end()) return it->second.in;
    return std::size_t{0};
  };
  for (auto id : net.spike_inputs) add_input(id, false, net.input_names.at(id), input_size(id));
  for (auto id : net.graded_inputs) add_input(id, true, net.input_names.at(id), input_size(id));

  const std::vector<sim::TimeStep> lag = assign_lags(net, idx, source);
  for (std::size_t gi = 0; gi < net.groups.size(); ++gi) {
    const LoweredGroup& lg = net.groups[gi];
    CompartmentGroup cg;
    cg.name = lg.name;
    cg.layer = lg.layer;
    cg.population = lg.population;
    cg.size = lg.size;
    cg.lag = lag[gi];
    const double to_u = lg.native ? native_constants(lg, source, cg) : lif_constants(lg, chip, options, cg);
    const double to_mant = to_u / 64.0;  // float current -> activation units (u >> 6)

    for (const auto& [src, taps] : lg.input.terms) {
      SynapseGroup sg;
      sg.source = source_of(idx, p, src);
      sg.target = gi;
      sg.in = taps.in;
      sg.out = taps.out;
      const std::string src_name = sg.source.kind == SourceKind::Compartments
                                       ? net.groups[sg.source.index].name
                                       : p.inputs[sg.source.index].name;
      sg.name = lg.name + " <- " + src_name;
      const bool graded = sg.source.kind == SourceKind::GradedInput;
      const double unit = graded ? to_mant / payload_max : to_mant;  // a payload of payload_max stands for 1.0
      const sim::TimeStep src_lag = sg.source.kind == SourceKind::Compartments ? lag[sg.source.index] : 0;
      std::vector<std::vector<double>> units;
      for (const auto& [off, w] : taps.weight) {
        const sim::TimeStep d = lag[gi] - src_lag - off;
        if (d - 1 > chip.max_synaptic_delay)
          throw Error(chip.file, "layer " + lg.name + ": synaptic delay (from " + src_name + ")",
                      fmt::format("at most {} (formats.max_synaptic_delay)", chip.max_synaptic_delay),
                      std::to_string(d - 1));
        sg.delay.push_back(static_cast<int>(d));
        sg.offset.push_back(off);
        p.max_delay = std::max<sim::TimeStep>(p.max_delay, d);
        std::vector<double> u(w.size());
        for (std::size_t j = 0; j < w.size(); ++j) u[j] = w[j] * unit;
        units.push_back(std::move(u));
      }
      quantize_synapses(sg, units, unit, chip);
      cg.synapses.push_back(p.synapses.size());
      p.synapses.push_back(std::move(sg));
    }
    p.max_lag = std::max(p.max_lag, cg.lag);
    p.groups.push_back(std::move(cg));
  }
  return p;
}

}  // namespace snnsim::hw_backends::loihi
