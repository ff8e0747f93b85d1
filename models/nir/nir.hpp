// SPDX-License-Identifier: MIT
#pragma once
/// NIR (Neuromorphic Intermediate Representation, github.com/neuromorphs/NIR) files: HDF5 with a
/// root `version` string and a `node` group holding one NIRGraph (`type`, `nodes/<name>/...`,
/// `edges` as an (N, 2) array of variable-length UTF-8 strings, `metadata`).
///
/// How an snnsim network maps onto NIR (the writer; the reader inverts it exactly):
///  - Input population -> `Input` (shape [n]); Spiking "lif" population -> `LIF`; Analog
///    population (sum of its inputs, then its affine) -> `Affine` with a diagonal weight; a
///    spiking population's input affine (an unfolded BatchNorm) -> an `Affine` node in front of
///    its `LIF`. NIR sums every edge that enters a node, as snnsim sums the projections into a port.
///  - Projection -> per kernel tap k one `Affine` node (weight [out][in] = W[:, :, k]; the
///    projection's bias on tap 0, a zero bias elsewhere), preceded by a `Delay` node when the tap
///    reads the past. Identity projections are plain edges (or a `Delay` alone). Sparse synapse
///    lists become a dense `Affine` weight (duplicate synapses are refused).
///  - Time: NIR is continuous-time; snnsim is discrete with step dt (export option "dt", seconds,
///    default 1e-3). The non-causal look-ahead of centred convolutions is expressed with delays:
///    population p runs lag[p] steps late (sim::make_schedule), so its node's output at NIR step
///    tau is snnsim's value at step tau - lag[p] (metadata `lag`), and a tap reading source time
///    t + o gets a Delay of lag[p] - lag[s] - o >= 0 steps. A consumer holds each node in its
///    initial state for its first `lag` steps and reads outputs `lag` steps late.
///  - LIF time constants (snnsim "lif", forward Euler with dt as spikingjelly computes it):
///      NIR:    tau dv/dt = (v_leak - v) + r I,  spike when v > v_threshold, then v = v_reset
///      Euler:  v[t] = v[t-1] + (dt / tau) (v_leak - v[t-1] + r I[t])
///      snnsim: H = V + (I - (V - v_reset)) / tau_steps          (decay_input = 1)
///              H = V - (V - v_reset) / tau_steps + I            (decay_input = 0)
///    so tau = tau_steps * dt, v_leak = v_reset, r = 1 (decay_input = 1) or r = tau_steps
///    (decay_input = 0). snnsim fires at H >= theta, NIR at v > v_threshold: the written
///    v_threshold is the largest float32 below theta, which makes the strict test fire on
///    exactly the same float32 values. Node metadata repeats the snnsim parameters exactly
///    (`tau_steps`, `decay_input`, `v_threshold`) and names the discretisation.
/// What NIR cannot express is refused with the population or projection and the reason:
/// neuron models other than "lif", fixed spike trains, duplicate sparse synapses, names with '/'.
#include "models/network_io.hpp"

namespace snnsim::models {

/// Seconds per time step written when the export options give no "dt".
inline constexpr double nir_default_dt = 1e-3;
/// Steps of a network read from a NIR file without snnsim's `steps` metadata.
inline constexpr sim::TimeStep nir_default_steps = 100;

class NirExporter final : public Exporter {
 public:
  std::string_view name() const override { return "nir"; }
  std::string_view summary() const override {
    return "NIR graph (HDF5): Input, LIF, Affine, Delay, Output nodes; option dt (seconds, default 1e-3)";
  }
  sim::Support can_export(const sim::Network& net) const override;
  void write(const sim::Network& net, const std::filesystem::path& path,
             const ExportOptions& options) const override;
};

class NirImporter final : public NetworkImporter {
 public:
  std::string_view name() const override { return "nir"; }
  std::string_view summary() const override {
    return "NIR graph (HDF5, *.nir): Input, LIF, Affine, Linear, Delay, Output nodes";
  }
  bool accepts(const std::filesystem::path& path) const override;
  ImportedNetwork load(const std::filesystem::path& path, const sim::NeuronRegistry& neurons) const override;
};

}  // namespace snnsim::models
