// SPDX-License-Identifier: MIT
// cuba_lif_exact, if and leaky_integrator against hand computations of their update rules.
#include <doctest/doctest.h>

#include <cmath>

#include "sim/error.hpp"
#include "tests/support/registries.hpp"

using namespace snnsim;

namespace {

std::unique_ptr<sim::NeuronPopulationState<double>> make(const char* model, const sim::ParamValues& p, std::size_t n,
                                                         const sim::InitialState& init = {}) {
  const auto d = test::registries().neurons.get(model, "test", "model").instantiate(p, init, n, "net.toml", "populations.p");
  return d->make_state_f64(n);
}

std::string error_of(const char* model, const sim::ParamValues& p) {
  try {
    make(model, p, 1);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

const sim::ParamValues kCuba{{"tau_m", 0.02}, {"tau_e", 0.005}, {"tau_i", 0.01}, {"v_rest", -0.049},
                             {"v_reset", -0.06}, {"v_threshold", -0.05}, {"refractory", 0.0005}, {"dt", 1e-4}};

}  // namespace

TEST_CASE("cuba_lif_exact: the README's propagator update, strict threshold, refractory hold, every SIMD lane alike") {
  // 11 neurons: the AVX-512 (8), AVX (4), SSE2 (2) and scalar paths all take some of them.
  const std::size_t n = 11;
  auto s = make("cuba_lif_exact", kCuba, n, {{"v", std::vector<double>(n, -0.05002)}});
  const double dt = 1e-4, pvv = std::exp(-dt / 0.02), pee = std::exp(-dt / 0.005), pii = std::exp(-dt / 0.01);
  const double pve = 0.005 / (0.02 - 0.005) * (pvv - pee), pvi = 0.01 / (0.02 - 0.01) * (pvv - pii);
  double v = -0.05002, ge = 0.0, gi = 0.0;
  std::vector<int> fired_at;
  for (sim::TimeStep t = 0; t < 300; ++t) {
    if (t == 3)
      for (std::size_t i = 0; i < n; ++i) s->port(1)[i] += -0.002;  // inhibitory kick into gi
    if (t == 3) gi += -0.002;
    std::vector<std::uint32_t> spikes;
    s->step(t, spikes);
    // Hand computation, README order: v (old ge, gi), then decay; v_rest -49 mV drives it up.
    v = -0.049 + (v - -0.049) * pvv + ge * pve + gi * pvi;
    ge *= pee;
    gi *= pii;
    const bool fire = v > -0.05;
    if (fire) {
      v = -0.06;
      fired_at.push_back(static_cast<int>(t));
    }
    REQUIRE(spikes.size() == (fire ? n : 0));
    for (std::size_t i = 0; i < n; ++i) REQUIRE(s->variable("v")[i] == v);  // bit for bit, every lane
    if (fire) {
      // Refractory 5 steps: v held at v_reset, gi still decays.
      for (int k = 1; k < 5; ++k) {
        spikes.clear();
        s->step(++t, spikes);
        ge *= pee;
        gi *= pii;
        REQUIRE(spikes.empty());
        REQUIRE(s->variable("v")[0] == -0.06);
        REQUIRE(s->variable("gi")[10] == gi);
      }
    }
  }
  // The hand iteration above crosses -50 mV at step 142 (the gi kick at step 3 holds it back);
  // the engine matched it bit for bit at every step, and held v for the refractory steps.
  CHECK(fired_at == std::vector<int>{142});
}

TEST_CASE("cuba_lif_exact: bad parameters name the field, the bound and the value") {
  auto with = [](const char* k, double v) {
    sim::ParamValues p = kCuba;
    p[k] = v;
    return p;
  };
  CHECK(error_of("cuba_lif_exact", with("tau_m", -0.02)) == "net.toml: populations.p.tau_m: expected a value > 0 s, got -0.02");
  CHECK(error_of("cuba_lif_exact", with("tau_e", 5e-5)) ==
        "net.toml: populations.p.tau_e: expected a time constant of at least dt = 0.0001 s, got 5e-05 s");
  CHECK(error_of("cuba_lif_exact", with("refractory", 5e-5)) ==
        "net.toml: populations.p.refractory: expected 0 or a period of at least dt = 0.0001 s, got 5e-05 s");
  CHECK(error_of("cuba_lif_exact", with("tau_x", 1)) ==
        "net.toml: populations.p.tau_x: expected one of the parameters tau_m, tau_e, tau_i, v_rest, v_reset, v_threshold, "
        "refractory, dt, P_vv, P_ee, P_ii, P_ve, P_vi, got 'tau_x'");
}

TEST_CASE("if: integrates input without leak, strict threshold, reset, refractory discards input") {
  auto s = make("if", {{"v_threshold", 0.02}, {"v_reset", 0.0}, {"refractory", 3e-4}, {"dt", 1e-4}}, 3);
  std::vector<int> fired;
  for (sim::TimeStep t = 0; t < 12; ++t) {
    s->port(0)[1] += 0.005;  // 5 mV per step: 0.005, 0.010, 0.015, 0.020 (not > 20 mV), 0.025 fires
    std::vector<std::uint32_t> spikes;
    s->step(t, spikes);
    if (!spikes.empty()) fired.push_back(static_cast<int>(t));
    CHECK(s->variable("v")[0] == 0.0);
  }
  // Fires at step 4; steps 5 and 6 refractory (input lost), integrates again from step 7:
  // 0.005 .. 0.025 at step 11.
  CHECK(fired == std::vector<int>{4, 11});
}

TEST_CASE("leaky_integrator: v = v_rest + (v - v_rest) exp(-dt/tau) + input, never spikes") {
  auto s = make("leaky_integrator", {{"tau", 0.01}, {"v_rest", 0.0}, {"dt", 1e-3}}, 2);
  const double p = std::exp(-0.1);
  double v = 0;
  for (sim::TimeStep t = 0; t < 5; ++t) {
    if (t == 0) s->port(0)[0] += 1.0;
    std::vector<std::uint32_t> spikes;
    s->step(t, spikes);
    v = 0.0 + (v - 0.0) * p + (t == 0 ? 1.0 : 0.0);
    CHECK(spikes.empty());
    CHECK(s->variable("v")[0] == v);
    CHECK(s->variable("v")[1] == 0.0);
  }
  CHECK(v == doctest::Approx(std::exp(-0.4)));
}
