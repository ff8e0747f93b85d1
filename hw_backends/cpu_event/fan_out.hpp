// SPDX-License-Identifier: MIT
#pragma once
/// The inner loop of event-driven delivery: add rows into a target's input buffer. The rows of
/// one target and step (biases, residual streams and the fan-out rows of every event of every tap
/// and projection, in delivery order) go through one call as a list of segments, so that the
/// target block stays in registers across all of them. Each target element still receives the
/// rows in list order (the canonical summation order), so the result is bit-identical whatever
/// the vector width; the functions are compiled for AVX-512, AVX2 and the baseline (sim/isa.hpp)
/// and chosen at run time.
#include <cstddef>
#include <cstdint>

#include "sim/isa.hpp"

namespace snnsim::hw_backends {

/// Rows base[events[e] * stride], e in [0, count): one tap of a projection's fan-out, or a single
/// row (a bias, a residual stream) as {row, 0, kFirstRow, 1}. With x (graded events), each row
/// is scaled by its event's value x[events[e]] first (a multiply-accumulate).
template <class Real>
struct RowSegment {
  const Real* base;
  std::size_t stride;
  const std::uint32_t* events;
  std::size_t count;
  const Real* x = nullptr;
};

/// The event list of a single-row segment.
inline constexpr std::uint32_t kFirstRow[1] = {0};

/// buf[o] += row[o] (times its event's value for graded segments) for every row of every
/// segment, in order, o in [0, n), with the kernel of `isa` (one of sim::supported_isas(); the
/// engine picks sim::best_isa() once per workspace, tests run every one).
void accumulate_segments(sim::Isa isa, float* buf, const RowSegment<float>* segments, std::size_t count,
                         std::size_t n);
void accumulate_segments(sim::Isa isa, double* buf, const RowSegment<double>* segments, std::size_t count,
                         std::size_t n);

}  // namespace snnsim::hw_backends
