// SPDX-License-Identifier: MIT
#include "neurons/loihi_cuba.hpp"

#include <array>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "sim/error.hpp"

namespace snnsim::neurons {

namespace {

const std::array<sim::ParamSpec, 5> kParams{{
    {"du", "1/4096", 0.0, 4095.0, true, 4095.0, "current decay (12 bits; 4095: no current memory)"},
    {"dv", "1/4096", 0.0, 4095.0, true, 0.0, "voltage decay (12 bits; 0: no leak)"},
    {"vth", "", 0.0, 131071.0, true, std::nan(""), "threshold mantissa (17 bits): fires when v > vth << 6"},
    {"bias_mant", "", -4096.0, 4095.0, true, 0.0, "bias mantissa (13 bits signed)"},
    {"bias_exp", "", 0.0, 7.0, true, 0.0, "bias exponent (3 bits): bias = mant << exp"},
}};

const std::array<sim::PortSpec, 1> kPorts{{{"activation", false}}};

class CubaState final : public sim::NeuronPopulationState<double> {
 public:
  CubaState(CubaPopulationParams p, std::size_t n)
      : p_(p), bias_(cuba_bias(p.bias_mant, p.bias_exp)), u_(n, 0), v_(n, 0), uf_(n, 0.0), vf_(n, 0.0),
        input_(n, 0.0) {}
  void reset() override {
    std::fill(u_.begin(), u_.end(), 0);
    std::fill(v_.begin(), v_.end(), 0);
    std::fill(uf_.begin(), uf_.end(), 0.0);
    std::fill(vf_.begin(), vf_.end(), 0.0);
    std::fill(input_.begin(), input_.end(), 0.0);
  }
  std::span<double> port(std::size_t) override { return input_; }
  void step(sim::TimeStep, std::vector<std::uint32_t>& spikes) override {
    for (std::size_t i = 0; i < u_.size(); ++i) {
      // The activation is an integer by construction (integer weights); llround keeps it so.
      if (cuba_step(p_.constants, std::llround(input_[i]), bias_, u_[i], v_[i]))
        spikes.push_back(static_cast<std::uint32_t>(i));
      uf_[i] = static_cast<double>(u_[i]);
      vf_[i] = static_cast<double>(v_[i]);
    }
    std::fill(input_.begin(), input_.end(), 0.0);
  }
  std::span<const double> variable(std::string_view name) const override {
    if (name == "u") return uf_;
    if (name == "v") return vf_;
    return {};
  }

 private:
  CubaPopulationParams p_;
  std::int64_t bias_;
  std::vector<std::int64_t> u_, v_;
  std::vector<double> uf_, vf_, input_;
};

class CubaDynamics final : public sim::NeuronDynamics {
 public:
  explicit CubaDynamics(CubaPopulationParams p) : p_(p) {}
  sim::Precision precision() const override { return sim::Precision::F64; }
  std::span<const sim::PortSpec> ports() const override { return kPorts; }
  std::unique_ptr<sim::NeuronPopulationState<double>> make_state_f64(std::size_t n) const override {
    return std::make_unique<CubaState>(p_, n);
  }

 private:
  CubaPopulationParams p_;
};

}  // namespace

CubaPopulationParams cuba_params(const sim::ParamValues& validated) {
  CubaPopulationParams p;
  p.constants.du = static_cast<std::int64_t>(validated.at("du"));
  p.constants.dv = static_cast<std::int64_t>(validated.at("dv"));
  p.constants.vth = static_cast<std::int64_t>(validated.at("vth"));
  p.bias_mant = static_cast<std::int64_t>(validated.at("bias_mant"));
  p.bias_exp = static_cast<std::int64_t>(validated.at("bias_exp"));
  return p;
}

std::span<const sim::ParamSpec> LoihiCuba::params() const { return kParams; }

std::shared_ptr<const sim::NeuronDynamics> LoihiCuba::instantiate(const sim::ParamValues& values,
                                                                  const sim::InitialState& initial,
                                                                  std::size_t, const std::string& source,
                                                                  const std::string& where) const {
  const sim::ParamValues p = sim::validate_params(kParams, values, source, where);
  for (const auto& [name, value] : p)
    if (value != std::floor(value))
      throw Error(source, where + "." + name, "an integer (Loihi registers are integers)", fmt::format("{:g}", value));
  if (!initial.empty())
    throw Error(source, where + ".initial", "no initial state (u and v start at 0)",
                "'" + initial.begin()->first + "'");
  return std::make_shared<CubaDynamics>(cuba_params(p));
}

}  // namespace snnsim::neurons
