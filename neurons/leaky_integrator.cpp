// SPDX-License-Identifier: MIT
#include "neurons/leaky_integrator.hpp"

#include <array>
#include <cmath>
#include <limits>

#include "neurons/point_neuron_common.hpp"

namespace snnsim::neurons {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

const std::array<sim::ParamSpec, 3> kParams{{
    {"tau", "s", 0.0, kInf, false, NAN, "time constant (at least dt)"},
    {"v_rest", "V", -kInf, kInf, true, 0.0, "resting value and start value"},
    {"dt", "s", 0.0, kInf, false, NAN, "the simulation time step (set by the network file's dt)"},
}};

const std::array<sim::PortSpec, 1> kPorts{{{"current", false}}};

class LeakyIntegratorState final : public sim::NeuronPopulationState<double> {
 public:
  LeakyIntegratorState(double v_rest, double decay, std::vector<double> v0)
      : v_rest_(v_rest), decay_(decay), v0_(std::move(v0)) {
    reset();
  }
  void reset() override {
    v_ = v0_;
    input_.assign(v0_.size(), 0.0);
  }
  std::span<double> port(std::size_t) override { return input_; }
  void step(sim::TimeStep t, std::vector<std::uint32_t>& spikes) override { step_range(t, 0, v_.size(), spikes); }
  bool can_step_range() const override { return true; }
  void step_range(sim::TimeStep, std::size_t begin, std::size_t end, std::vector<std::uint32_t>&) override {
    for (std::size_t i = begin; i < end; ++i) {
      v_[i] = v_rest_ + (v_[i] - v_rest_) * decay_ + input_[i];
      input_[i] = 0.0;
    }
  }
  std::span<const double> variable(std::string_view name) const override {
    if (name == "v") return v_;
    return {};
  }

 private:
  double v_rest_, decay_;
  std::vector<double> v0_, v_, input_;
};

class LeakyIntegratorDynamics final : public sim::NeuronDynamics {
 public:
  LeakyIntegratorDynamics(double v_rest, double decay, std::vector<double> v0)
      : v_rest_(v_rest), decay_(decay), v0_(std::move(v0)) {}
  sim::Precision precision() const override { return sim::Precision::F64; }
  std::span<const sim::PortSpec> ports() const override { return kPorts; }
  std::unique_ptr<sim::NeuronPopulationState<double>> make_state_f64(std::size_t n) const override {
    return std::make_unique<LeakyIntegratorState>(v_rest_, decay_,
                                                  v0_.size() == n ? v0_ : std::vector<double>(n, v_rest_));
  }

 private:
  double v_rest_, decay_;
  std::vector<double> v0_;
};

}  // namespace

std::span<const sim::ParamSpec> LeakyIntegrator::params() const { return kParams; }

std::shared_ptr<const sim::NeuronDynamics> LeakyIntegrator::instantiate(const sim::ParamValues& values,
                                                                        const sim::InitialState& initial,
                                                                        std::size_t size, const std::string& source,
                                                                        const std::string& where) const {
  const sim::ParamValues p = sim::validate_params(kParams, values, source, where);
  const double dt = p.at("dt"), tau = p.at("tau");
  if (tau < dt)
    throw Error(source, where + ".tau", fmt::format("a time constant of at least dt = {:g} s", dt), fmt::format("{:g} s", tau));
  const double v_rest = p.at("v_rest");
  return std::make_shared<LeakyIntegratorDynamics>(v_rest, std::exp(-dt / tau), initial_v(initial, size, v_rest, source, where));
}

}  // namespace snnsim::neurons
