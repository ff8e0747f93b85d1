// SPDX-License-Identifier: MIT
#pragma once
/// The inner loop of event-driven delivery: add the fan-out rows of the source events of every
/// tap of one projection at one step into a target's input buffer, after its bias, in one pass
/// over the targets. Each target element receives the bias, then the taps in order, each tap's
/// events in list order (the canonical summation order), so the result is bit-identical whatever
/// the vector width; the kernels exist for AVX-512, AVX2 and the baseline, chosen at run time.
#include <cstddef>
#include <cstdint>

namespace snnsim::hw_backends {

/// The events of one tap: event i's row starts at rows + i * stride; values[i] is the value of a
/// real-valued (graded) event, or values is null for spikes.
template <class Real>
struct TapEvents {
  const Real* rows = nullptr;
  const std::uint32_t* events = nullptr;
  std::size_t count = 0;
  const Real* values = nullptr;
};

/// For o in [0, n): buf[o] += bias[o] (when bias is not null), then for each tap in order and each
/// of its events e in order, buf[o] += row(e)[o] (times the event's value for graded taps).
void accumulate_taps(float* buf, const float* bias, const TapEvents<float>* taps, std::size_t tap_count,
                     std::size_t stride, std::size_t n);
void accumulate_taps(double* buf, const double* bias, const TapEvents<double>* taps, std::size_t tap_count,
                     std::size_t stride, std::size_t n);

/// buf[o] += x[o], o in [0, n).
void add_vector(float* buf, const float* x, std::size_t n);
void add_vector(double* buf, const double* x, std::size_t n);

}  // namespace snnsim::hw_backends
