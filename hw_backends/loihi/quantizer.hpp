// SPDX-License-Identifier: MIT
#pragma once
/// From the lowered float network to the integer Program a Loihi chip runs.
///
/// The spikingjelly LIF (tau, decay_input = 1, hard reset to 0):
///     H_t = V_{t-1} + (I_t - V_{t-1}) / tau,  spike if H_t >= V_th,  V_t = 0 after a spike
/// maps onto the CUBA compartment (neurons/loihi_cuba.hpp) with
///     du = 4095 (Lava adds 1: the current forgets everything, u_t = a_t << 6),
///     dv = round(4096 / tau) (tau = 2: dv = 2048, v/2 rounded toward zero),
///     v = sigma * H: a weight w becomes w * sigma / tau in units of u (a mantissa m with
///     m * 2^(6 + weight_exp) ~ w * sigma / tau), the bias b becomes b * sigma / tau
///     (bias_mant << bias_exp), the threshold vth << 6 = sigma * V_th.
/// For decay_input = 0 (H = V - V/tau + I) the factor is sigma instead of sigma / tau.
/// Differences that remain: v/2 is rounded toward zero, the threshold is strict (v > vth << 6
/// against H >= V_th), and every weight and bias is rounded to its format.
///
/// sigma is chosen per compartment group: vth = the largest value up to `target_vth` for which
/// (a) the worst-case input current (|bias| + sum |w|) stays below 2^22 in u (no wrap-around)
/// and (b) the group's largest weight fits the mantissa at the chip's largest weight exponent.
/// Each synapse group (one source population feeding one target population, all its taps)
/// gets the weight exponent with the least squared weight error among those that clip no weight
/// (no mantissa overflow).
#include <string>

#include "hw_backends/loihi/chip.hpp"
#include "hw_backends/loihi/lowering.hpp"
#include "hw_backends/loihi/program.hpp"

namespace snnsim::hw_backends::loihi {

struct QuantizeOptions {
  std::int64_t target_vth = 4096;  ///< preferred threshold mantissa (resolution of v vs V_th)
};

/// Builds the program: lags and per-tap delays (error naming the layer when a delay exceeds the
/// chip's range), integer CUBA constants, quantised weights and biases with their error stats.
Program quantize(const LoweredNetwork& net, const ChipSpec& chip, const QuantizeOptions& options,
                 const std::string& source);

}  // namespace snnsim::hw_backends::loihi
