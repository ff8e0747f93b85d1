// SPDX-License-Identifier: MIT
#include "neurons/if_neuron.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "neurons/point_neuron_common.hpp"

namespace snnsim::neurons {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

const std::array<sim::ParamSpec, 4> kParams{{
    {"v_threshold", "V", -kInf, kInf, true, NAN, "firing threshold (strict: fires when v > v_threshold)"},
    {"v_reset", "V", -kInf, kInf, true, NAN, "membrane potential after a spike and at the start"},
    {"refractory", "s", 0.0, kInf, true, 0.0, "absolute refractory period (0 or at least dt)"},
    {"dt", "s", 0.0, kInf, false, NAN, "the simulation time step (set by the network file's dt)"},
}};

const std::array<sim::PortSpec, 1> kPorts{{{"current", false}}};

struct IfConstants {
  double v_threshold = 0, v_reset = 0;
  std::int64_t refractory_steps = 0;
};

class IfState final : public sim::NeuronPopulationState<double> {
 public:
  IfState(IfConstants c, std::vector<double> v0) : c_(c), v0_(std::move(v0)) { reset(); }
  void reset() override {
    v_ = v0_;
    input_.assign(v0_.size(), 0.0);
    until_.assign(v0_.size(), 0);
  }
  std::span<double> port(std::size_t) override { return input_; }
  void step(sim::TimeStep t, std::vector<std::uint32_t>& spikes) override { step_range(t, 0, v_.size(), spikes); }
  bool can_step_range() const override { return true; }
  void step_range(sim::TimeStep t, std::size_t begin, std::size_t end, std::vector<std::uint32_t>& spikes) override {
    for (std::size_t i = begin; i < end; ++i) {
      if (t >= until_[i]) {
        v_[i] = v_[i] + input_[i];
        if (v_[i] > c_.v_threshold) {
          v_[i] = c_.v_reset;
          until_[i] = t + c_.refractory_steps;  // refractory while n - t < refractory_steps
          spikes.push_back(static_cast<std::uint32_t>(i));
        }
      }
      input_[i] = 0.0;
    }
  }
  std::span<const double> variable(std::string_view name) const override {
    if (name == "v") return v_;
    return {};
  }

 private:
  IfConstants c_;
  std::vector<double> v0_, v_, input_;
  std::vector<sim::TimeStep> until_;  ///< first step at which the neuron integrates again
};

class IfDynamics final : public sim::NeuronDynamics {
 public:
  IfDynamics(IfConstants c, std::vector<double> v0) : c_(c), v0_(std::move(v0)) {}
  sim::Precision precision() const override { return sim::Precision::F64; }
  std::span<const sim::PortSpec> ports() const override { return kPorts; }
  std::unique_ptr<sim::NeuronPopulationState<double>> make_state_f64(std::size_t n) const override {
    return std::make_unique<IfState>(c_, v0_.size() == n ? v0_ : std::vector<double>(n, c_.v_reset));
  }

 private:
  IfConstants c_;
  std::vector<double> v0_;
};

}  // namespace

std::span<const sim::ParamSpec> IfNeuron::params() const { return kParams; }

std::shared_ptr<const sim::NeuronDynamics> IfNeuron::instantiate(const sim::ParamValues& values,
                                                                 const sim::InitialState& initial, std::size_t size,
                                                                 const std::string& source,
                                                                 const std::string& where) const {
  const sim::ParamValues p = sim::validate_params(kParams, values, source, where);
  IfConstants c;
  c.v_threshold = p.at("v_threshold");
  c.v_reset = p.at("v_reset");
  c.refractory_steps = refractory_steps(p.at("refractory"), p.at("dt"), source, where);
  return std::make_shared<IfDynamics>(c, initial_v(initial, size, c.v_reset, source, where));
}

}  // namespace snnsim::neurons
