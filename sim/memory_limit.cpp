// SPDX-License-Identifier: MIT
#include "sim/memory_limit.hpp"

#include <charconv>
#include <cstdlib>
#include <limits>

#include "sim/error.hpp"
#include "sim/network.hpp"
#include "sim/record.hpp"

namespace snnsim::sim {

namespace {

constexpr std::size_t size_max = std::numeric_limits<std::size_t>::max();

std::size_t mul(std::size_t a, std::size_t b) { return (b != 0 && a > size_max / b) ? size_max : a * b; }
std::size_t add(std::size_t a, std::size_t b) { return a > size_max - b ? size_max : a + b; }

/// Bytes per neuron of state counted by trial_bytes (a few double state variables).
constexpr std::size_t neuron_state_bytes = 32;

}  // namespace

std::size_t parse_memory_size(std::string_view text, const std::string& source, const std::string& field) {
  auto bad = [&] {
    return Error(source, field, "a memory size such as 4G, 512M or 1048576 bytes", "'" + std::string(text) + "'");
  };
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end == text.data() || value == 0) throw bad();
  const std::string_view suffix(end, static_cast<std::size_t>(text.data() + text.size() - end));
  std::size_t unit = 1;
  if (suffix == "K" || suffix == "KiB") unit = std::size_t{1} << 10;
  else if (suffix == "M" || suffix == "MiB") unit = std::size_t{1} << 20;
  else if (suffix == "G" || suffix == "GiB") unit = std::size_t{1} << 30;
  else if (suffix == "T" || suffix == "TiB") unit = std::size_t{1} << 40;
  else if (!suffix.empty()) throw bad();
  if (value > size_max / unit) throw bad();
  return value * unit;
}

std::size_t memory_limit() {
  const char* env = std::getenv(memory_limit_variable);
  if (env == nullptr || *env == '\0') return default_memory_limit;
  return parse_memory_size(env, "environment", memory_limit_variable);
}

void check_memory(std::size_t bytes, const std::string& source, const std::string& field, std::string_view what) {
  const std::size_t limit = memory_limit();
  if (bytes <= limit) return;
  const std::string need = bytes == size_max ? "more than " + std::to_string(size_max - 1) : std::to_string(bytes);
  throw Error(source, field, "at most " + std::to_string(limit) + " bytes (the memory limit; see --max-memory)",
              need + " bytes" + (what.empty() ? "" : " " + std::string(what)));
}

std::size_t trial_bytes(std::size_t steps, std::size_t populations, std::size_t neurons, std::size_t projections) {
  const std::size_t per_step =
      add(mul(populations, sizeof(std::int32_t) + sizeof(OpCounts)), mul(projections, sizeof(OpCounts)));
  return add(mul(per_step, steps), mul(neurons, neuron_state_bytes));
}

std::size_t trial_bytes(const Network& net) {
  const std::size_t steps = net.steps() > 0 ? static_cast<std::size_t>(net.steps()) : 0;
  std::size_t neurons = 0, extra_per_step = 0;
  for (PopulationId p = 0; p < net.population_count(); ++p) {
    const Population& pop = net.population(p);
    neurons = add(neurons, pop.size);
    if (pop.kind == PopulationKind::Input && pop.graded) extra_per_step = add(extra_per_step, mul(pop.size, sizeof(float)));
  }
  for (const Output& o : net.outputs()) extra_per_step = add(extra_per_step, mul(net.population(o.population).size, sizeof(double)));
  return add(trial_bytes(steps, net.population_count(), neurons, net.projection_count()), mul(extra_per_step, steps));
}

std::size_t saturating_mul(std::size_t a, std::size_t b) { return mul(a, b); }

}  // namespace snnsim::sim
