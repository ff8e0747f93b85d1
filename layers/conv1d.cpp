// SPDX-License-Identifier: MIT
#include "layers/conv1d.hpp"

namespace snnsim::layers {

sim::Conv1d load_conv1d(const TensorSource& src, const std::string& prefix, std::size_t out,
                        std::size_t in, std::size_t kernel, bool bias) {
  sim::Conv1d c;
  c.out = out;
  c.in = in;
  c.kernel = kernel;
  c.first_offset = -static_cast<int>((kernel - 1) / 2);
  c.weight = src.get(prefix + ".weight", {out, in, kernel}).values;
  if (bias) c.bias = src.get(prefix + ".bias", {out}).values;
  return c;
}

sim::Conv1d input_slice(const sim::Conv1d& conv, std::size_t first, std::size_t count) {
  sim::Conv1d c;
  c.out = conv.out;
  c.in = count;
  c.kernel = conv.kernel;
  c.first_offset = conv.first_offset;
  c.weight.resize(c.out * count * c.kernel);
  for (std::size_t o = 0; o < c.out; ++o)
    for (std::size_t i = 0; i < count; ++i)
      for (std::size_t k = 0; k < c.kernel; ++k)
        c.weight[(o * count + i) * c.kernel + k] = conv.weight[(o * conv.in + first + i) * conv.kernel + k];
  if (first == 0) c.bias = conv.bias;
  return c;
}

}  // namespace snnsim::layers
