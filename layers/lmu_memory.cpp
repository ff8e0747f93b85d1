// SPDX-License-Identifier: MIT
#include "layers/lmu_memory.hpp"

#include "sim/error.hpp"

namespace snnsim::layers {

sim::Conv1d load_lmu_memory(const TensorSource& src, const std::string& prefix, std::size_t memory) {
  const std::string name = prefix + ".H";
  const Shape shape = src.shape(name);
  if (shape.size() != 2 || shape[0] != memory || shape[1] == 0)
    throw Error(src.origin(), name, "shape [" + std::to_string(memory) + ", L] with L >= 1",
                "shape " + shape_text(shape));
  const std::size_t length = shape[1];
  const Tensor h = src.get(name, shape);
  sim::Conv1d c;
  c.out = memory;
  c.in = 1;
  c.kernel = length;
  c.first_offset = -static_cast<int>(length - 1);
  c.weight.resize(memory * length);
  // Tap k reads u_{t - (L - 1) + k}, i.e. the spike k' = L - 1 - k steps ago: weight H[:, k'].
  for (std::size_t i = 0; i < memory; ++i)
    for (std::size_t k = 0; k < length; ++k) c.weight[i * length + k] = h.values[i * length + (length - 1 - k)];
  return c;
}

}  // namespace snnsim::layers
