// SPDX-License-Identifier: MIT
#include "tools/snnsim/fashion_trials.hpp"

namespace snnsim::tools {

void FashionTrials::fill(std::size_t trial, sim::Stimulus& stimulus, std::vector<float>& buffer) const {
  const std::size_t pixels = images_->rows * images_->cols;
  buffer = datasets::image_to_sequence(images_->pixels.data() + trial * pixels, images_->rows, images_->cols,
                                       steps_, features_);
  stimulus.values[input_] = buffer;
}

}  // namespace snnsim::tools
