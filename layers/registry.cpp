// SPDX-License-Identifier: MIT
// The built-in layer kinds and their conformance examples. Each example is the layer as the
// LMUFormer uses it, fed by whatever population precedes it.
#include "layers/batch_norm.hpp"
#include "layers/channel_mixer.hpp"
#include "layers/classifier_head.hpp"
#include "layers/conv1d.hpp"
#include "layers/layer_kind.hpp"
#include "layers/linear.hpp"
#include "layers/lmu_memory.hpp"
#include "layers/lmu_token_mixer.hpp"
#include "layers/patch_embed.hpp"

namespace snnsim::layers {

namespace {

constexpr std::size_t kExampleWidth = 12;

/// A spiking population fed by `src` through a tensor-loaded projection with folded BatchNorm.
sim::PopulationId weighted_lif(BuildContext& ctx, sim::PopulationId src, const std::string& name,
                               sim::Conv1d c) {
  fold_batch_norm(load_batch_norm(ctx.weights, name + "_bn", c.out), c);
  const sim::PopulationId out = add_spiking(ctx, name + "_lif", c.out, name);
  ctx.net.connect(src, out, {name, 0, std::move(c)});
  return out;
}

class Conv1dKind final : public LayerKind {
 public:
  std::string_view name() const override { return "conv1d"; }
  std::string_view summary() const override { return "Conv1d over time, K = 1 or 3 (centred, one-step look-ahead)"; }
  sim::PopulationId build_example(BuildContext& ctx, RandomTensors&, const std::string& prefix,
                                  sim::PopulationId input) const override {
    const std::size_t in = ctx.net.population(input).size;
    // K = 3 on real values (MACs), then K = 3 and K = 1 on spikes (accumulates).
    sim::PopulationId a = weighted_lif(ctx, input, prefix + ".k3a", load_conv1d(ctx.weights, prefix + ".k3a", kExampleWidth, in, 3, false));
    sim::PopulationId b = weighted_lif(ctx, a, prefix + ".k3b", load_conv1d(ctx.weights, prefix + ".k3b", kExampleWidth, kExampleWidth, 3, true));
    return weighted_lif(ctx, b, prefix + ".k1", load_conv1d(ctx.weights, prefix + ".k1", kExampleWidth, kExampleWidth, 1, true));
  }
};

class LinearKind final : public LayerKind {
 public:
  std::string_view name() const override { return "linear"; }
  std::string_view summary() const override { return "Linear y = W x + b at every time step"; }
  sim::PopulationId build_example(BuildContext& ctx, RandomTensors&, const std::string& prefix,
                                  sim::PopulationId input) const override {
    const std::size_t in = ctx.net.population(input).size;
    sim::PopulationId a = weighted_lif(ctx, input, prefix + ".a", load_linear(ctx.weights, prefix + ".a", kExampleWidth, in, true));
    return weighted_lif(ctx, a, prefix + ".b", load_linear(ctx.weights, prefix + ".b", kExampleWidth, kExampleWidth, true));
  }
};

class BatchNormKind final : public LayerKind {
 public:
  std::string_view name() const override { return "batch_norm"; }
  std::string_view summary() const override { return "eval BatchNorm: folded into a weight layer, or an affine on a stream"; }
  sim::PopulationId build_example(BuildContext& ctx, RandomTensors&, const std::string& prefix,
                                  sim::PopulationId input) const override {
    const std::size_t n = ctx.net.population(input).size;
    const sim::PopulationId s =
        add_spiking(ctx, prefix + ".lif", n, prefix, as_affine(load_batch_norm(ctx.weights, prefix + ".bn", n)));
    ctx.net.connect(input, s, {prefix + ".bn", 0, sim::Identity{}});
    return s;
  }
};

class LmuMemoryKind final : public LayerKind {
 public:
  std::string_view name() const override { return "lmu_memory"; }
  std::string_view summary() const override { return "LMU memory m_t = sum_k H[:,k] u_{t-k} of a one-neuron spike train"; }
  sim::PopulationId build_example(BuildContext& ctx, RandomTensors& tensors, const std::string& prefix,
                                  sim::PopulationId input) const override {
    const std::size_t in = ctx.net.population(input).size;
    const sim::PopulationId u = weighted_lif(ctx, input, prefix + ".W_u", load_linear(ctx.weights, prefix + ".W_u", 1, in, true));
    const std::size_t memory = 2 * kExampleWidth;
    tensors.declare(prefix + ".H", {memory, static_cast<std::size_t>(ctx.net.steps())});
    const sim::PopulationId m = add_analog(ctx, prefix + ".memory", memory, prefix);
    ctx.net.connect(u, m, {prefix + ".H", 0, load_lmu_memory(ctx.weights, prefix, memory)});
    const sim::PopulationId q =
        add_spiking(ctx, prefix + ".f_m", memory, prefix, as_affine(load_batch_norm(ctx.weights, prefix + ".bn_m", memory)));
    ctx.net.connect(m, q, {prefix + ".bn_m", 0, sim::Identity{}});
    return q;
  }
};

class PatchEmbedKind final : public LayerKind {
 public:
  std::string_view name() const override { return "patch_embed"; }
  std::string_view summary() const override { return "LMUFormer spiking patch embedding (4 Conv3+BN+LIF, RPE residual)"; }
  sim::PopulationId build_example(BuildContext& ctx, RandomTensors&, const std::string& prefix,
                                  sim::PopulationId input) const override {
    return build_patch_embed(ctx, prefix, input, kExampleWidth);
  }
};

class LmuTokenMixerKind final : public LayerKind {
 public:
  std::string_view name() const override { return "lmu_token_mixer"; }
  std::string_view summary() const override { return "LMUFormer token mixer: spiking LMU cell + projection, residual"; }
  sim::PopulationId build_example(BuildContext& ctx, RandomTensors& tensors, const std::string& prefix,
                                  sim::PopulationId input) const override {
    const std::size_t memory = 2 * ctx.net.population(input).size;
    tensors.declare(prefix + ".lmu.H", {memory, static_cast<std::size_t>(ctx.net.steps())});
    return build_lmu_token_mixer(ctx, prefix, input, memory);
  }
};

class ChannelMixerKind final : public LayerKind {
 public:
  std::string_view name() const override { return "channel_mixer"; }
  std::string_view summary() const override { return "LMUFormer spiking channel mixer (MLP, 4x hidden), residual"; }
  sim::PopulationId build_example(BuildContext& ctx, RandomTensors&, const std::string& prefix,
                                  sim::PopulationId input) const override {
    return build_channel_mixer(ctx, prefix, input, 4 * ctx.net.population(input).size);
  }
};

class ClassifierHeadKind final : public LayerKind {
 public:
  std::string_view name() const override { return "classifier_head"; }
  std::string_view summary() const override { return "BN + LIF + Linear readout, logits = mean over steps"; }
  sim::PopulationId build_example(BuildContext& ctx, RandomTensors& tensors, const std::string& prefix,
                                  sim::PopulationId input) const override {
    tensors.declare(prefix + ".weight", {5, ctx.net.population(input).size});
    return build_classifier_head(ctx, input, prefix + "_bn", prefix + "_lif", prefix);
  }
};

}  // namespace

void register_builtin_layers(LayerRegistry& registry) {
  registry.add(std::make_unique<Conv1dKind>());
  registry.add(std::make_unique<LinearKind>());
  registry.add(std::make_unique<BatchNormKind>());
  registry.add(std::make_unique<LmuMemoryKind>());
  registry.add(std::make_unique<PatchEmbedKind>());
  registry.add(std::make_unique<LmuTokenMixerKind>());
  registry.add(std::make_unique<ChannelMixerKind>());
  registry.add(std::make_unique<ClassifierHeadKind>());
}

}  // namespace snnsim::layers
