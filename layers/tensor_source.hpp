// SPDX-License-Identifier: MIT
#pragma once
/// Where layers get their weights: a TensorSource maps PyTorch state_dict names to tensors.
/// The golden HDF5 file is one (models/lmuformer); seeded random tensors are another (tests).
#include <cstddef>
#include <string>
#include <vector>

namespace snnsim::layers {

using Shape = std::vector<std::size_t>;

std::string shape_text(const Shape& s);

struct Tensor {
  std::vector<double> values;  ///< row-major
  Shape shape;
};

class TensorSource {
 public:
  virtual ~TensorSource() = default;
  virtual bool has(const std::string& name) const = 0;
  /// The shape of `name`; throws Error(origin, name, "a tensor", "nothing") when missing.
  virtual Shape shape(const std::string& name) const = 0;
  /// The tensor `name`, checked to have `expected` shape and finite values; throws Error naming
  /// the origin, the PyTorch name, the expected and the found shape or value.
  virtual Tensor get(const std::string& name, const Shape& expected) const = 0;
  /// For error messages: the file (or generator) the tensors come from.
  virtual std::string origin() const = 0;
};

}  // namespace snnsim::layers
