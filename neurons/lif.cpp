// SPDX-License-Identifier: MIT
#include "neurons/lif.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include <fmt/format.h>

#include "sim/error.hpp"

namespace snnsim::neurons {

namespace {

const std::array<sim::ParamSpec, 4> kParams{{
    {"tau", "steps", 1.0, 1e9, false, 2.0, "membrane time constant in time steps (> 1)"},
    {"v_threshold", "", -1e30, 1e30, true, 1.0, "firing threshold (fires when H >= v_threshold)"},
    {"v_reset", "", -1e30, 1e30, true, 0.0, "membrane value after a spike and at trial start"},
    {"decay_input", "", 0.0, 1.0, true, 1.0, "1: the input is divided by tau too (spikingjelly default)"},
}};

const std::array<sim::PortSpec, 1> kPorts{{{"current", false}}};

class LifState final : public sim::NeuronPopulationState<float> {
 public:
  LifState(LifConstants c, std::size_t n) : c_(c), v_(n, c.v_reset), input_(n, 0.0f), fired_(n, 0) {}
  void reset() override {
    std::fill(v_.begin(), v_.end(), c_.v_reset);
    std::fill(input_.begin(), input_.end(), 0.0f);
  }
  std::span<float> port(std::size_t) override { return input_; }
  void step(sim::TimeStep, std::vector<std::uint32_t>& spikes) override {
    if (c_.decay_input && c_.v_reset == 0.0f)
      update_decay_input_reset0();
    else
      for (std::size_t i = 0; i < v_.size(); ++i) fired_[i] = lif_step(c_, input_[i], v_[i]);
    for (std::size_t i = 0; i < v_.size(); ++i)
      if (fired_[i]) spikes.push_back(static_cast<std::uint32_t>(i));
    std::fill(input_.begin(), input_.end(), 0.0f);
  }
  std::span<const float> variable(std::string_view name) const override {
    if (name == "v") return v_;
    return {};
  }

 private:
  /// The LMUFormer's case, branch-free so that it vectorises; the same operations as lif_step().
  void update_decay_input_reset0() {
    const float tau = c_.tau, threshold = c_.v_threshold;
    float* __restrict v = v_.data();
    const float* __restrict in = input_.data();
    std::uint32_t* __restrict fired = fired_.data();
    for (std::size_t i = 0; i < v_.size(); ++i) {
      float d = in[i] - v[i];
      d = d / tau;
      const float h = v[i] + d;
      const bool f = h >= threshold;
      v[i] = f ? 0.0f : h;
      fired[i] = f;
    }
  }

  LifConstants c_;
  std::vector<float> v_, input_;
  std::vector<std::uint32_t> fired_;  // 32-bit like the floats, so the update vectorises
};

class LifDynamics final : public sim::NeuronDynamics {
 public:
  explicit LifDynamics(LifConstants c) : c_(c) {}
  sim::Precision precision() const override { return sim::Precision::F32; }
  std::span<const sim::PortSpec> ports() const override { return kPorts; }
  std::unique_ptr<sim::NeuronPopulationState<float>> make_state_f32(std::size_t n) const override {
    return std::make_unique<LifState>(c_, n);
  }

 private:
  LifConstants c_;
};

}  // namespace

std::span<const sim::ParamSpec> Lif::params() const { return kParams; }

std::shared_ptr<const sim::NeuronDynamics> Lif::instantiate(const sim::ParamValues& values,
                                                            const sim::InitialState& initial,
                                                            std::size_t, const std::string& source,
                                                            const std::string& where) const {
  const sim::ParamValues p = sim::validate_params(kParams, values, source, where);
  if (!initial.empty())
    throw Error(source, where + ".initial", "no initial state (every LIF starts at v_reset)",
                "'" + initial.begin()->first + "'");
  const double d = p.at("decay_input");
  if (d != 0.0 && d != 1.0) throw Error(source, where + ".decay_input", "0 or 1", fmt::format("{:g}", d));
  LifConstants c;
  c.tau = static_cast<float>(p.at("tau"));
  c.v_threshold = static_cast<float>(p.at("v_threshold"));
  c.v_reset = static_cast<float>(p.at("v_reset"));
  c.decay_input = d == 1.0;
  return std::make_shared<LifDynamics>(c);
}

}  // namespace snnsim::neurons
