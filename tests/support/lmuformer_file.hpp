// SPDX-License-Identifier: MIT
#pragma once
/// Writes LMUFormer model files in the golden HDF5 layout with seeded random weights, of any
/// width, depth and sequence layout, optionally damaged (a missing weight, a wrong shape, a NaN,
/// a bad config_json) for the bad-input tests.
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "layers/random_tensors.hpp"
#include "sim/hdf5/hdf5.hpp"

namespace snnsim::test {

struct LmuformerShape {
  std::size_t steps = 28, features = 28, dim = 16, memory = 32, hidden = 64, depth = 1, classes = 10;
  std::uint64_t seed = 7;
  double gain = 1.0;
};

struct Damage {
  std::string drop{};                 ///< a weight to leave out
  std::string reshape{};              ///< a weight written with its first dimension + 1
  std::string nan{};                  ///< a weight whose element 3 is NaN
  std::string config_json{};          ///< replaces config_json when non-empty
};

/// Every (PyTorch name, shape) of the model, in state_dict order.
inline std::vector<std::pair<std::string, std::vector<std::size_t>>> lmuformer_tensors(const LmuformerShape& s) {
  std::vector<std::pair<std::string, std::vector<std::size_t>>> t;
  auto bn = [&](const std::string& p, std::size_t n) {
    for (const char* k : {"weight", "bias", "running_mean", "running_var"}) t.push_back({p + "." + k, {n}});
  };
  const std::size_t D = s.dim;
  t.push_back({"patch_embed.proj_conv.weight", {D, s.features, 3}});
  bn("patch_embed.proj_bn", D);
  for (const char* i : {"1", "2", "3"}) {
    t.push_back({std::string("patch_embed.proj_conv") + i + ".weight", {D, D, 3}});
    bn(std::string("patch_embed.proj_bn") + i, D);
  }
  t.push_back({"patch_embed.rpe_conv.weight", {D, D, 3}});
  for (std::size_t j = 0; j < s.depth; ++j) {
    const std::string b = "block." + std::to_string(j);
    bn(b + ".attn.prev_bn", D);
    t.push_back({b + ".attn.lmu.W_u.weight", {1, D}});
    t.push_back({b + ".attn.lmu.W_u.bias", {1}});
    bn(b + ".attn.lmu.bn_u", 1);
    t.push_back({b + ".attn.lmu.H", {s.memory, s.steps}});
    bn(b + ".attn.lmu.bn_m", s.memory);
    t.push_back({b + ".attn.lmu.W_h.weight", {D, s.memory + D}});
    t.push_back({b + ".attn.lmu.W_h.bias", {D}});
    bn(b + ".attn.lmu.bn_h", D);
    t.push_back({b + ".attn.proj_conv.weight", {D, D, 1}});
    t.push_back({b + ".attn.proj_conv.bias", {D}});
    bn(b + ".attn.proj_bn", D);
    bn(b + ".mlp.fc1_bn", D);
    t.push_back({b + ".mlp.fc1_conv.weight", {s.hidden, D, 1}});
    t.push_back({b + ".mlp.fc1_conv.bias", {s.hidden}});
    bn(b + ".mlp.fc2_bn", s.hidden);
    t.push_back({b + ".mlp.fc2_conv.weight", {D, s.hidden, 1}});
    t.push_back({b + ".mlp.fc2_conv.bias", {D}});
  }
  bn("head_bn", D);
  t.push_back({"head.weight", {s.classes, D}});
  t.push_back({"head.bias", {s.classes}});
  return t;
}

inline std::vector<std::string> lmuformer_spiking_layers(const LmuformerShape& s) {
  std::vector<std::string> l = {"patch_embed.proj_lif", "patch_embed.proj_lif1", "patch_embed.proj_lif2",
                                "patch_embed.proj_lif3"};
  for (std::size_t j = 0; j < s.depth; ++j) {
    const std::string b = "block." + std::to_string(j);
    for (const char* n : {".attn.prev_lif", ".attn.lmu.f_u", ".attn.lmu.f_m", ".attn.lmu.f_h", ".mlp.fc1_lif", ".mlp.fc2_lif"})
      l.push_back(b + n);
  }
  l.push_back("head_lif");
  return l;
}

inline void write_lmuformer_file(const std::filesystem::path& path, const LmuformerShape& s, const Damage& damage = {}) {
  layers::RandomTensors random(s.seed, s.gain);
  h5::AtomicH5Writer out(path);
  h5::Group weights = out.root().create_group("weights");
  for (const auto& [name, shape] : lmuformer_tensors(s)) {
    if (name == damage.drop) continue;
    std::vector<std::size_t> written = shape;
    if (name == damage.reshape) ++written[0];
    std::vector<float> v;
    for (double x : random.get(name, written).values) v.push_back(static_cast<float>(x));
    if (name.ends_with(".H"))  // a decaying impulse response, as an LMU's is
      for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(0.6 * std::cos(0.7 * double(i % written[1]) + double(i / written[1])));
    if (name == damage.nan) v.at(3) = std::nanf("");
    weights.write<float>(name, v, written);
  }
  nlohmann::json config;
  config["data"] = {{"steps", s.steps}, {"features", s.features}};
  config["constructor"] = {{"depths", s.depth}};
  for (const std::string& layer : lmuformer_spiking_layers(s))
    config["neurons"][layer] = {{"tau", 2.0}, {"v_threshold", layer.ends_with("prev_lif") ? 0.5 : 1.0},
                                {"v_reset", 0.0}, {"decay_input", true}};
  out.root().write_attr("", "config_json", damage.config_json.empty() ? config.dump() : damage.config_json);
  out.root().write_attr("", "format", "snnsim-golden-v1");
  out.commit();
}

}  // namespace snnsim::test
