// SPDX-License-Identifier: MIT
// loihi_cuba against Lava's own bit-accurate results (../shared/peers/lava/lif_bitacc.h5):
// RingBuffer -> Dense (weight clipping, truncation, exponent, one-step delay) -> LIF, every
// integer of u, v and the spikes, in four networks (one with wrap-around and saturation, one with
// a negative weight exponent and 6-bit weights).
#include <doctest/doctest.h>

#include <filesystem>

#include "hw_backends/loihi/synapse_format.hpp"
#include "neurons/loihi_cuba.hpp"
#include "sim/error.hpp"
#include "sim/hdf5/hdf5.hpp"

using namespace snnsim;
namespace loihi = snnsim::hw_backends::loihi;

namespace {

const std::filesystem::path kLava = std::filesystem::path(SNNSIM_SOURCE_DIR) / "../shared/peers/lava/lif_bitacc.h5";

struct LavaCase {
  std::int64_t du, dv, vth, weight_exp, weight_bits;
  h5::Array<std::int64_t> weights, weights_eff, bias, bias_exp, spikes_in, spikes, u, v;
};

LavaCase load(const h5::Group& root, const std::string& name) {
  const h5::Group g = root.group(name);
  LavaCase c{g.read_int_attr("", "du"), g.read_int_attr("", "dv"), g.read_int_attr("", "vth"),
             g.read_int_attr("", "weight_exp"), g.read_int_attr("", "num_weight_bits"),
             g.read<std::int64_t>("weights"), g.read<std::int64_t>("weights_eff"), g.read<std::int64_t>("bias"),
             g.read<std::int64_t>("bias_exp"), g.read<std::int64_t>("spikes_in"), g.read<std::int64_t>("spikes"),
             g.read<std::int64_t>("u"), g.read<std::int64_t>("v")};
  return c;
}

/// Runs one case through the integer compartment and checks every step; returns the spike count.
std::int64_t check_case(const LavaCase& c, const std::string& name) {
  const std::size_t n_out = c.weights.shape[0], n_in = c.weights.shape[1], steps = c.spikes_in.shape[0];
  const std::vector<std::int64_t> w = loihi::effective_weights(c.weights.data, static_cast<int>(c.weight_bits));
  CHECK_MESSAGE(w == c.weights_eff.data, name << ": Dense clipping/truncation");
  const neurons::CubaConstants k{c.du, c.dv, c.vth};
  std::vector<std::int64_t> u(n_out, 0), v(n_out, 0);
  std::int64_t fired = 0;
  for (std::size_t t = 0; t < steps; ++t) {
    for (std::size_t o = 0; o < n_out; ++o) {
      // Dense's one-step delay: row t of the state sees the input spikes of row t - 1.
      std::int64_t sum = 0;
      if (t > 0)
        for (std::size_t i = 0; i < n_in; ++i) sum += w[o * n_in + i] * c.spikes_in.data[(t - 1) * n_in + i];
      const std::int64_t a = loihi::apply_weight_exp(sum, static_cast<int>(c.weight_exp));
      const bool spike = neurons::cuba_step(k, a, neurons::cuba_bias(c.bias.data[o], c.bias_exp.data[o]), u[o], v[o]);
      const std::size_t at = t * n_out + o;
      REQUIRE_MESSAGE(u[o] == c.u.data[at], name << " step " << t << " neuron " << o);
      REQUIRE_MESSAGE(v[o] == c.v.data[at], name << " step " << t << " neuron " << o);
      REQUIRE_MESSAGE(static_cast<std::int64_t>(spike) == c.spikes.data[at], name << " step " << t << " neuron " << o);
      fired += spike;
    }
  }
  return fired;
}

}  // namespace

TEST_CASE("loihi_cuba reproduces every integer of Lava's PyLifModelBitAcc + PyDenseModelBitAcc") {
  const h5::File file = h5::File::open_read(kLava);
  // Spike totals as Lava produced them (python: f[g]['spikes'][()].sum()).
  CHECK(check_case(load(file, "lmuformer_like"), "lmuformer_like") == 65);
  CHECK(check_case(load(file, "integrate_and_fire_bias"), "integrate_and_fire_bias") == 286);
  CHECK(check_case(load(file, "mixed_exponent"), "mixed_exponent") == 602);
  const LavaCase sat = load(file, "saturation_and_wrap");
  CHECK(check_case(sat, "saturation_and_wrap") == 23);
  // The case does reach the limits: v saturates at -(2^23 - 1) and u comes within 2^15 of 2^23.
  CHECK(*std::min_element(sat.v.data.begin(), sat.v.data.end()) == -8388607);
  CHECK(*std::max_element(sat.u.data.begin(), sat.u.data.end()) == 8354648);
}

TEST_CASE("loihi_cuba integer rules by hand") {
  // Decay rounds toward zero: 1001 * 2048 / 4096 = 500.5 -> 500, and -500 for -1001.
  CHECK(neurons::cuba_decay(1001, 2048) == 500);
  CHECK(neurons::cuba_decay(-1001, 2048) == -500);
  // du = 4095 means a decay constant of 4096 inside Lava: the current has no memory.
  std::int64_t u = 5000, v = 0;
  CHECK_FALSE(neurons::cuba_step({4095, 2048, 100}, 3, 0, u, v));
  CHECK(u == 3 * 64);
  CHECK(v == 192);
  // Wrap-around once: 2^23 + 5 -> 5 - 2^23; -2^23 -> 0 ... exactly as Lava's two np.where.
  CHECK(neurons::cuba_wrap_u((1 << 23) + 5) == 5 - (1 << 23));
  CHECK(neurons::cuba_wrap_u(-(1 << 23)) == (1 << 23));
  CHECK(neurons::cuba_wrap_u(1 << 23) == (1 << 23));
  // Strict threshold: v = vth << 6 does not fire, one more does.
  u = 0;
  v = 0;
  CHECK_FALSE(neurons::cuba_step({4095, 4095, 1}, 1, 0, u, v));
  u = 0;
  v = 0;
  CHECK(neurons::cuba_step({4095, 4095, 1}, 1, 1, u, v));
  CHECK(v == 0);
  CHECK(loihi::apply_weight_exp(-3, -1) == -2);  // floor, as numpy's right_shift
  CHECK(loihi::apply_weight_exp(3, 2) == 12);
}

TEST_CASE("loihi_cuba as a registered model: integer parameters, errors named") {
  const neurons::LoihiCuba model;
  const auto d = model.instantiate({{"du", 4095}, {"dv", 2048}, {"vth", 10}}, {}, 2, "net.h5", "pop");
  auto s = d->make_state_f64(2);
  s->port(0)[0] = 6;  // 6 << 6 = 384 <= 640: no spike
  s->port(0)[1] = 11;  // 704 > 640: spike
  std::vector<std::uint32_t> fired;
  s->step(0, fired);
  CHECK(fired == std::vector<std::uint32_t>{1});
  CHECK(s->variable("u")[0] == 384.0);
  CHECK(s->variable("v")[0] == 384.0);
  CHECK(s->variable("v")[1] == 0.0);
  CHECK_THROWS_WITH_AS(model.instantiate({{"du", 4095}, {"vth", 1.5}}, {}, 1, "net.h5", "pop"),
                       "net.h5: pop.vth: expected an integer (Loihi registers are integers), got 1.5", Error);
}
