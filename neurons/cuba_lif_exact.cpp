// SPDX-License-Identifier: MIT
#include "neurons/cuba_lif_exact.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <fmt/format.h>

#include "neurons/point_neuron_common.hpp"
#include "sim/error.hpp"

namespace snnsim::neurons {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Propagators default to 0, which means "compute from the time constants" (a real propagator
// of a finite time constant is never 0).
const std::array<sim::ParamSpec, 13> kParams{{
    {"tau_m", "s", 0.0, kInf, false, NAN, "membrane time constant"},
    {"tau_e", "s", 0.0, kInf, false, NAN, "excitatory synaptic time constant (ge)"},
    {"tau_i", "s", 0.0, kInf, false, NAN, "inhibitory synaptic time constant (gi)"},
    {"v_rest", "V", -kInf, kInf, true, NAN, "resting potential"},
    {"v_reset", "V", -kInf, kInf, true, NAN, "membrane potential after a spike"},
    {"v_threshold", "V", -kInf, kInf, true, NAN, "firing threshold (strict: fires when v > v_threshold)"},
    {"refractory", "s", 0.0, kInf, true, 0.0, "absolute refractory period (0 or at least dt)"},
    {"dt", "s", 0.0, kInf, false, NAN, "the simulation time step (set by the network file's dt)"},
    {"P_vv", "", 0.0, 1.0, true, 0.0, "propagator exp(-dt/tau_m) (0: computed)"},
    {"P_ee", "", 0.0, 1.0, true, 0.0, "propagator exp(-dt/tau_e) (0: computed)"},
    {"P_ii", "", 0.0, 1.0, true, 0.0, "propagator exp(-dt/tau_i) (0: computed)"},
    {"P_ve", "", 0.0, 1.0, true, 0.0, "propagator ge -> v (0: computed)"},
    {"P_vi", "", 0.0, 1.0, true, 0.0, "propagator gi -> v (0: computed)"},
}};

const std::array<sim::PortSpec, 2> kPorts{{{"ge", true}, {"gi", true}}};

// "Never spiked": refractory until before the first step.
constexpr double kNeverSpiked = -1.0;

class CubaLifState final : public sim::NeuronPopulationState<double> {
 public:
  CubaLifState(CubaLifConstants c, std::vector<double> v0) : c_(c), v0_(std::move(v0)) { reset(); }
  void reset() override {
    s_.v.assign(v0_.begin(), v0_.end());
    s_.ge.assign(v0_.size(), 0.0);
    s_.gi.assign(v0_.size(), 0.0);
    s_.refractory_until.assign(v0_.size(), kNeverSpiked);
  }
  std::span<double> port(std::size_t port) override { return port == 0 ? s_.ge : s_.gi; }
  void step(sim::TimeStep t, std::vector<std::uint32_t>& spikes) override {
    cuba_lif_step(c_, s_, t, 0, v0_.size(), spikes);
  }
  bool can_step_range() const override { return true; }
  void step_range(sim::TimeStep t, std::size_t begin, std::size_t end,
                  std::vector<std::uint32_t>& spikes) override {
    cuba_lif_step(c_, s_, t, begin, end, spikes);
  }
  std::span<const double> variable(std::string_view name) const override {
    if (name == "v") return s_.v;
    if (name == "ge") return s_.ge;
    if (name == "gi") return s_.gi;
    return {};
  }

 private:
  CubaLifConstants c_;
  std::vector<double> v0_;
  CubaLifArrays s_;
};

class CubaLifDynamics final : public sim::NeuronDynamics {
 public:
  CubaLifDynamics(CubaLifConstants c, std::vector<double> v0) : c_(c), v0_(std::move(v0)) {}
  sim::Precision precision() const override { return sim::Precision::F64; }
  std::span<const sim::PortSpec> ports() const override { return kPorts; }
  std::unique_ptr<sim::NeuronPopulationState<double>> make_state_f64(std::size_t n) const override {
    std::vector<double> v0 = v0_.empty() ? std::vector<double>(n, c_.v_rest) : v0_;
    return std::make_unique<CubaLifState>(c_, std::move(v0));
  }

 private:
  CubaLifConstants c_;
  std::vector<double> v0_;
};

std::string seconds(double v) { return fmt::format("{:g} s", v); }

}  // namespace

namespace {

/// One neuron's step (the reference arithmetic; the SIMD path does exactly these operations).
inline void step_one(const CubaLifConstants& c, double now, double refractory, double& v, double& ge, double& gi,
                     double& until, std::uint32_t index, std::vector<std::uint32_t>& spikes) {
  const bool held = now < until;
  const double updated = c.v_rest + (v - c.v_rest) * c.p_vv + ge * c.p_ve + gi * c.p_vi;
  if (!held) v = updated;
  ge = ge * c.p_ee;
  gi = gi * c.p_ii;
  if (!held && v > c.v_threshold) {
    v = c.v_reset;
    until = now + refractory;
    spikes.push_back(index);
  }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SNNSIM_CUBA_AVX 1
/// Four neurons per AVX instruction, for [begin, end) rounded down to a multiple of 4; returns
/// where it stopped. Same operations per lane as step_one, explicit mul and add (no FMA), so
/// the results are bit-identical to the SSE2 and scalar paths.
__attribute__((target("avx"))) std::size_t step_avx(const CubaLifConstants& c, CubaLifArrays& s, double now,
                                                     double refractory, std::size_t begin, std::size_t end,
                                                     std::vector<std::uint32_t>& spikes) {
  double* __restrict v = s.v.data();
  double* __restrict ge = s.ge.data();
  double* __restrict gi = s.gi.data();
  double* __restrict until = s.refractory_until.data();
  const __m256d rest = _mm256_set1_pd(c.v_rest), vv = _mm256_set1_pd(c.p_vv), ve = _mm256_set1_pd(c.p_ve);
  const __m256d vi = _mm256_set1_pd(c.p_vi), ee = _mm256_set1_pd(c.p_ee), ii = _mm256_set1_pd(c.p_ii);
  const __m256d threshold = _mm256_set1_pd(c.v_threshold), now4 = _mm256_set1_pd(now);
  std::size_t i = begin;
  for (; i + 4 <= end; i += 4) {
    const __m256d old_v = _mm256_loadu_pd(v + i), e = _mm256_loadu_pd(ge + i), in = _mm256_loadu_pd(gi + i);
    const __m256d held = _mm256_cmp_pd(now4, _mm256_loadu_pd(until + i), _CMP_LT_OQ);
    __m256d updated = _mm256_add_pd(rest, _mm256_mul_pd(_mm256_sub_pd(old_v, rest), vv));
    updated = _mm256_add_pd(updated, _mm256_mul_pd(e, ve));
    updated = _mm256_add_pd(updated, _mm256_mul_pd(in, vi));
    const __m256d new_v = _mm256_or_pd(_mm256_and_pd(held, old_v), _mm256_andnot_pd(held, updated));
    _mm256_storeu_pd(v + i, new_v);
    _mm256_storeu_pd(ge + i, _mm256_mul_pd(e, ee));
    _mm256_storeu_pd(gi + i, _mm256_mul_pd(in, ii));
    const int fire = _mm256_movemask_pd(_mm256_andnot_pd(held, _mm256_cmp_pd(new_v, threshold, _CMP_GT_OQ)));
    if (fire) [[unlikely]]
      for (std::size_t lane = 0; lane < 4; ++lane)
        if (fire & (1 << lane)) {
          v[i + lane] = c.v_reset;
          until[i + lane] = now + refractory;
          spikes.push_back(static_cast<std::uint32_t>(i + lane));
        }
  }
  return i;
}
/// Eight neurons per AVX-512 instruction (same operations per lane as step_one, no FMA).
__attribute__((target("avx512f"))) std::size_t step_avx512(const CubaLifConstants& c, CubaLifArrays& s, double now,
                                                            double refractory, std::size_t begin, std::size_t end,
                                                            std::vector<std::uint32_t>& spikes) {
  double* __restrict v = s.v.data();
  double* __restrict ge = s.ge.data();
  double* __restrict gi = s.gi.data();
  double* __restrict until = s.refractory_until.data();
  const __m512d rest = _mm512_set1_pd(c.v_rest), vv = _mm512_set1_pd(c.p_vv), ve = _mm512_set1_pd(c.p_ve);
  const __m512d vi = _mm512_set1_pd(c.p_vi), ee = _mm512_set1_pd(c.p_ee), ii = _mm512_set1_pd(c.p_ii);
  const __m512d threshold = _mm512_set1_pd(c.v_threshold), now8 = _mm512_set1_pd(now);
  std::size_t i = begin;
  for (; i + 8 <= end; i += 8) {
    const __m512d old_v = _mm512_loadu_pd(v + i), e = _mm512_loadu_pd(ge + i), in = _mm512_loadu_pd(gi + i);
    const __mmask8 held = _mm512_cmp_pd_mask(now8, _mm512_loadu_pd(until + i), _CMP_LT_OQ);
    __m512d updated = _mm512_add_pd(rest, _mm512_mul_pd(_mm512_sub_pd(old_v, rest), vv));
    updated = _mm512_add_pd(updated, _mm512_mul_pd(e, ve));
    updated = _mm512_add_pd(updated, _mm512_mul_pd(in, vi));
    const __m512d new_v = _mm512_mask_blend_pd(held, updated, old_v);
    _mm512_storeu_pd(v + i, new_v);
    _mm512_storeu_pd(ge + i, _mm512_mul_pd(e, ee));
    _mm512_storeu_pd(gi + i, _mm512_mul_pd(in, ii));
    const unsigned fire = static_cast<unsigned>(_mm512_cmp_pd_mask(new_v, threshold, _CMP_GT_OQ)) & ~static_cast<unsigned>(held) & 0xffu;
    if (fire) [[unlikely]]
      for (std::size_t lane = 0; lane < 8; ++lane)
        if (fire & (1u << lane)) {
          v[i + lane] = c.v_reset;
          until[i + lane] = now + refractory;
          spikes.push_back(static_cast<std::uint32_t>(i + lane));
        }
  }
  return i;
}
#endif

}  // namespace

void cuba_lif_step(const CubaLifConstants& c, CubaLifArrays& s, sim::TimeStep t, std::size_t begin,
                   std::size_t end, std::vector<std::uint32_t>& spikes) {
  double* __restrict v = s.v.data();
  double* __restrict ge = s.ge.data();
  double* __restrict gi = s.gi.data();
  double* __restrict until = s.refractory_until.data();
  // Step numbers are exact in a double (< 2^53), so refractoriness is a double comparison.
  const double now = static_cast<double>(t);
  const double refractory = static_cast<double>(c.refractory_steps);
  std::size_t i = begin;
#ifdef SNNSIM_CUBA_AVX
  if (__builtin_cpu_supports("avx512f"))
    i = step_avx512(c, s, now, refractory, begin, end, spikes);
  if (__builtin_cpu_supports("avx")) i = step_avx(c, s, now, refractory, i, end, spikes);
#endif
#ifdef __SSE2__
  // Two neurons per SSE2 instruction: each lane performs the same IEEE operations in the same
  // order as step_one, so the results are bit-identical to the scalar code. Spikes are rare:
  // the lanes that fire are finished in scalar code.
  const __m128d rest = _mm_set1_pd(c.v_rest), vv = _mm_set1_pd(c.p_vv), ve = _mm_set1_pd(c.p_ve);
  const __m128d vi = _mm_set1_pd(c.p_vi), ee = _mm_set1_pd(c.p_ee), ii = _mm_set1_pd(c.p_ii);
  const __m128d threshold = _mm_set1_pd(c.v_threshold), now2 = _mm_set1_pd(now);
  for (; i + 2 <= end; i += 2) {
    const __m128d old_v = _mm_loadu_pd(v + i), e = _mm_loadu_pd(ge + i), in = _mm_loadu_pd(gi + i);
    const __m128d held = _mm_cmplt_pd(now2, _mm_loadu_pd(until + i));
    __m128d updated = _mm_add_pd(rest, _mm_mul_pd(_mm_sub_pd(old_v, rest), vv));
    updated = _mm_add_pd(updated, _mm_mul_pd(e, ve));
    updated = _mm_add_pd(updated, _mm_mul_pd(in, vi));
    const __m128d new_v = _mm_or_pd(_mm_and_pd(held, old_v), _mm_andnot_pd(held, updated));
    _mm_storeu_pd(v + i, new_v);
    _mm_storeu_pd(ge + i, _mm_mul_pd(e, ee));
    _mm_storeu_pd(gi + i, _mm_mul_pd(in, ii));
    const int fire = _mm_movemask_pd(_mm_andnot_pd(held, _mm_cmpgt_pd(new_v, threshold)));
    if (fire) [[unlikely]]
      for (std::size_t lane = 0; lane < 2; ++lane)
        if (fire & (1 << lane)) {
          v[i + lane] = c.v_reset;
          until[i + lane] = now + refractory;
          spikes.push_back(static_cast<std::uint32_t>(i + lane));
        }
  }
#endif
  for (; i < end; ++i) step_one(c, now, refractory, v[i], ge[i], gi[i], until[i], static_cast<std::uint32_t>(i), spikes);
}

std::span<const sim::ParamSpec> CubaLifExact::params() const { return kParams; }

std::shared_ptr<const sim::NeuronDynamics> CubaLifExact::instantiate(const sim::ParamValues& values,
                                                                     const sim::InitialState& initial,
                                                                     std::size_t size,
                                                                     const std::string& source,
                                                                     const std::string& where) const {
  const sim::ParamValues p = sim::validate_params(kParams, values, source, where);
  const double dt = p.at("dt");
  for (const char* tau : {"tau_m", "tau_e", "tau_i"})
    if (p.at(tau) < dt)
      throw Error(source, where + "." + tau, "a time constant of at least dt = " + seconds(dt),
                  seconds(p.at(tau)));
  const double refractory = p.at("refractory");
  if (p.at("tau_m") == p.at("tau_e") || p.at("tau_m") == p.at("tau_i"))
    throw Error(source, where + ".tau_m", "a membrane time constant different from tau_e and tau_i",
                seconds(p.at("tau_m")));
  std::vector<double> v0;
  for (const auto& [name, values_of] : initial) {
    if (name != "v")
      throw Error(source, where + ".initial", "initial values of 'v' only", "'" + name + "'");
    if (values_of.size() != size)
      throw Error(source, where + ".initial.v", fmt::format("{} values (one per neuron)", size),
                  fmt::format("{}", values_of.size()));
    v0 = values_of;
  }

  CubaLifConstants c;
  c.v_rest = p.at("v_rest");
  c.v_reset = p.at("v_reset");
  c.v_threshold = p.at("v_threshold");
  c.refractory_steps = refractory_steps(refractory, dt, source, where);
  const double tau_m = p.at("tau_m"), tau_e = p.at("tau_e"), tau_i = p.at("tau_i");
  auto given_or = [&p](const char* name, double computed) { return p.at(name) != 0.0 ? p.at(name) : computed; };
  c.p_vv = given_or("P_vv", std::exp(-dt / tau_m));
  c.p_ee = given_or("P_ee", std::exp(-dt / tau_e));
  c.p_ii = given_or("P_ii", std::exp(-dt / tau_i));
  c.p_ve = given_or("P_ve", tau_e / (tau_m - tau_e) * (c.p_vv - c.p_ee));
  c.p_vi = given_or("P_vi", tau_i / (tau_m - tau_i) * (c.p_vv - c.p_ii));
  return std::make_shared<CubaLifDynamics>(c, std::move(v0));
}

}  // namespace snnsim::neurons
