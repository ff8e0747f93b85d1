// SPDX-License-Identifier: MIT
#pragma once
/// The spiking LMUFormer (arXiv 2402.04882) from a golden-layout HDF5 file (weights under their
/// PyTorch names in /weights, `config_json` at the root; ../shared/golden/README.md section 8).
/// Nothing is hard-coded: T and F come from config_json `data`, D, M, the MLP width, the depth and
/// the classes from the weight shapes, each LIF's parameters from config_json `neurons`.
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "layers/tensor_source.hpp"
#include "sim/network.hpp"
#include "sim/record.hpp"

namespace snnsim::models {

struct LmuformerConfig {
  sim::TimeStep steps = 0;    ///< T
  std::size_t features = 0;   ///< F, input values per step
  std::size_t dim = 0;        ///< D
  std::size_t memory = 0;     ///< M
  std::size_t hidden = 0;     ///< MLP width
  std::size_t depth = 0;      ///< blocks
  std::size_t classes = 0;
  std::vector<std::string> spiking_layers;  ///< forward order
};

struct LmuformerModel {
  std::filesystem::path path;
  LmuformerConfig config;
  std::unique_ptr<sim::Network> network;
  sim::PopulationId input = 0;
};

/// Reads and validates the file; builds the network. Throws Error naming the file, the field
/// (PyTorch name or config_json key), what was expected and what was found.
LmuformerModel load_lmuformer(const std::filesystem::path& path, const sim::NeuronRegistry& neurons);

/// Builds the network from any tensor source (a file, or random tensors in tests).
LmuformerModel build_lmuformer(const layers::TensorSource& weights, const LmuformerConfig& config,
                               const std::function<sim::ParamValues(const std::string&)>& neuron_params,
                               const sim::NeuronRegistry& neurons);

/// logits = (1/T) sum_t y_t of the network output "logits" (float32, summed in step order).
std::vector<float> mean_logits(const sim::TrialRecord& record, std::size_t classes);

/// The predicted class: the index of the largest logit (the first of equal ones, as argmax).
int predicted_class(std::span<const float> logits);

/// logits_cumulative[t] = (1/(t+1)) sum_{k<=t} y_k, [T][classes].
std::vector<float> cumulative_logits(const sim::TrialRecord& record, std::size_t classes);

}  // namespace snnsim::models
