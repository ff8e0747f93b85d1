// SPDX-License-Identifier: MIT
#pragma once
/// A TensorSource of seeded random tensors, for models built without a file (conformance tests,
/// examples, models of other widths). Values depend only on (seed, name, shape), never on the
/// order of requests. BatchNorm statistics are drawn in valid ranges.
#include <cstdint>
#include <map>

#include "layers/tensor_source.hpp"

namespace snnsim::layers {

class RandomTensors final : public TensorSource {
 public:
  explicit RandomTensors(std::uint64_t seed, double weight_gain = 1.0) : seed_(seed), gain_(weight_gain) {}
  /// Declares the shape of a tensor whose shape a layer asks for (e.g. the LMU's H).
  void declare(const std::string& name, Shape shape) { declared_[name] = std::move(shape); }
  /// Pins a tensor to given values (an example that needs, say, a strongly driven neuron).
  void set(const std::string& name, Tensor t) {
    declared_[name] = t.shape;
    fixed_[name] = std::move(t);
  }
  bool has(const std::string& name) const override { return declared_.count(name) > 0; }
  Shape shape(const std::string& name) const override;
  Tensor get(const std::string& name, const Shape& expected) const override;
  std::string origin() const override { return "random tensors (seed " + std::to_string(seed_) + ")"; }

 private:
  std::uint64_t seed_;
  double gain_;
  std::map<std::string, Shape> declared_;
  std::map<std::string, Tensor> fixed_;
};

}  // namespace snnsim::layers
