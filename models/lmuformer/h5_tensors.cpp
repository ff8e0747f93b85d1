// SPDX-License-Identifier: MIT
#include "models/lmuformer/h5_tensors.hpp"

#include <cmath>

#include <fmt/format.h>

#include "sim/error.hpp"

namespace snnsim::models {

namespace {
std::string path_of(const std::string& name) { return "/weights/" + name; }
}  // namespace

bool H5Tensors::has(const std::string& name) const { return file_->is_dataset(path_of(name)); }

layers::Shape H5Tensors::shape(const std::string& name) const {
  if (!has(name)) throw Error(origin(), path_of(name), "a dataset", "nothing");
  return file_->shape(path_of(name));
}

layers::Tensor H5Tensors::get(const std::string& name, const layers::Shape& expected) const {
  if (!has(name))
    throw Error(origin(), path_of(name), "a dataset of shape " + layers::shape_text(expected), "nothing");
  const h5::Array<float> a = file_->read<float>(path_of(name), expected);
  for (std::size_t i = 0; i < a.data.size(); ++i)
    if (!std::isfinite(a.data[i]))
      throw Error(origin(), path_of(name), "finite values", fmt::format("{} at index {}", a.data[i], i));
  return {std::vector<double>(a.data.begin(), a.data.end()), a.shape};
}

}  // namespace snnsim::models
