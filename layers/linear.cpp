// SPDX-License-Identifier: MIT
#include "layers/linear.hpp"

namespace snnsim::layers {

sim::Conv1d load_linear(const TensorSource& src, const std::string& prefix, std::size_t out,
                        std::size_t in, bool bias) {
  sim::Conv1d c;
  c.out = out;
  c.in = in;
  c.kernel = 1;
  c.first_offset = 0;
  c.weight = src.get(prefix + ".weight", {out, in}).values;
  if (bias) c.bias = src.get(prefix + ".bias", {out}).values;
  return c;
}

}  // namespace snnsim::layers
