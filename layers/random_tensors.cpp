// SPDX-License-Identifier: MIT
#include "layers/random_tensors.hpp"

#include <cmath>
#include <string_view>

#include "sim/error.hpp"

namespace snnsim::layers {

namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

Shape RandomTensors::shape(const std::string& name) const {
  auto it = declared_.find(name);
  if (it == declared_.end()) throw Error(origin(), name, "a declared tensor", "nothing");
  return it->second;
}

Tensor RandomTensors::get(const std::string& name, const Shape& expected) const {
  if (auto it = fixed_.find(name); it != fixed_.end()) {
    if (it->second.shape != expected)
      throw Error(origin(), name, "shape " + shape_text(it->second.shape), "a request for " + shape_text(expected));
    return it->second;
  }
  Tensor t;
  t.shape = expected;
  std::size_t n = 1;
  for (std::size_t d : expected) n *= d;
  std::uint64_t state = seed_ ^ fnv1a(name);
  auto uniform = [&](double lo, double hi) {
    // 53 random bits -> [0, 1), then rounded to float32 like a stored PyTorch tensor.
    const double u = static_cast<double>(splitmix64(state) >> 11) * 0x1.0p-53;
    return static_cast<double>(static_cast<float>(lo + (hi - lo) * u));
  };
  const std::size_t fan_in = expected.size() >= 2 ? n / expected[0] : 1;
  const bool vector = expected.size() == 1;
  t.values.resize(n);
  for (double& v : t.values) {
    if (ends_with(name, ".running_var")) v = uniform(0.5, 1.5);
    else if (ends_with(name, ".running_mean")) v = uniform(-0.2, 0.2);
    else if (vector && ends_with(name, ".weight")) v = uniform(0.8, 1.6);  // BatchNorm gamma
    else if (ends_with(name, ".bias")) v = uniform(0.0, 0.4);
    else {
      const double a = gain_ * 2.5 / std::sqrt(static_cast<double>(fan_in));
      v = uniform(-a, 1.5 * a);  // a positive mean keeps random networks active
    }
  }
  return t;
}

}  // namespace snnsim::layers
