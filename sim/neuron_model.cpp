// SPDX-License-Identifier: MIT
#include "sim/neuron_model.hpp"

#include <cmath>

#include <fmt/format.h>

#include "sim/error.hpp"

namespace snnsim::sim {

namespace {

std::string with_unit(double v, const std::string& unit) {
  return unit.empty() ? fmt::format("{:g}", v) : fmt::format("{:g} {}", v, unit);
}

std::string range_text(const ParamSpec& s) {
  const bool lo = std::isfinite(s.min), hi = std::isfinite(s.max);
  if (lo && hi)
    return fmt::format("a value in {}{:g}, {:g}]{}", s.min_inclusive ? "[" : "(", s.min, s.max,
                       s.unit.empty() ? "" : " " + s.unit);
  if (lo) return fmt::format("a value {} {}", s.min_inclusive ? ">=" : ">", with_unit(s.min, s.unit));
  if (hi) return fmt::format("a value <= {}", with_unit(s.max, s.unit));
  return "a finite value";
}

}  // namespace

ParamValues validate_params(std::span<const ParamSpec> specs, const ParamValues& values,
                            const std::string& source, const std::string& where) {
  std::string known;
  for (const ParamSpec& s : specs) known += (known.empty() ? "" : ", ") + s.name;
  for (const auto& [name, v] : values) {
    bool found = false;
    for (const ParamSpec& s : specs) found = found || s.name == name;
    if (!found)
      throw Error(source, where + "." + name, "one of the parameters " + known, "'" + name + "'");
  }
  ParamValues out;
  for (const ParamSpec& s : specs) {
    auto it = values.find(s.name);
    if (it == values.end()) {
      if (std::isnan(s.default_value))
        throw Error(source, where + "." + s.name, range_text(s), "nothing");
      out[s.name] = s.default_value;
      continue;
    }
    const double v = it->second;
    const bool below = s.min_inclusive ? v < s.min : v <= s.min;
    if (!std::isfinite(v) || below || v > s.max)
      throw Error(source, where + "." + s.name, range_text(s), fmt::format("{:g}", v));
    out[s.name] = v;
  }
  return out;
}

}  // namespace snnsim::sim
