// SPDX-License-Identifier: MIT
#include "neurons/cuba_lif_exact.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <fmt/format.h>

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

// "Never spiked": far enough in the past that t - last_spike cannot overflow.
constexpr std::int64_t kNeverSpiked = std::numeric_limits<std::int64_t>::min() / 4;

class CubaLifState final : public sim::NeuronPopulationState<double> {
 public:
  CubaLifState(CubaLifConstants c, std::vector<double> v0) : c_(c), v0_(std::move(v0)) { reset(); }
  void reset() override {
    s_.v = v0_;
    s_.ge.assign(v0_.size(), 0.0);
    s_.gi.assign(v0_.size(), 0.0);
    s_.last_spike.assign(v0_.size(), kNeverSpiked);
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

void cuba_lif_step(const CubaLifConstants& c, CubaLifArrays& s, sim::TimeStep t, std::size_t begin,
                   std::size_t end, std::vector<std::uint32_t>& spikes) {
  double* __restrict v = s.v.data();
  double* __restrict ge = s.ge.data();
  double* __restrict gi = s.gi.data();
  std::int64_t* __restrict last = s.last_spike.data();
  for (std::size_t i = begin; i < end; ++i) {
    const bool refractory = t - last[i] < c.refractory_steps;
    const double updated = c.v_rest + (v[i] - c.v_rest) * c.p_vv + ge[i] * c.p_ve + gi[i] * c.p_vi;
    const double vi = refractory ? v[i] : updated;
    ge[i] *= c.p_ee;
    gi[i] *= c.p_ii;
    const bool fire = !refractory && vi > c.v_threshold;
    v[i] = fire ? c.v_reset : vi;
    if (fire) {
      last[i] = t;
      spikes.push_back(static_cast<std::uint32_t>(i));
    }
  }
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
  if (refractory != 0.0 && refractory < dt)
    throw Error(source, where + ".refractory", "0 or a period of at least dt = " + seconds(dt),
                seconds(refractory));
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
  c.refractory_steps = static_cast<std::int64_t>((refractory + 1e-3 * dt) / dt);
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
