// SPDX-License-Identifier: MIT
#include "models/lmuformer/lmuformer.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "layers/build_context.hpp"
#include "layers/channel_mixer.hpp"
#include "layers/classifier_head.hpp"
#include "layers/lmu_token_mixer.hpp"
#include "layers/patch_embed.hpp"
#include "models/lmuformer/h5_tensors.hpp"
#include "sim/error.hpp"
#include "sim/memory_limit.hpp"

namespace snnsim::models {

namespace {

using nlohmann::json;

/// A positive integer at `key` (e.g. "data.steps") of config_json.
std::size_t config_size(const json& config, const std::string& file, const std::string& key) {
  const json* node = &config;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = key.find('.', start);
    const std::string part = key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!node->is_object() || !node->contains(part))
      throw Error(file, "config_json: " + key, "a positive integer", "nothing");
    node = &(*node)[part];
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (!node->is_number_integer() || node->get<std::int64_t>() < 1)
    throw Error(file, "config_json: " + key, "a positive integer", node->dump());
  return node->get<std::size_t>();
}

/// The dimension `axis` of tensor `name`, checking its rank.
std::size_t dim_of(const layers::TensorSource& w, const std::string& name, std::size_t rank, std::size_t axis) {
  const layers::Shape s = w.shape(name);
  if (s.size() != rank || s[axis] == 0)
    throw Error(w.origin(), "/weights/" + name, fmt::format("a tensor of rank {} with non-zero sizes", rank),
                "shape " + layers::shape_text(s));
  return s[axis];
}

sim::ParamValues lif_params(const json& config, const std::string& file, const std::string& layer) {
  const std::string field = "config_json: neurons." + layer;
  if (!config.contains("neurons") || !config["neurons"].contains(layer))
    throw Error(file, field, "LIF parameters (tau, v_threshold, v_reset, decay_input)", "nothing");
  const json& n = config["neurons"][layer];
  sim::ParamValues p;
  for (const char* key : {"tau", "v_threshold", "v_reset"}) {
    if (!n.contains(key)) continue;
    if (!n[key].is_number()) throw Error(file, field + "." + key, "a number", n[key].dump());
    p[key] = n[key].get<double>();
  }
  if (n.contains("decay_input")) {
    if (!n["decay_input"].is_boolean() && !n["decay_input"].is_number())
      throw Error(file, field + ".decay_input", "true or false", n["decay_input"].dump());
    p["decay_input"] = n["decay_input"].is_boolean() ? (n["decay_input"].get<bool>() ? 1.0 : 0.0)
                                                      : n["decay_input"].get<double>();
  }
  return p;
}

}  // namespace

LmuformerModel build_lmuformer(const layers::TensorSource& weights, const LmuformerConfig& config,
                               const std::function<sim::ParamValues(const std::string&)>& neuron_params,
                               const sim::NeuronRegistry& neurons) {
  LmuformerModel model;
  model.config = config;
  model.network = std::make_unique<sim::Network>("lmuformer", config.steps, sim::Precision::F32);
  sim::Network& net = *model.network;
  layers::BuildContext ctx{net, weights, neurons, "lif", neuron_params};

  sim::Population input;
  input.name = "input";
  input.size = config.features;
  input.kind = sim::PopulationKind::Input;
  input.graded = true;
  input.layer = "input";
  model.input = net.add_population(std::move(input));

  sim::PopulationId z = layers::build_patch_embed(ctx, "patch_embed", model.input, config.dim);
  for (std::size_t j = 0; j < config.depth; ++j) {
    const std::string block = "block." + std::to_string(j);
    z = layers::build_lmu_token_mixer(ctx, block + ".attn", z, config.memory);
    z = layers::build_channel_mixer(ctx, block + ".mlp", z, config.hidden);
  }
  layers::build_classifier_head(ctx, z, "head_bn", "head_lif", "head");
  return model;
}

LmuformerModel load_lmuformer(const std::filesystem::path& path, const sim::NeuronRegistry& neurons) {
  const h5::File file = h5::File::open_read(path);
  const std::string origin = path.string();
  if (!file.has_attr("", "config_json"))
    throw Error(origin, "config_json", "a JSON attribute on the root group", "nothing");
  json config;
  try {
    config = json::parse(file.read_string_attr("", "config_json"));
  } catch (const json::parse_error& e) {
    throw Error(origin, "config_json", "valid JSON", fmt::format("a parse error at byte {}", e.byte));
  }
  if (!config.is_object()) throw Error(origin, "config_json", "a JSON object", config.type_name());

  const H5Tensors weights(file);
  LmuformerConfig c;
  c.steps = static_cast<sim::TimeStep>(config_size(config, origin, "data.steps"));
  c.features = config_size(config, origin, "data.features");
  c.dim = dim_of(weights, "patch_embed.proj_conv.weight", 3, 0);
  const std::size_t f_weights = dim_of(weights, "patch_embed.proj_conv.weight", 3, 1);
  if (f_weights != c.features)
    throw Error(origin, "/weights/patch_embed.proj_conv.weight",
                fmt::format("{} input channels (config_json: data.features)", c.features),
                fmt::format("{}", f_weights));
  while (weights.has("block." + std::to_string(c.depth) + ".attn.lmu.H")) ++c.depth;
  if (c.depth == 0) throw Error(origin, "/weights/block.0.attn.lmu.H", "a dataset (at least one block)", "nothing");
  if (config.contains("constructor") && config["constructor"].contains("depths") &&
      config["constructor"]["depths"].is_number_integer() &&
      config["constructor"]["depths"].get<std::size_t>() != c.depth)
    throw Error(origin, "config_json: constructor.depths",
                fmt::format("{} (the blocks present in /weights)", c.depth), config["constructor"]["depths"].dump());
  c.memory = dim_of(weights, "block.0.attn.lmu.H", 2, 0);
  c.hidden = dim_of(weights, "block.0.mlp.fc1_conv.weight", 3, 0);
  c.classes = dim_of(weights, "head.weight", 2, 0);

  auto params = [&](const std::string& layer) { return lif_params(config, origin, layer); };
  LmuformerModel model = build_lmuformer(weights, c, params, neurons);
  sim::check_memory(sim::trial_bytes(*model.network), origin, "config_json: data.steps", "to simulate one trial");
  model.path = path;
  for (sim::PopulationId id = 0; id < model.network->population_count(); ++id)
    if (model.network->population(id).kind == sim::PopulationKind::Spiking)
      model.config.spiking_layers.push_back(model.network->population(id).name);
  return model;
}

std::vector<float> mean_logits(const sim::TrialRecord& record, std::size_t classes) {
  std::vector<float> sum(classes, 0.0f);
  const std::vector<double>& y = record.outputs.at(0);
  for (sim::TimeStep t = 0; t < record.steps; ++t)
    for (std::size_t c = 0; c < classes; ++c) sum[c] += static_cast<float>(y[static_cast<std::size_t>(t) * classes + c]);
  for (float& v : sum) v /= static_cast<float>(record.steps);
  return sum;
}

int predicted_class(std::span<const float> logits) {
  return static_cast<int>(std::max_element(logits.begin(), logits.end()) - logits.begin());
}

std::vector<float> cumulative_logits(const sim::TrialRecord& record, std::size_t classes) {
  std::vector<float> out(static_cast<std::size_t>(record.steps) * classes);
  std::vector<float> sum(classes, 0.0f);
  const std::vector<double>& y = record.outputs.at(0);
  for (sim::TimeStep t = 0; t < record.steps; ++t)
    for (std::size_t c = 0; c < classes; ++c) {
      sum[c] += static_cast<float>(y[static_cast<std::size_t>(t) * classes + c]);
      out[static_cast<std::size_t>(t) * classes + c] = sum[c] / static_cast<float>(t + 1);
    }
  return out;
}

}  // namespace snnsim::models
