// SPDX-License-Identifier: MIT
#pragma once
/// "loihi_cuba": Loihi's current-based (CUBA) leaky integrate-and-fire compartment in integer
/// arithmetic, bit for bit as Lava's bit-accurate CPU model computes it (lava-nc/lava,
/// src/lava/proc/lif/models.py: AbstractPyLifModelFixed.subthr_dynamics, scale_bias, and
/// PyLifModelBitAcc.scale_threshold / spiking_activation; checked against every integer of
/// ../shared/peers/lava/lif_bitacc.h5 in tests/neurons/loihi_cuba_test.cpp).
///
/// State per compartment: current u and voltage v, signed integers nominally 24 bits wide.
/// Constants: du, dv (12-bit unsigned decays, 0..4095), vth (17-bit unsigned threshold mantissa),
/// bias mantissa (13-bit signed, -4096..4095) and bias exponent (3 bits, 0..7 on the chip).
///
/// One time step with the input activation a (the dendritic sum the synapses delivered, already
/// scaled by each synapse group's weight exponent):
///   1. decay(x, d) = sign(x * (4096 - d)) * ((|x * (4096 - d)|) >> 12), a product in 64 bits,
///      i.e. rounding toward zero (models.py: np.sign(..) * np.right_shift(np.abs(..), 12)).
///   2. u' = decay(u, du + 1) + (a << 6). Lava adds ds_offset = 1 to du (a 1-bit Loihi 1
///      register), so du = 4095 decays u to 0 every step: no current memory.
///      The activation is left-shifted by act_shift = 6 for MSB alignment.
///   3. Wrap-around (models.py, once, not a modulo): if u' > 2^23 then u = u' - 2^24;
///      then if that value <= -2^23, u = u' + 2^24 (applied to u' itself). Note u' = +2^23 exactly
///      is kept as is, as Lava does.
///   4. v' = decay(v, dv) + u + bias, with dm_offset = 0 (dv = 4095 keeps 1/4096 of v),
///      bias = mantissa << exponent (exponent >= 0) or mantissa >> -exponent (arithmetic shift).
///   5. Saturation: v = clamp(v', -(2^23 - 1), 2^23 - 1).
///   6. Threshold, strict: a spike when v > vth << 6 (vth_shift = 6).
///   7. Reset: v = 0 after a spike; u is not reset. No refractory period (Lava's BitAcc model has
///      none; Loihi 1 has an optional one that this model does not use).
/// Synapses (Lava's Dense, src/lava/proc/dense/models.py PyDenseModelBitAcc, and
/// src/lava/utils/weightutils.py clip_weights/truncate_weights) deliver one step after the
/// spike; that delay lives in the backend, not in the neuron.
///
/// As a registered neuron model (for networks that carry Loihi parameters directly) the
/// population's port 0 receives the activation a as a real number that must be an integer; the
/// state is kept in double precision, which holds every 24-bit integer exactly.
#include <algorithm>
#include <cstdint>

#include "sim/neuron_model.hpp"

namespace snnsim::neurons {

/// Bit widths and shifts of the Loihi compartment (models.py AbstractPyLifModelFixed.__init__).
struct CubaFormat {
  static constexpr int decay_shift = 12;          ///< decays are 12-bit fractions of 4096
  static constexpr std::int64_t decay_unity = 4096;
  static constexpr int act_shift = 6;             ///< synaptic input MSB alignment
  static constexpr int vth_shift = 6;             ///< threshold MSB alignment
  static constexpr std::int64_t max_uv = std::int64_t{1} << 23;  ///< 24-bit signed u and v
  static constexpr std::int64_t du_max = 4095, dv_max = 4095;
  static constexpr std::int64_t vth_max = 131071;  ///< 17-bit unsigned
  static constexpr std::int64_t bias_mant_min = -4096, bias_mant_max = 4095;  ///< 13-bit signed
  static constexpr int bias_exp_min = 0, bias_exp_max = 7;                    ///< 3-bit
};

/// One population's integer constants (bias per compartment lives beside it).
struct CubaConstants {
  std::int64_t du = 0, dv = 0, vth = 0;
};

/// x * (4096 - d) / 4096 rounded toward zero, as Loihi decays u and v.
constexpr std::int64_t cuba_decay(std::int64_t x, std::int64_t d) {
  const std::int64_t p = x * (CubaFormat::decay_unity - d);
  const std::int64_t mag = (p < 0 ? -p : p) >> CubaFormat::decay_shift;
  return p < 0 ? -mag : mag;
}

/// Lava's wrap-around of the 24-bit current (step 3 of the header).
constexpr std::int64_t cuba_wrap_u(std::int64_t u) {
  const std::int64_t m = CubaFormat::max_uv;
  std::int64_t w = u > m ? u - 2 * m : u;
  if (w <= -m) w = u + 2 * m;
  return w;
}

/// The effective bias: mantissa shifted by the exponent (right shift for a negative exponent).
constexpr std::int64_t cuba_bias(std::int64_t mant, std::int64_t exp) {
  return exp >= 0 ? mant * (std::int64_t{1} << exp) : mant >> (-exp);
}

/// One compartment update: returns whether it fires; u and v are updated in place.
constexpr bool cuba_step(const CubaConstants& c, std::int64_t activation, std::int64_t bias,
                         std::int64_t& u, std::int64_t& v) {
  u = cuba_wrap_u(cuba_decay(u, c.du + 1) + activation * (std::int64_t{1} << CubaFormat::act_shift));
  const std::int64_t lim = CubaFormat::max_uv - 1;
  v = std::clamp(cuba_decay(v, c.dv) + u + bias, -lim, lim);
  const bool fire = v > (c.vth << CubaFormat::vth_shift);
  if (fire) v = 0;
  return fire;
}

class LoihiCuba final : public sim::NeuronModel {
 public:
  std::string_view name() const override { return "loihi_cuba"; }
  std::string_view summary() const override {
    return "Loihi CUBA compartment, integer, bit-exact with Lava PyLifModelBitAcc (du, dv, vth << 6, bias mant << exp)";
  }
  std::span<const sim::ParamSpec> params() const override;
  std::shared_ptr<const sim::NeuronDynamics> instantiate(const sim::ParamValues& values,
                                                         const sim::InitialState& initial,
                                                         std::size_t size, const std::string& source,
                                                         const std::string& where) const override;
};

/// The validated integer parameters of one loihi_cuba population (for the Loihi backend).
struct CubaPopulationParams {
  CubaConstants constants;
  std::int64_t bias_mant = 0, bias_exp = 0;
};

/// Reads du, dv, vth, bias_mant, bias_exp of a validated parameter set.
CubaPopulationParams cuba_params(const sim::ParamValues& validated);

}  // namespace snnsim::neurons
