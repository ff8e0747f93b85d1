// SPDX-License-Identifier: MIT
#pragma once
/// Fashion-MNIST test images as trials of a sequence model: image i becomes its [T][F] sequence
/// (models/datasets image_to_sequence) when a worker asks for it, so the dataset is never
/// expanded in memory.
#include "models/datasets/idx.hpp"
#include "sim/run.hpp"

namespace snnsim::tools {

class FashionTrials final : public sim::TrialSource {
 public:
  FashionTrials(const datasets::ImageSet& images, sim::PopulationId input, std::size_t steps, std::size_t features)
      : images_(&images), input_(input), steps_(steps), features_(features) {}
  std::size_t count() const override { return images_->count; }
  void fill(std::size_t trial, sim::Stimulus& stimulus, std::vector<float>& buffer) const override;

 private:
  const datasets::ImageSet* images_;
  sim::PopulationId input_;
  std::size_t steps_, features_;
};

}  // namespace snnsim::tools
