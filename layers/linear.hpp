// SPDX-License-Identifier: MIT
#pragma once
/// Linear (PyTorch nn.Linear): y_t = W x_t + b with W [out, in], applied at every time step; a
/// Conv1d of kernel 1. Source: PyTorch torch.nn.Linear; golden README section 2.
#include <string>

#include "layers/tensor_source.hpp"
#include "sim/network.hpp"

namespace snnsim::layers {

/// Loads `<prefix>.weight` [out, in] (and `<prefix>.bias` [out] when `bias`).
sim::Conv1d load_linear(const TensorSource& src, const std::string& prefix, std::size_t out,
                        std::size_t in, bool bias);

}  // namespace snnsim::layers
