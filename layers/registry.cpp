// SPDX-License-Identifier: MIT
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
