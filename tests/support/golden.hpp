// SPDX-License-Identifier: MIT
#pragma once
/// The golden LMUFormer of ../shared/golden and its /golden data, loaded once per test binary,
/// and its images as trials.
#include <span>
#include <vector>

#include "models/lmuformer/golden.hpp"
#include "sim/run.hpp"
#include "tests/support/registries.hpp"

namespace snnsim::test {

inline const models::LmuformerModel& golden_lmuformer() {
  static const models::LmuformerModel m = models::load_lmuformer(golden_model(), registries().neurons);
  return m;
}

inline const models::GoldenData& golden_data() {
  static const models::GoldenData g = models::load_golden(golden_lmuformer());
  return g;
}

/// Golden image i's input, [steps][features].
inline std::span<const float> golden_input(std::size_t i) {
  const models::LmuformerConfig& c = golden_lmuformer().config;
  const std::size_t n = static_cast<std::size_t>(c.steps) * c.features;
  return {golden_data().inputs.data() + i * n, n};
}

/// The first `images` golden images (all by default) as the LMUFormer's trials.
struct GoldenTrials : sim::TrialSource {
  std::size_t images;
  explicit GoldenTrials(std::size_t n = golden_data().samples) : images(n) {}
  std::size_t count() const override { return images; }
  void fill(std::size_t i, sim::Stimulus& s, std::vector<float>&) const override {
    s.values[golden_lmuformer().input] = golden_input(i);
  }
};

}  // namespace snnsim::test
