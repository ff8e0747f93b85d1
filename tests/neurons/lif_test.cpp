// SPDX-License-Identifier: MIT
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include <doctest/doctest.h>

#include "neurons/lif.hpp"
#include "sim/error.hpp"
#include "sim/isa.hpp"
#include "tests/support/registries.hpp"

using namespace snnsim;

namespace {

std::unique_ptr<sim::NeuronPopulationState<float>> make(const sim::ParamValues& p, std::size_t n) {
  const auto d = test::registries().neurons.get("lif", "test", "model").instantiate(p, {}, n, "test.h5", "pop");
  return d->make_state_f32(n);
}

/// Feeds `inputs` to one neuron; returns its spikes and leaves the membrane trace in `v`.
std::vector<int> drive(sim::NeuronPopulationState<float>& s, const std::vector<float>& inputs, std::vector<float>& v) {
  std::vector<int> spikes;
  for (std::size_t t = 0; t < inputs.size(); ++t) {
    s.port(0)[0] = inputs[t];
    std::vector<std::uint32_t> fired;
    s.step(static_cast<sim::TimeStep>(t), fired);
    spikes.push_back(static_cast<int>(fired.size()));
    v.push_back(s.variable("v")[0]);
  }
  return spikes;
}

/// A float's bits, every NaN as one: which operand's NaN an add returns (its sign and payload) is
/// up to the compiler's operand order (clang's reference gave +NaN where the kernels give -NaN).
std::uint32_t bits_of(float x) { return std::isnan(x) ? 0x7fc00000u : std::bit_cast<std::uint32_t>(x); }

std::string error_of(const sim::ParamValues& p) {
  try {
    make(p, 1);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("lif follows H = V + (I - V) / tau, fires at H >= threshold and resets to 0 (hand computation)") {
  auto s = make({}, 1);  // tau 2, threshold 1, reset 0, decay_input
  std::vector<float> v;
  // H0 = 0 + 1.5/2 = 0.75; H1 = 0.75 + (0.25 - 0.75)/2 = 0.5; H2 = 0.5 + (2 - 0.5)/2 = 1.25 -> spike, V = 0;
  // H3 = 0 + 2/2 = 1.0 exactly -> spike (inclusive threshold); H4 = 0 + (-1 - 0)/2 = -0.5.
  const auto spikes = drive(*s, {1.5f, 0.25f, 2.0f, 2.0f, -1.0f}, v);
  CHECK(spikes == std::vector<int>{0, 0, 1, 1, 0});
  CHECK(v == std::vector<float>{0.75f, 0.5f, 0.0f, 0.0f, -0.5f});
}

TEST_CASE("lif keeps spikingjelly's float32 operation order, which differs from 0.5 V + 0.5 I") {
  // Found with NumPy float32: V + (I - V)/2 = 0.14610087871551514 but 0.5V + 0.5I = 0.14610084891319275.
  const float v0 = 0.6554051637649536f, input = -0.3632034659385681f;
  neurons::LifConstants c;
  float v = v0;
  CHECK_FALSE(neurons::lif_step(c, input, v));
  CHECK(v == 0.14610087871551514f);
  CHECK(v != 0.5f * v0 + 0.5f * input);
}

TEST_CASE("lif variants: a lower threshold, no input decay, a non-zero reset") {
  {
    auto s = make({{"v_threshold", 0.5}}, 1);
    std::vector<float> v;
    CHECK(drive(*s, {1.0f, 0.9f}, v) == std::vector<int>{1, 0});  // H0 = 0.5 fires; H1 = 0.45
    CHECK(v[1] == 0.45f);
  }
  {
    auto s = make({{"decay_input", 0.0}}, 1);  // H = V - V/tau + I
    std::vector<float> v;
    CHECK(drive(*s, {0.75f, 0.7f}, v) == std::vector<int>{0, 1});  // H0 = 0.75; H1 = 0.75 - 0.375 + 0.7 = 1.075
  }
  {
    auto s = make({{"v_reset", -0.25}}, 1);  // starts at v_reset; H = V + (I - (V - v_reset)) / tau
    std::vector<float> v;
    // H0 = -0.25 + (1 - 0)/2 = 0.25; H1 = 0.25 + (2 - 0.5)/2 = 1.0 fires, back to -0.25.
    CHECK(drive(*s, {1.0f, 2.0f}, v) == std::vector<int>{0, 1});
    CHECK(v == std::vector<float>{0.25f, -0.25f});
  }
}

TEST_CASE("lif rejects bad parameters with one line naming the field") {
  CHECK(error_of({{"tau", 0.5}}) == "test.h5: pop.tau: expected a value in (1, 1e+09] steps, got 0.5");
  CHECK(error_of({{"tau_m", 2.0}}) ==
        "test.h5: pop.tau_m: expected one of the parameters tau, v_threshold, v_reset, decay_input, got 'tau_m'");
  CHECK(error_of({{"decay_input", 0.5}}) == "test.h5: pop.decay_input: expected 0 or 1, got 0.5");
  CHECK(error_of({{"v_threshold", std::nan("")}}) ==
        "test.h5: pop.v_threshold: expected a value in [-1e+30, 1e+30], got nan");
}

TEST_CASE("lif population update: every vector width and the reciprocal path equal lif_step() bit for bit") {
  // 47 neurons: 2 x 16 for AVX-512 (or 5 x 8 for AVX2), then SSE2 and scalar tails; tau 2
  // and 4 (powers of two) take the multiply-by-1/tau path, tau 3 and 1.5 the division. Inputs include values
  // right at the threshold, subnormals, infinities and NaN.
  const std::size_t n = 47;
  for (const double tau : {2.0, 4.0, 3.0, 1.5}) {
    CAPTURE(tau);
    auto s = make({{"tau", tau}}, n);
    neurons::LifConstants c;
    c.tau = static_cast<float>(tau);
    std::vector<float> v(n, 0.0f);
    std::uint32_t state = 12345;
    auto next = [&state] {
      state = state * 1664525u + 1013904223u;
      return static_cast<float>(static_cast<double>(state >> 8) / 16777216.0 * 4.0 - 1.0);
    };
    const float specials[] = {1.0f, 2.0f, 1e-40f, -1e-40f, std::numeric_limits<float>::infinity(),
                              -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN()};
    for (sim::TimeStep t = 0; t < 40; ++t) {
      std::vector<std::uint32_t> expected;
      std::span<float> in = s->port(0);
      for (std::size_t i = 0; i < n; ++i) {
        const float x = (t * 7 + static_cast<sim::TimeStep>(i)) % 13 == 0 ? specials[(t + static_cast<sim::TimeStep>(i)) % 7] : next();
        in[i] = x;
        if (neurons::lif_step(c, x, v[i])) expected.push_back(static_cast<std::uint32_t>(i));
      }
      std::vector<std::uint32_t> fired{999};  // the step appends after what is there
      s->step(t, fired);
      CHECK(fired.front() == 999);
      CHECK(std::vector<std::uint32_t>(fired.begin() + 1, fired.end()) == expected);
      const std::span<const float> got = s->variable("v");
      for (std::size_t i = 0; i < n; ++i) CHECK(bits_of(got[i]) == bits_of(v[i]));
      for (float x : s->port(0)) CHECK(x == 0.0f);  // the input port is cleared by the step
    }
  }
}

TEST_CASE("lif fast path: every kernel version this processor runs gives lif_step()'s bits and spikes") {
  // The population state runs only the best version; this runs each (AVX-512, AVX2, baseline)
  // on population sizes that end in every kind of tail, with the same special inputs as above.
  const float specials[] = {1.0f, 2.0f, 1e-40f, -1e-40f, std::numeric_limits<float>::infinity(),
                            -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN()};
  for (const float tau : {2.0f, 3.0f}) {
    neurons::LifConstants c;
    c.tau = tau;
    for (const std::size_t n : {1, 3, 4, 7, 8, 15, 16, 17, 33, 47, 128}) {
      for (const sim::Isa isa : sim::supported_isas()) {
        CAPTURE(tau);
        CAPTURE(n);
        CAPTURE(static_cast<int>(isa));
        std::vector<float> v(n, 0.0f), v_ref(n, 0.0f), input(n);
        std::vector<std::uint32_t> fired(n + neurons::kLifFiredSlack);
        std::uint32_t state = 777;
        for (int t = 0; t < 30; ++t) {
          std::vector<std::uint32_t> expected;
          for (std::size_t i = 0; i < n; ++i) {
            state = state * 1664525u + 1013904223u;
            const float x = (static_cast<std::size_t>(t) * 5 + i) % 11 == 0
                                ? specials[(static_cast<std::size_t>(t) + i) % 7]
                                : static_cast<float>(static_cast<double>(state >> 8) / 16777216.0 * 4.0 - 1.0);
            input[i] = x;
            if (neurons::lif_step(c, x, v_ref[i])) expected.push_back(static_cast<std::uint32_t>(i));
          }
          const std::size_t count = neurons::lif_step_reset0(isa, c, v.data(), input.data(), n, fired.data());
          CHECK(std::vector<std::uint32_t>(fired.begin(), fired.begin() + static_cast<std::ptrdiff_t>(count)) == expected);
          std::vector<std::uint32_t> bits(n), bits_ref(n);
          for (std::size_t i = 0; i < n; ++i) {
            bits[i] = bits_of(v[i]);
            bits_ref[i] = bits_of(v_ref[i]);
          }
          CHECK(bits == bits_ref);
          CHECK(input == std::vector<float>(n, 0.0f));  // the input is cleared as it is read
        }
      }
    }
  }
}
