// SPDX-License-Identifier: MIT
#pragma once
/// Lava-dl NetX network files (HDF5), the layout lava-dl's `netx/hdf5.py` reads and its slayer
/// blocks write (lava-nc/lava-dl src/lava/lib/dl/netx/hdf5.py, utils.py NetDict, slayer
/// block/base.py export_hdf5, neuron/cuba.py device_params):
///   layer/<i>/type          "input" | "dense"            (string, shape [1])
///   layer/<i>/shape         int64 [n]
///   layer/<i>/inFeatures, outFeatures   int64 scalars     (dense)
///   layer/<i>/weight        float32 [out][in]: 8-bit integer weights in units of the
///                           compartment's activation (NetX re-derives the bits and exponent with
///                           optimize_weight_bits, which clips mixed-sign weights to [-256, 254])
///   layer/<i>/bias          float32 [out]: NetX loads it as bias_mant with bias_exp = 6
///   layer/<i>/delay         float32 [out]: synaptic delay beyond the one step between layers
///                           (only when > 0: a sparse projection's delay)
///   layer/<i>/neuron/{type "CUBA", iDecay, vDecay, vThMant, refDelay, gradedSpike}: Lava LIF
///                           with du = iDecay - 1, dv = vDecay, vth = vThMant
/// Layers form a chain: layer i + 1 reads layer i. Layer 0 is the spike input (shape only).
/// Time: Lava runs every layer from step 0 and Dense delivers one step later, so layer i computes
/// snnsim's step t at Lava step t + i (snnsim's kernel-1 projections read the same step); a layer
/// with a bias integrates it during its first i Lava steps, where snnsim's Loihi backend keeps
/// the core idle (its lag): spikes agree once those steps are discarded only for bias-free layers.
///
/// The integers come from the Loihi backend's quantiser (hw_backends/loihi/quantizer.hpp) for
/// Loihi 2 with the weight exponent fixed at 0: NetX stores the activation-unit weight itself and
/// accepts only 8-bit values (optimize_weight_bits), so a positive exponent (larger weights) or a
/// negative one (a floored dendritic sum) cannot be written. NetX fixes bias_exp = 6, so a
/// bias is written as round(bias_mant * 2^bias_exp / 64) (exact when bias_exp >= 6).
/// What NetX cannot express is refused with the population or projection and the list of
/// supported layers: analog streams, identity (residual) projections, temporal convolutions,
/// graded or fixed inputs, branches (a layer fed by anything but the layer before it), neuron
/// models other than "lif".
#include "models/network_io.hpp"

namespace snnsim::models {

class NetxExporter final : public Exporter {
 public:
  std::string_view name() const override { return "netx"; }
  std::string_view summary() const override {
    return "Lava-dl NetX (HDF5): input + dense layers of CUBA neurons, weights from the Loihi 2 quantiser";
  }
  sim::Support can_export(const sim::Network& net) const override;
  void write(const sim::Network& net, const std::filesystem::path& path,
             const ExportOptions& options) const override;
};

}  // namespace snnsim::models
