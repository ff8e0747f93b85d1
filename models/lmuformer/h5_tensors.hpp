// SPDX-License-Identifier: MIT
#pragma once
/// A TensorSource over the /weights group of a golden-layout HDF5 file.
#include "layers/tensor_source.hpp"
#include "sim/hdf5/hdf5.hpp"

namespace snnsim::models {

class H5Tensors final : public layers::TensorSource {
 public:
  explicit H5Tensors(const h5::File& file) : file_(&file) {}
  bool has(const std::string& name) const override;
  layers::Shape shape(const std::string& name) const override;
  layers::Tensor get(const std::string& name, const layers::Shape& expected) const override;
  std::string origin() const override { return file_->path().string(); }

 private:
  const h5::File* file_;
};

}  // namespace snnsim::models
