// SPDX-License-Identifier: MIT
#pragma once
/// The memory limit: a model, network or data file whose declared sizes would make snnsim
/// allocate more than this is refused before the allocation, with the size it would need,
/// instead of exhausting the machine's memory. The default is 4 GiB; the environment variable
/// SNNSIM_MAX_MEMORY (set by `snnsim --max-memory`) overrides it. The checks sit where sizes are
/// declared: every HDF5 read (h5::File::max_bytes), IDX headers, and importers' network sizes.
#include <cstddef>
#include <string>
#include <string_view>

namespace snnsim::sim {

class Network;

inline constexpr std::size_t default_memory_limit = std::size_t{4} << 30;
inline constexpr const char* memory_limit_variable = "SNNSIM_MAX_MEMORY";

/// "4G", "512M", "64K", "1T" (binary multiples) or a plain number of bytes, at least 1.
/// Error(source, field, "a memory size such as 4G, 512M or 1048576 bytes", "'<text>'").
std::size_t parse_memory_size(std::string_view text, const std::string& source, const std::string& field);

/// SNNSIM_MAX_MEMORY when set (an invalid value is an Error naming the variable), else 4 GiB.
std::size_t memory_limit();

/// Error(source, field, "at most L bytes (the memory limit; see --max-memory)", "N bytes <what>")
/// when `bytes` exceeds memory_limit().
void check_memory(std::size_t bytes, const std::string& source, const std::string& field,
                  std::string_view what = "");

/// Bytes simulating one trial of `net` needs (saturating at SIZE_MAX): the record's spike counts
/// and operation counters per population and projection per step, the outputs' values per step,
/// graded inputs per step, and neuron state (32 bytes a neuron). A lower bound: a network above
/// the limit by this measure certainly does not fit.
std::size_t trial_bytes(const Network& net);

/// The part of trial_bytes known before a network is built (for importers that generate it from
/// declared sizes): `populations` populations of `neurons` neurons in all and `projections`
/// projections over `steps` steps.
std::size_t trial_bytes(std::size_t steps, std::size_t populations, std::size_t neurons, std::size_t projections);

/// a * b, or SIZE_MAX when that overflows: byte counts of declared sizes.
std::size_t saturating_mul(std::size_t a, std::size_t b);

}  // namespace snnsim::sim
